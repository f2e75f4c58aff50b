"""Who is told about an appraisal (docs/workbench.md): the employee when a self-assessment
is due and when the result is published or the appeal decided; the raters when it waits for
a rating; the next level when rated; HR when reviewed and when appealed."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from guanjia.core.access import staff_holding
from guanjia.core.notifications.models import Channel
from guanjia.core.notifications.registry import register_event
from guanjia.core.notifications.rules import Happening, notice

from .models import Appraisal, Kind
from .models.appraisals import CONFIRM, RATE, REVIEW, SELF_ASSESSED_KINDS

BOTH = (Channel.INBOX, Channel.SMS)


def _employee(appraisal: Appraisal, happened: Happening) -> list[Any]:
    return [appraisal.employee]


def _holders(perm: str, *, without: tuple[str, ...] = ()) -> Any:
    def recipients(appraisal: Appraisal, happened: Happening) -> Any:
        excluded = [appraisal.employee_id, *(getattr(appraisal, f) or 0 for f in without)]
        holders = staff_holding(
            [perm], company_id=appraisal.community.company_id, community_id=appraisal.community_id
        )
        return holders.exclude(pk__in=excluded).order_by("pk")

    return recipients


def _context(appraisal: Appraisal, happened: Happening) -> dict[str, Any]:
    return {
        "employee": str(appraisal.employee),
        "kind": str(appraisal.get_kind_display()),
        "period": f"{appraisal.period_start:%Y-%m}",
        "grade": appraisal.grade,
        "by": happened.actor_name,
        "note": happened.note,
        "until": f"{appraisal.appeal_until:%Y-%m-%d}" if appraisal.appeal_until else "",
    }


EVENTS = [
    (
        "appraisal.self_assess",
        _("A self-assessment is due"),
        _("{{ kind }} {{ period }}: your self-assessment"),
        _("Your {{ kind }} of {{ period }} is open: write your self-assessment."),
    ),
    (
        "appraisal.to_rate",
        _("An appraisal waits for its rating"),
        _("{{ employee }}: {{ kind }} {{ period }} to rate"),
        _("The {{ kind }} of {{ employee }} ({{ period }}) waits for your rating."),
    ),
    (
        "appraisal.to_review",
        _("An appraisal waits for the next level's review"),
        _("{{ employee }}: {{ kind }} {{ period }} to review"),
        _("{{ by }} rated {{ employee }} ({{ kind }} {{ period }}): grade {{ grade }}."),
    ),
    (
        "appraisal.to_confirm",
        _("An appraisal waits for HR"),
        _("{{ employee }}: {{ kind }} {{ period }} to confirm"),
        _(
            "{{ by }} reviewed the {{ kind }} of {{ employee }} ({{ period }}): "
            "confirm and publish."
        ),
    ),
    (
        "appraisal.published",
        _("An appraisal was published"),
        _("Your {{ kind }} of {{ period }}: grade {{ grade }}"),
        _(
            "Your {{ kind }} of {{ period }} is published: grade {{ grade }}. "
            "You may appeal until {{ until }}."
        ),
    ),
    (
        "appraisal.appealed",
        _("An appraisal was appealed"),
        _("{{ employee }} appealed the {{ kind }} of {{ period }}"),
        _("{{ employee }} appealed: {{ note }}"),
    ),
    (
        "appraisal.resolved",
        _("An appraisal appeal was decided"),
        _("Your appeal of the {{ kind }} of {{ period }}: decided"),
        _("{{ by }} decided your appeal: {{ note }} Grade {{ grade }}."),
    ),
]


def register() -> None:
    for code, label, subject, body in EVENTS:
        register_event(code, label=label, subject=subject, body=body, default_channels=BOTH)
    rules = [
        ("created", "appraisal.self_assess", _employee, lambda a, h: a.kind in SELF_ASSESSED_KINDS),
        (
            "created",
            "appraisal.to_rate",
            _holders(RATE, without=("disputed_with_id",)),
            lambda a, h: a.kind == Kind.QUARTER,
        ),
        ("self_assessed", "appraisal.to_rate", _holders(RATE, without=("disputed_with_id",)), None),
        ("rated", "appraisal.to_review", _holders(REVIEW, without=("rater_id",)), None),
        ("reviewed", "appraisal.to_confirm", _holders(CONFIRM), None),
        ("published", "appraisal.published", _employee, None),
        ("appealed", "appraisal.appealed", _holders(CONFIRM), None),
        ("resolved", "appraisal.resolved", _employee, None),
    ]
    for on, event, recipients, when in rules:
        notice(
            Appraisal,
            on={on},
            event=event,
            recipients=recipients,
            context=_context,
            link=lambda appraisal: appraisal.get_absolute_url(),
            when=when,
        )
