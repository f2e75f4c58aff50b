"""The service desk's tasks and figures on the workbench (工作台), declared in `ready()`.

Each task kind is one query for the workbench (docs/workbench.md); its count links to the
list filtered the same way (the list's FilterSet accepts every parameter used here)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.db.models import Case, Count, DateTimeField, F, Q, QuerySet, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core.workbench import (
    Figure,
    FigureGroup,
    TaskKind,
    TaskQuery,
    register_figures,
    register_task,
)

from .models import (
    Channel,
    Complaint,
    ComplaintStatus,
    LetterStatus,
    RepairOrder,
    RepairStatus,
    RequestKind,
    RequestStatus,
    ServiceRequest,
)
from .selectors import due_soon_q, overdue_q

C, R = ComplaintStatus, RepairStatus
# A technician's job before it is done (verified and cancelled are final; completed waits
# for the resident's signature, a task of its own).
OPEN_JOB = (R.DISPATCHED, R.ACCEPTED, R.ON_SITE, R.QUOTED, R.WAITING_PARTS, R.NO_ACCESS)


def _url(name: str, **params: str) -> str:
    return reverse(name) + ("?" + urlencode(params) if params else "")


def _complaints(q: TaskQuery) -> QuerySet[Complaint]:
    return Complaint.objects.in_community(q.community).select_related("request")


def _repairs(q: TaskQuery) -> QuerySet[RepairOrder]:
    return RepairOrder.objects.in_community(q.community).select_related("unit")


def _letters(q: TaskQuery, status: str) -> QuerySet[ServiceRequest]:
    return ServiceRequest.objects.in_community(q.community).filter(
        channel=Channel.LETTER, status=RequestStatus.OPEN, letter_status=status
    )


def _complaint_title(c: Complaint) -> str:
    return f"{c.number} {c.request.content[:40]}"


def _complaint_link(c: Complaint) -> str:
    return reverse("tickets:complaint-detail", args=[c.pk])


def _repair_title(o: RepairOrder) -> str:
    where = o.unit.room_code if o.unit is not None else o.get_location_display()
    return f"{o.number} {where} {o.description[:30]}"


def _repair_link(o: RepairOrder) -> str:
    return reverse("tickets:repair-detail", args=[o.pk])


def _letter_title(e: ServiceRequest) -> str:
    return f"{e.number} {e.content[:40]}"


def _letter_link(e: ServiceRequest) -> str:
    return reverse("tickets:request-detail", args=[e.pk])


def _job_deadline(rows: QuerySet[RepairOrder]) -> QuerySet[RepairOrder]:
    """Before arrival the job's clock is the arrival deadline, then the completion one."""
    return rows.annotate(
        job_due=Case(
            When(arrived_at__isnull=True, then=F("arrive_due")),
            default=F("complete_due"),
            output_field=DateTimeField(),
        )
    )


TASKS = [
    TaskKind(
        code="complaint.classify",
        label=_("Complaints to classify"),
        perm="tickets.change_complaint",
        items=lambda q: _complaints(q).filter(status=C.REGISTERED),
        deadline="first_reply_due",
        title=_complaint_title,
        link=_complaint_link,
        list_url=lambda q: _url("tickets:complaint-list", status=C.REGISTERED),
        order=10,
    ),
    TaskKind(
        code="complaint.resolve",
        label=_("My complaints to resolve"),
        perm="tickets.change_complaint",
        items=lambda q: _complaints(q).filter(status=C.HANDLING, handler=q.user),
        deadline="resolve_due",
        title=_complaint_title,
        link=_complaint_link,
        list_url=lambda q: _url("tickets:complaint-list", status=C.HANDLING, mine="true"),
        order=11,
    ),
    TaskKind(
        code="complaint.reply",
        label=_("Complaints to reply to"),
        perm="tickets.change_complaint",
        items=lambda q: _complaints(q).filter(status=C.RESOLVED),
        deadline="resolve_due",
        title=_complaint_title,
        link=_complaint_link,
        list_url=lambda q: _url("tickets:complaint-list", status=C.RESOLVED),
        order=12,
    ),
    TaskKind(
        code="repair.dispatch",
        label=_("Repairs to dispatch"),
        perm="tickets.dispatch_repairorder",
        items=lambda q: _repairs(q).filter(status=R.REGISTERED),
        deadline="arrive_due",
        title=_repair_title,
        link=_repair_link,
        list_url=lambda q: _url("tickets:repair-list", status=R.REGISTERED),
        order=20,
    ),
    TaskKind(
        code="repair.job",
        label=_("My repair jobs"),
        perm="tickets.work_repairorder",
        items=lambda q: _job_deadline(_repairs(q).filter(status__in=OPEN_JOB, technician=q.user)),
        deadline="job_due",
        title=_repair_title,
        link=_repair_link,
        list_url=lambda q: _url("tickets:my-jobs"),
        order=21,
    ),
    TaskKind(
        code="repair.verify",
        label=_("Repairs to verify with the resident"),
        perm="tickets.work_repairorder",
        items=lambda q: _repairs(q).filter(status=R.COMPLETED, technician=q.user),
        title=_repair_title,
        link=_repair_link,
        list_url=lambda q: _url("tickets:repair-list", status=R.COMPLETED, mine="true"),
        order=22,
    ),
    TaskKind(
        code="letter.reply",
        label=_("Letters to answer in writing"),
        perm="tickets.change_servicerequest",
        items=lambda q: _letters(q, LetterStatus.NONE),
        deadline="letter_due",
        title=_letter_title,
        link=_letter_link,
        list_url=lambda q: _url("tickets:request-list", letter_status="none"),
        order=30,
    ),
    TaskKind(
        code="letter.check",
        label=_("Letter replies to check"),
        perm="tickets.check_letter",
        items=lambda q: _letters(q, LetterStatus.DRAFTED),
        deadline="letter_due",
        title=_letter_title,
        link=_letter_link,
        list_url=lambda q: _url("tickets:request-list", letter_status=LetterStatus.DRAFTED),
        order=31,
    ),
    TaskKind(
        code="letter.approve",
        label=_("Letter replies to approve"),
        perm="tickets.approve_letter",
        items=lambda q: _letters(q, LetterStatus.CHECKED),
        deadline="letter_due",
        title=_letter_title,
        link=_letter_link,
        list_url=lambda q: _url("tickets:request-list", letter_status=LetterStatus.CHECKED),
        order=32,
    ),
]


