import datetime as dt

import factory

from guanjia.core.calendars.models import ExceptionKind, Holiday, WorkingSchedule
from guanjia.core.tests.factories import CommunityFactory, CompanyFactory


class HolidayFactory(factory.django.DjangoModelFactory):
    """A community's own exception (pass community=None and company= for a company-wide one)."""

    class Meta:
        model = Holiday

    community = factory.SubFactory(CommunityFactory)
    company = factory.LazyAttribute(lambda o: o.community.company if o.community else None)
    date = factory.Sequence(lambda n: dt.date(2026, 3, 2) + dt.timedelta(days=n))
    kind = ExceptionKind.HOLIDAY
    name = "小区活动日"


class WorkingScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingSchedule

    community = factory.SubFactory(CommunityFactory)
    company = factory.LazyAttribute(
        lambda o: o.community.company if o.community else CompanyFactory()
    )
