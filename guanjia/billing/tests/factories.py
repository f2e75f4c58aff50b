"""Factories for billing rows (plain ORM rows; services have tests of their own)."""

import datetime as dt
from decimal import Decimal

import factory

from guanjia.billing.models import (
    ApprovalStatus,
    FeeCategory,
    FeeItem,
    FeeStandard,
    FeeStandardVersion,
    Method,
)
from guanjia.core.tests.factories import CommunityFactory


class FeeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeeItem

    company = factory.LazyAttribute(lambda o: CommunityFactory().company)
    code = factory.Sequence(lambda n: f"fee{n}")
    name = factory.Sequence(lambda n: f"物业服务费{n}")
    category = FeeCategory.SERVICE


class FeeStandardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeeStandard

    community = factory.SubFactory(CommunityFactory)
    fee_item = factory.LazyAttribute(lambda o: FeeItemFactory(company=o.community.company))
    name = factory.Sequence(lambda n: f"住宅标准{n}")
    method = Method.BUILDING_AREA
    approval_status = ApprovalStatus.APPROVED  # rows in use; approvals have tests of their own


class FeeStandardVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeeStandardVersion

    standard = factory.SubFactory(FeeStandardFactory)
    rate = Decimal("2.5000")
    effective_from = dt.date(2020, 1, 1)
    approval_status = ApprovalStatus.APPROVED