def _desk_figures(q: TaskQuery) -> list[Figure]:
    today = timezone.localdate(q.now)
    counts = (
        ServiceRequest.objects.in_community(q.community)
        .filter(received_at__date=today)
        .aggregate(
            total=Count("pk"),
            complaints=Count("pk", filter=Q(kind=RequestKind.COMPLAINT)),
            repairs=Count("pk", filter=Q(kind=RequestKind.REPAIR)),
            still_open=Count("pk", filter=Q(status=RequestStatus.OPEN)),
        )
    )
    day = today.isoformat()
    period = {"period_after": day, "period_before": day}
    return [
        Figure(_("Contacts today"), counts["total"], _url("tickets:request-list", **period)),
        Figure(
            _("Complaints today"),
            counts["complaints"],
            _url("tickets:request-list", kind=RequestKind.COMPLAINT, **period),
        ),
        Figure(
            _("Repairs today"),
            counts["repairs"],
            _url("tickets:request-list", kind=RequestKind.REPAIR, **period),
        ),
        Figure(
            _("Still open"),
            counts["still_open"],
            _url("tickets:request-list", status=RequestStatus.OPEN, **period),
        ),
    ]


def _engineer_figures(q: TaskQuery) -> list[Figure]:
    today = timezone.localdate(q.now)
    mine = RepairOrder.objects.in_community(q.community).filter(technician=q.user)
    late = overdue_q(q.now, kind="repair")
    counts = mine.aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_JOB)),
        late=Count("pk", filter=Q(status__in=OPEN_JOB) & late),
        done=Count("pk", filter=Q(completed_at__date=today)),
    )
    return [
        Figure(_("My open jobs"), counts["open"], _url("tickets:my-jobs")),
        Figure(
            _("My overdue jobs"),
            counts["late"],
            _url("tickets:repair-list", mine="true", overdue="true"),
            warn=True,
        ),
        Figure(_("Completed today"), counts["done"]),
    ]


def _complaint_queue(q: TaskQuery) -> list[Figure]:
    rows = Complaint.objects.in_community(q.community).exclude(status=C.CLOSED)
    counts = rows.aggregate(
        open=Count("pk"),
        unassigned=Count("pk", filter=Q(status=C.REGISTERED)),
        late=Count("pk", filter=overdue_q(q.now, kind="complaint")),
        soon=Count("pk", filter=due_soon_q(q.now, kind="complaint")),
    )
    link = "tickets:complaint-list"
    return [
        Figure(_("Open complaints"), counts["open"], _url(link)),
        Figure(_("Not yet classified"), counts["unassigned"], _url(link, status=C.REGISTERED)),
        Figure(_("Overdue"), counts["late"], _url(link, overdue="true"), warn=True),
        Figure(_("Due within 4 hours"), counts["soon"], warn=True),
    ]


def _repair_queue(q: TaskQuery) -> list[Figure]:
    rows = RepairOrder.objects.in_community(q.community).exclude(
        status__in=RepairOrder.FINAL_STATUSES
    )
    counts = rows.aggregate(
        open=Count("pk"),
        undispatched=Count("pk", filter=Q(status=R.REGISTERED)),
        late=Count("pk", filter=overdue_q(q.now, kind="repair")),
        soon=Count("pk", filter=due_soon_q(q.now, kind="repair")),
    )
    link = "tickets:repair-list"
    return [
        Figure(_("Open repairs"), counts["open"], _url(link)),
        Figure(_("Not yet dispatched"), counts["undispatched"], _url(link, status=R.REGISTERED)),
        Figure(_("Overdue"), counts["late"], _url(link, overdue="true"), warn=True),
        Figure(_("Due within 4 hours"), counts["soon"], warn=True),
    ]


FIGURES = [
    FigureGroup(
        "tickets.desk", _("The desk today"), "tickets.add_servicerequest", _desk_figures, 10
    ),
    FigureGroup(
        "tickets.engineer", _("My jobs today"), "tickets.work_repairorder", _engineer_figures, 20
    ),
    FigureGroup(
        "tickets.complaints",
        _("Complaint queue and deadlines"),
        "tickets.add_complaintaction",
        _complaint_queue,
        30,
    ),
    FigureGroup(
        "tickets.repairs",
        _("Repair queue and deadlines"),
        "tickets.view_desk_kpis",
        _repair_queue,
        31,
    ),
]


def register() -> None:
    """Declare the service desk's tasks and figures (called once from `TicketsConfig.ready`)."""
    for kind in TASKS:
        register_task(kind)
    for group in FIGURES:
        register_figures(group)


__all__: list[Any] = ["register"]
