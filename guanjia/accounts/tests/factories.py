import datetime as dt

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from guanjia.accounts.models import Membership, User
from guanjia.core.models import Community
from guanjia.core.roles import COMPANY_ROLES
from guanjia.core.tests.factories import CompanyFactory

PASSWORD = "test-pass-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"员工{n}")
    company = factory.SubFactory(CompanyFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):  # factory_boy's hook signature
        if create:
            obj.save()


def grant(
    user: User,
    role: str,
    community: Community | None = None,
    *,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    is_acting: bool = False,
) -> Membership:
    """Give `user` a role: in `community`, or company-wide for company roles."""
    if community is None and role not in COMPANY_ROLES:
        raise ValueError(f"{role} needs a community")
    return Membership.objects.create(
        user=user,
        role=Group.objects.get(name=role),
        community=community,
        starts_on=starts_on or timezone.localdate() - dt.timedelta(days=30),
        ends_on=ends_on,
        is_acting=is_acting,
    )


def staff(role: str, community: Community | None = None, **kwargs) -> User:
    """A new user holding one role (in `community`, or company-wide for company roles)."""
    company = kwargs.pop("company", None) or (community.company if community else None)
    user = UserFactory(company=company or CompanyFactory(), **kwargs)
    grant(user, role, None if role in COMPANY_ROLES else community)
    return user
