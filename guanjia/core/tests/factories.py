"""Factories for core's own rows: the company and its communities."""

import factory

from guanjia.core.models import Community, Company


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试物业{n}")


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    company = factory.SubFactory(CompanyFactory)
    code = factory.Sequence(lambda n: f"c{n}")
    name = factory.Sequence(lambda n: f"测试小区{n}")
