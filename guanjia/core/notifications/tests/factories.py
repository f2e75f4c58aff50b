import factory

from guanjia.accounts.tests.factories import UserFactory
from guanjia.core.notifications.models import Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    event = "system.test"
    subject = factory.Sequence(lambda n: f"通知 {n}")
    body = "正文"
