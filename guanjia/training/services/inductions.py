"""Induction programmes (入职/岗前培训, spec §21): the company's day-by-day template (the
manual's 7-day example, `training.induction_days` long) and each new hire's induction, given
by the daily job to whoever started in a community within the induction's length, or by hand.
Idempotent: an employee has one induction per community."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanjia.accounts.models import Membership
from guanjia.core.access import User, require_perm
from guanjia.core.models import Community
from guanjia.core.policies.selectors import policy

from ..models import Induction, InductionDay
from ._common import field_error, is_staff_of, staff_of

MANAGE = "training.add_trainingsession"

# The manual's example programme (spec §21), day by day; the last day is the test.
EXAMPLE = (
    gettext_lazy("Company and department overview, how the department works, safety, site tour"),
    gettext_lazy("Job duties, rewards and penalties, attendance, dress, etiquette"),
    gettext_lazy("The job's work procedures (this manual)"),
    gettext_lazy("The job's work procedures (this manual)"),
    gettext_lazy("Supervised work with an experienced colleague"),
    gettext_lazy("Supervised work with an experienced colleague"),
    gettext_lazy("Induction test"),
)


def programme(community: Community) -> list[tuple[int, str]]:
    """The company's programme, `training.induction_days` long: its own days where it wrote
    them, the manual's example otherwise (the test on the last day)."""
    days = policy(community, "training.induction_days")
    own = dict(
        InductionDay.objects.filter(company_id=community.company_id).values_list("day", "topic")
    )
    rows = []
    for day in range(1, days + 1):
        if day in own:
            rows.append((day, own[day]))
        elif day == days:
            rows.append((day, str(EXAMPLE[-1])))
        else:
            rows.append((day, str(EXAMPLE[min(day, len(EXAMPLE) - 1) - 1])))
    return rows


@transaction.atomic
def assign_induction(
    *, community: Community, employee: User, by: User | None, starts_on: dt.date | None = None
) -> Induction:
    """An induction of `employee` in `community` from `starts_on` (today); the same one again
    when it exists (idempotent)."""
    if by is not None:
        require_perm(by, MANAGE, community)
    if not is_staff_of(community, employee):
        raise field_error(
            "employee", _("This person does not work in this community."), "not_staff"
        )
    found = Induction.objects.filter(community=community, employee=employee).first()
    if found is not None:
        return found
    start = starts_on or timezone.localdate()
    days = policy(community, "training.induction_days")
    try:
        with transaction.atomic():
            return Induction.objects.create(
                community=community,
                employee=employee,
                starts_on=start,
                ends_on=start + dt.timedelta(days=days - 1),
                assigned_by=by,
            )
    except IntegrityError:  # the job and a person at once
        return Induction.objects.get(community=community, employee=employee)


def assign_new_hires(*, today: dt.date | None = None) -> int:
    """The daily job: every employee whose first role in the company began within the last
    `training.induction_days` days gets an induction in each community they work in. Run
    twice, it adds nothing. Returns how many were added."""
    today = today or timezone.localdate()
    added = 0
    for community in Community.objects.filter(is_active=True).order_by("pk"):
        days = policy(community, "training.induction_days")
        since = today - dt.timedelta(days=days - 1)
        first_days = (
            Membership.objects.filter(user__company_id=community.company_id)
            .values("user_id")
            .annotate(first=Min("starts_on"))
            .filter(first__gte=since, first__lte=today)
        )
        starts = {row["user_id"]: row["first"] for row in first_days}
        here = staff_of(community).filter(pk__in=list(starts)).values_list("pk", flat=True)
        taken = set(
            Induction.objects.filter(community=community).values_list("employee_id", flat=True)
        )
        for user_id in sorted(set(here) - taken):
            _created = Induction.objects.get_or_create(
                community=community,
                employee_id=user_id,
                defaults={
                    "starts_on": starts[user_id],
                    "ends_on": starts[user_id] + dt.timedelta(days=days - 1),
                },
            )[1]
            added += int(_created)
    return added
