"""Reads for printable documents: the letterhead and the community contact sheet."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.functional import Promise

from guanjia.core.access import staff_on_duty
from guanjia.core.models import Community
from guanjia.core.roles import Role

from .models import Letterhead


@dataclass(frozen=True)
class LetterheadData:
    """What the top of a printed page says, with the community's fields as fallback."""

    company_name: str
    office_name: str
    address: str
    phone: str
    footer: str = ""


def letterhead_for(community: Community) -> LetterheadData:
    """The community's letterhead; a community without one prints its own fields."""
    saved = Letterhead.objects.filter(community=community).first()
    office = community.office_name or community.name
    return LetterheadData(
        company_name=(saved and saved.company_name) or community.company.name,
        office_name=(saved and saved.office_name) or office,
        address=(saved and saved.address) or community.address or community.company.address,
        phone=(saved and saved.phone) or community.office_phone or community.company.phone,
        footer=(saved and saved.footer) or "",
    )


@dataclass(frozen=True)
class StaffOnDuty:
    name: str
    is_acting: bool


@dataclass(frozen=True)
class RoleGroup:
    role: str
    label: str | Promise
    staff: list[StaffOnDuty] = field(default_factory=list)


@dataclass(frozen=True)
class ContactSheet:
    """The community contact sheet (小区联系表): office, hours and staff by role."""

    community: Community
    letterhead: LetterheadData
    office_hours: str
    roles: list[RoleGroup]
    printed_on: dt.date


def contact_sheet(community: Community) -> ContactSheet:
    """Who works in `community` today, grouped by role in the order of the organisation chart."""
    by_role: dict[str, list[StaffOnDuty]] = {}
    for duty in staff_on_duty(community):
        by_role.setdefault(duty.role, []).append(StaffOnDuty(duty.name, duty.is_acting))
    groups = [
        RoleGroup(role.value, role.label, by_role[role.value])
        for role in Role
        if role.value in by_role
    ]
    return ContactSheet(
        community=community,
        letterhead=letterhead_for(community),
        office_hours=community.office_hours,
        roles=groups,
        printed_on=timezone.localdate(),
    )
