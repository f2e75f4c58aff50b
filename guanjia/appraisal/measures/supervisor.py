"""The supervisor's measures (spec §02, §24, §27), over the whole community: complaint
handling, complaint visits, repair visit rate and satisfaction against their targets (the
collection rate is `money.collection_rate`). Plan completion and training plan completion
join them once the plans and training apps are merged (docs/appraisal.md)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guanjia.core.policies.selectors import policy
from guanjia.tickets.models import Complaint, ComplaintStatus, RepairOrder, Validity
from guanjia.visits.models import Answer, Visit, VisitKind

from . import Evidence, MonthContext, Outcome, measure, rate
from .desk import VISITED

ROLE = ("supervisor",)
RESOLVED = (
    ComplaintStatus.RESOLVED,
    ComplaintStatus.REPLIED,
    ComplaintStatus.VISITED,
    ComplaintStatus.CLOSED,
)
SATISFIED = (Answer.SATISFIED, Answer.FAIRLY)


def _same(ctx: MonthContext, outcome: Outcome) -> dict[int, Outcome]:
    """The community's figure for every supervisor scored."""
    return dict.fromkeys(ctx.with_role(*ROLE), outcome)


@measure(
    "complaint_handling",
    label=_("Complaint handling rate"),
    roles=ROLE,
    source="tickets",
    evidence=_("The valid complaints of the month not yet resolved"),
)
def complaint_handling(ctx: MonthContext) -> dict[int, Outcome]:
    """Valid complaints resolved ÷ valid complaints registered this month (§27)."""
    valid = Complaint.objects.filter(
        community=ctx.community,
        validity=Validity.VALID,
        request__received_at__gte=ctx.start_at,
        request__received_at__lt=ctx.end_at,
    )
    counts = valid.aggregate(total=Count("pk"), ok=Count("pk", filter=Q(status__in=RESOLVED)))
    open_ones = valid.exclude(status__in=RESOLVED).values_list("pk", "number").order_by("pk")[:30]
    return _same(
        ctx,
        Outcome(
            numerator=counts["ok"],
            denominator=counts["total"],
            achievement=rate(counts["ok"], counts["total"]),
            formula=gettext("%(ok)s of %(n)s valid complaints resolved")
            % {"ok": counts["ok"], "n": counts["total"]},
            evidence=[
                Evidence(str(number), reverse("tickets:complaint-detail", args=[pk]))
                for pk, number in open_ones
            ],
        ),
    )


@measure(
    "complaint_visits",
    label=_("Complaint visit rate"),
    roles=ROLE,
    source="visits",
    evidence=_("The complaint visits due this month and not made"),
)
def complaint_visits(ctx: MonthContext) -> dict[int, Outcome]:
    """Complaint visits made ÷ complaint visits due this month (§27, target 100 %)."""
    due = Visit.objects.filter(
        community=ctx.community,
        kind=VisitKind.COMPLAINT,
        due_on__gte=ctx.start,
        due_on__lte=ctx.end,
    )
    counts = due.aggregate(total=Count("pk"), ok=Count("pk", filter=Q(status__in=VISITED)))
    missing = (
        due.exclude(status__in=VISITED).values_list("pk", "due_on").order_by("due_on", "pk")[:30]
    )
    return _same(
        ctx,
        Outcome(
            numerator=counts["ok"],
            denominator=counts["total"],
            achievement=rate(counts["ok"], counts["total"]),
            formula=gettext("%(ok)s of %(n)s visits made")
            % {"ok": counts["ok"], "n": counts["total"]},
            evidence=[
                Evidence(
                    gettext("visit due %(due)s not made") % {"due": due_on},
                    reverse("visits:visit-detail", args=[pk]),
                )
                for pk, due_on in missing
            ],
        ),
    )


@measure(
    "repair_visits",
    label=_("Repair visit rate"),
    roles=ROLE,
    source="visits",
    evidence=_("The month's visit list"),
)
def repair_visits(ctx: MonthContext) -> dict[int, Outcome]:
    """Repair visits made ÷ repairs completed this month, against
    appraisal.repair_visit_target (§27: ≥ 30 %)."""
    completed = RepairOrder.objects.filter(
        community=ctx.community, completed_at__gte=ctx.start_at, completed_at__lt=ctx.end_at
    ).count()
    visited = Visit.objects.filter(
        community=ctx.community,
        kind=VisitKind.REPAIR,
        status__in=VISITED,
        source_done_at__gte=ctx.start_at,
        source_done_at__lt=ctx.end_at,
    ).count()
    target = Decimal(policy(ctx.community, "appraisal.repair_visit_target"))
    achieved = rate(visited, completed, target)
    link = Evidence(
        gettext("Visits of %(month)s") % {"month": f"{ctx.start:%Y-%m}"},
        reverse("visits:visit-list"),
    )
    return _same(
        ctx,
        Outcome(
            numerator=visited,
            denominator=completed,
            achievement=achieved,
            formula=gettext("%(ok)s visits of %(n)s repairs (target %(target)s %%)")
            % {"ok": visited, "n": completed, "target": f"{target * 100:.0f}"},
            evidence=[] if achieved >= 1 else [link],
        ),
    )


@measure(
    "satisfaction",
    label=_("Satisfaction rate"),
    roles=ROLE,
    source="visits",
    evidence=_("The visits whose answer was dissatisfied"),
)
def satisfaction(ctx: MonthContext) -> dict[int, Outcome]:
    """Satisfied or fairly satisfied ÷ answered, of the visits made this month, against
    appraisal.satisfaction_target."""
    answered = Visit.objects.filter(
        community=ctx.community, visited_on__gte=ctx.start, visited_on__lte=ctx.end
    ).exclude(satisfaction="")
    counts = answered.aggregate(
        total=Count("pk"), ok=Count("pk", filter=Q(satisfaction__in=SATISFIED))
    )
    target = Decimal(policy(ctx.community, "appraisal.satisfaction_target"))
    unhappy = (
        answered.exclude(satisfaction__in=SATISFIED)
        .values_list("pk", "visited_on")
        .order_by("pk")[:30]
    )
    return _same(
        ctx,
        Outcome(
            numerator=counts["ok"],
            denominator=counts["total"],
            achievement=rate(counts["ok"], counts["total"], target),
            formula=gettext("%(ok)s of %(n)s satisfied (target %(target)s %%)")
            % {"ok": counts["ok"], "n": counts["total"], "target": f"{target * 100:.0f}"},
            evidence=[
                Evidence(
                    gettext("dissatisfied on %(day)s") % {"day": day},
                    reverse("visits:visit-detail", args=[pk]),
                )
                for pk, day in unhappy
            ],
        ),
    )
