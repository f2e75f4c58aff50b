"""Case studies (个案分析, spec §02): written by the supervisor, linked to register entries of
the same community, marked when used in training."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core.access import User, require_perm
from guanjia.core.models import Community

from ..models import CaseStudy
from ._common import field_error, required

ADD = "plans.add_casestudy"
WRITE = "plans.change_casestudy"


@dataclass(frozen=True)
class CaseText:
    title: str
    facts: str
    cause: str
    lesson: str
    used_in_training: bool = False
    tickets: Iterable[Any] = field(default_factory=list)


def _checked(text: CaseText, community: Community) -> dict[str, Any]:
    tickets = list(text.tickets)
    if any(t.community_id != community.pk for t in tickets):
        raise field_error(
            "tickets",
            _("Only register entries of this community can be linked."),
            "other_community",
        )
    return {
        "title": required(text.title, "title", _("Give the case a title.")),
        "facts": required(text.facts, "facts", _("Say what happened.")),
        "cause": required(text.cause, "cause", _("Analyse the cause.")),
        "lesson": required(text.lesson, "lesson", _("Say what the lesson is.")),
        "used_in_training": bool(text.used_in_training),
        "tickets": tickets,
    }


@transaction.atomic
def write_case(*, community: Community, text: CaseText, by: User) -> CaseStudy:
    require_perm(by, ADD, community)
    values = _checked(text, community)
    tickets = values.pop("tickets")
    case = CaseStudy.objects.create(
        community=community, written_on=timezone.localdate(), author=by, **values
    )
    case.tickets.set(tickets)
    return case


@transaction.atomic
def update_case(*, case: CaseStudy, text: CaseText, by: User) -> CaseStudy:
    require_perm(by, WRITE, case.community)
    values = _checked(text, case.community)
    tickets = values.pop("tickets")
    for name, value in values.items():
        setattr(case, name, value)
    case.save()
    case.tickets.set(tickets)
    return case
