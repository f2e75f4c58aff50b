"""Rewards and penalties (奖惩, spec §23): the company's levels and points, and one record
per event on the workflow proposed → facts confirmed → acknowledged (or refusal noted) →
approved per the authority matrix → effective → appealed → upheld / modified / revoked →
expired."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanjia.core import workflows
from guanjia.core.access import communities_with_perm, get_access, has_perm_in
from guanjia.core.models import Community, CommunityScopedQuerySet, Company, TimeStampedModel
from guanjia.core.money import MoneyField
from guanjia.core.workflows import ApprovalFields, WorkflowEvent
from guanjia.tickets.models import Complaint, ServiceRequest

from .checks import SpotCheck

USER = settings.AUTH_USER_MODEL
VIEW_RECORDS = "conduct.view_conductrecord"
CONFIRM = "conduct.confirm_conductrecord"
REVIEW_APPEALS = "conduct.review_appeal"


class RecordKind(models.TextChoices):
    REWARD = "reward", _("Reward")  # 奖励
    PENALTY = "penalty", _("Penalty")  # 处罚


class Authority(models.IntegerChoices):
    """Who approves a level (spec §23, §26): the supervisor up to a demerit, the director up
    to a major demerit, company management above."""

    SUPERVISOR = 1, _("CSC supervisor")
    DIRECTOR = 2, _("Office director")
    MANAGEMENT = 3, _("Company management")


# The permission that gives each authority (a role holding a higher one holds the lower).
AUTHORITY_PERMS: dict[int, str] = {
    Authority.SUPERVISOR: "conduct.approve_supervisor_level",
    Authority.DIRECTOR: "conduct.approve_director_level",
    Authority.MANAGEMENT: "conduct.approve_management_level",
}


class Source(models.TextChoices):
    """Where a record's facts come from (the evidence link of the 奖惩单)."""

    MANUAL = "manual", _("Observed by a manager")
    COMPLAINT = "complaint", _("Substantiated complaint")  # 有效投诉
    PRAISE = "praise", _("Praise in the register")  # 表扬信
    SPOT_CHECK = "spot_check", _("Spot check")  # 检查
    ATTENDANCE = "attendance", _("Attendance record")  # 考勤
    CUMULATIVE = "cumulative", _("Cumulative rule")  # 累计升级


class RecordLevel(TimeStampedModel):
    """One level of the company's table (spec §23): its points, who approves it, whether it
    lapses, and the cumulative rule (N of it suggest one of a higher level)."""

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="+", verbose_name=_("company")
    )
    code = models.SlugField(_("code"), max_length=30)
    kind = models.CharField(_("type"), max_length=10, choices=RecordKind)
    name = models.CharField(_("level"), max_length=50)
    points = models.SmallIntegerField(_("points"))
    authority = models.PositiveSmallIntegerField(_("approved by"), choices=Authority)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    lapses = models.BooleanField(
        _("lapses"), default=False, help_text=_("A minor penalty lapses after rp.lapse_months.")
    )
    converts_after = models.PositiveSmallIntegerField(
        _("suggest a higher level after"), null=True, blank=True
    )
    converts_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("higher level"),
    )
    default_for = models.CharField(
        _("proposed for"),
        max_length=12,
        choices=Source,
        blank=True,
        help_text=_("The level a generated proposal from this source starts with."),
    )

    class Meta:
        verbose_name = _("reward or penalty level")
        verbose_name_plural = _("reward and penalty levels")
        ordering = ["company", "kind", "position"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="rplevel_code"),
            models.CheckConstraint(condition=Q(kind__in=RecordKind.values), name="rplevel_kind"),
            models.CheckConstraint(
                condition=(Q(kind=RecordKind.REWARD) & Q(points__gte=0))
                | (Q(kind=RecordKind.PENALTY) & Q(points__lte=0)),
                name="rplevel_points_sign",
            ),
        ]

    def __str__(self) -> str:
        return self.name


# (code, kind, name, points, authority, lapses, converts_after, converts_to, default_for):
# spec §23's table; demotion and dismissal carry no points in the manual (the company sets).
R, P = RecordKind.REWARD, RecordKind.PENALTY
S, D, M = Authority.SUPERVISOR, Authority.DIRECTOR, Authority.MANAGEMENT
DEFAULT_LEVELS: list[tuple[str, str, str, int, int, bool, int | None, str, str]] = [
    ("praise", R, "表扬", 2, S, False, None, "", Source.PRAISE),
    ("commendation", R, "嘉奖", 10, D, False, None, "", ""),
    ("merit", R, "记功", 30, D, False, None, "", ""),
    ("major_merit", R, "记大功", 50, M, False, None, "", ""),
    ("verbal_warning", P, "口头警告", -2, S, True, None, "", Source.SPOT_CHECK),
    ("written_warning", P, "书面警告", -10, S, True, 3, "demerit", Source.COMPLAINT),
    ("demerit", P, "记过", -30, S, True, 5, "major_demerit", Source.CUMULATIVE),
    ("major_demerit", P, "记大过", -50, D, False, 2, "dismissal", ""),
    ("demotion", P, "降级/降薪", 0, M, False, None, "", ""),
    ("dismissal", P, "辞退", 0, M, False, None, "", ""),
]


class RecordStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")  # 已提议
    CONFIRMED = "confirmed", _("Facts confirmed")  # 事实已核实
    ACKNOWLEDGED = "acknowledged", _("Awaiting approval")  # 员工已签字/拒签，待审批
    APPROVED = "approved", _("Approved")  # 已批准
    REJECTED = "rejected", _("Rejected")  # 已驳回
    EFFECTIVE = "effective", _("Effective")  # 已生效
    APPEALED = "appealed", _("Appealed")  # 申诉中
    UPHELD = "upheld", _("Upheld on appeal")  # 维持
    MODIFIED = "modified", _("Modified on appeal")  # 变更
    REVOKED = "revoked", _("Revoked on appeal")  # 撤销
    EXPIRED = "expired", _("Expired")  # 已失效
    DROPPED = "dropped", _("Dropped")  # 不予处理


RECORD_MOVES: dict[str, frozenset[str]] = {
    RecordStatus.PROPOSED: frozenset({RecordStatus.CONFIRMED, RecordStatus.DROPPED}),
    RecordStatus.CONFIRMED: frozenset({RecordStatus.ACKNOWLEDGED, RecordStatus.DROPPED}),
    RecordStatus.ACKNOWLEDGED: frozenset({RecordStatus.APPROVED, RecordStatus.REJECTED}),
    RecordStatus.APPROVED: frozenset({RecordStatus.EFFECTIVE}),
    RecordStatus.EFFECTIVE: frozenset({RecordStatus.APPEALED, RecordStatus.EXPIRED}),
    RecordStatus.APPEALED: frozenset(
        {RecordStatus.UPHELD, RecordStatus.MODIFIED, RecordStatus.REVOKED}
    ),
    RecordStatus.UPHELD: frozenset({RecordStatus.EXPIRED}),
    RecordStatus.MODIFIED: frozenset({RecordStatus.EXPIRED}),
    RecordStatus.REJECTED: frozenset(),
    RecordStatus.REVOKED: frozenset(),
    RecordStatus.EXPIRED: frozenset(),
    RecordStatus.DROPPED: frozenset(),
}
# Records that count (points, cumulative rules, the team board).
IN_FORCE = (RecordStatus.EFFECTIVE, RecordStatus.UPHELD, RecordStatus.MODIFIED)
OPEN_STATUSES = (RecordStatus.PROPOSED, RecordStatus.CONFIRMED, RecordStatus.ACKNOWLEDGED)


class RecordQuerySet(CommunityScopedQuerySet):
    def visible_to(self, user: Any) -> RecordQuerySet:
        """HR and the employee's managers see the team's records (their communities only);
        every employee sees their own."""
        if get_access(user).is_superuser:
            return self.all()
        ids = communities_with_perm(user, VIEW_RECORDS)
        return self.filter(Q(community__in=ids) | Q(employee_id=getattr(user, "pk", None)))

    def in_force(self) -> RecordQuerySet:
        return self.filter(status__in=IN_FORCE)


class ConductRecord(ApprovalFields, TimeStampedModel):
    """One reward or penalty (奖惩单). `amount` (of ApprovalFields) is the money attached."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    number = models.CharField(_("number"), max_length=30)
    employee = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("employee")
    )
    position_held = models.CharField(_("position"), max_length=50, blank=True)
    kind = models.CharField(_("type"), max_length=10, choices=RecordKind)
    level = models.ForeignKey(
        RecordLevel, on_delete=models.PROTECT, related_name="+", verbose_name=_("level")
    )
    points = models.SmallIntegerField(_("points"))
    event_date = models.DateField(_("date of the event"))
    facts = models.TextField(_("facts"), max_length=2000)
    monthly_pay = MoneyField(_("monthly pay"), null=True, blank=True)
    over_cap = models.BooleanField(
        _("above the deduction cap"),
        default=False,
        help_text=_(
            "The deduction is above rp.pay_cut_cap_ratio of the monthly pay: HR checks it."
        ),
    )
    is_public = models.BooleanField(_("announced to the team"), default=False)
    source = models.CharField(_("evidence"), max_length=12, choices=Source, default=Source.MANUAL)
    evidence_ref = models.CharField(_("evidence reference"), max_length=60, blank=True)
    evidence_text = models.CharField(_("evidence details"), max_length=500, blank=True)
    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    praise = models.ForeignKey(
        ServiceRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    spot_check = models.ForeignKey(
        SpotCheck, on_delete=models.PROTECT, null=True, blank=True, related_name="records"
    )
    based_on = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="suggestions"
    )
    proposed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=15, choices=RecordStatus, default=RecordStatus.PROPOSED
    )
    confirmed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("facts confirmed at"), null=True, blank=True)
    signed_by_employee = models.BooleanField(_("signed by the employee"), null=True, blank=True)
    statement = models.CharField(_("employee's statement"), max_length=1000, blank=True)
    effective_on = models.DateField(_("effective on"), null=True, blank=True)
    appeal_until = models.DateField(_("appeal until"), null=True, blank=True)
    expires_on = models.DateField(_("lapses on"), null=True, blank=True)
    appealed_at = models.DateTimeField(_("appealed at"), null=True, blank=True)
    appeal_grounds = models.CharField(_("grounds of appeal"), max_length=1000, blank=True)
    appeal_decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    appeal_result = models.CharField(_("appeal decision"), max_length=1000, blank=True)
    original_level = models.ForeignKey(
        RecordLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("reward or penalty")
        verbose_name_plural = _("rewards and penalties")
        ordering = ["-event_date", "-pk"]
        permissions = [
            ("confirm_conductrecord", _("Can confirm the facts of a reward or penalty")),
            ("approve_supervisor_level", _("Can approve rewards and penalties up to a demerit")),
            ("approve_director_level", _("Can approve up to a major demerit")),
            ("approve_management_level", _("Can approve every reward and penalty")),
            ("review_appeal", _("Can decide appeals against a penalty")),
            ("view_own_records", _("Can see one's own rewards, penalties and checks")),
            ("view_conduct_kpis", _("Can view the conduct KPIs")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RecordStatus.values), name="record_known_status"
            ),
            models.CheckConstraint(condition=Q(kind__in=RecordKind.values), name="record_kind"),
            models.UniqueConstraint(fields=["community", "number"], name="record_number"),
        ]
        indexes = [
            models.Index(fields=["community", "status", "event_date"], name="record_by_status"),
            models.Index(fields=["community", "event_date"], name="record_by_date"),
            models.Index(fields=["employee", "event_date"], name="record_by_employee"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.level.name}"

    def get_absolute_url(self) -> str:
        return reverse("conduct:record-detail", args=[self.pk])


class ConductRecordEvent(WorkflowEvent):
    """One step of a record."""

    statuses = dict(RecordStatus.choices)
    record = models.ForeignKey(ConductRecord, on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("reward or penalty event")
        verbose_name_plural = _("reward or penalty events")


def authority_of(user: Any, community_id: int) -> int:
    """The highest level the user may approve in the community (0: none)."""
    held = [a for a, perm in AUTHORITY_PERMS.items() if has_perm_in(user, perm, community_id)]
    return max(held, default=0)


def _not_the_employee(user: Any, record: ConductRecord) -> bool:
    return user is not None and user.pk != record.employee_id


def _may_confirm(user: Any, record: ConductRecord) -> bool:
    return _not_the_employee(user, record) and has_perm_in(user, CONFIRM, record.community_id)


def _may_sign(user: Any, record: ConductRecord) -> bool:
    """The employee signs; a manager notes their refusal (the service tells which)."""
    return user is not None and (user.pk == record.employee_id or _may_confirm(user, record))


def _may_approve(user: Any, record: ConductRecord) -> bool:
    """Nobody approves their own record or their own proposal; the level's authority is
    checked by the service (with its message)."""
    return (
        _not_the_employee(user, record)
        and user.pk != record.proposed_by_id
        and authority_of(user, record.community_id) > 0
    )


def _is_employee(user: Any, record: ConductRecord) -> bool:
    return user is not None and user.pk == record.employee_id


def _may_review_appeal(user: Any, record: ConductRecord) -> bool:
    """The next level up or HR; never the employee or who approved it."""
    return (
        _not_the_employee(user, record)
        and user.pk != record.decided_by_id
        and has_perm_in(user, REVIEW_APPEALS, record.community_id)
    )


def _system_or_hr(user: Any, record: ConductRecord) -> bool:
    """Lapsing is the nightly job's (no actor) or HR's."""
    return user is None or has_perm_in(user, REVIEW_APPEALS, record.community_id)


_REVIEWED: dict[str, Any] = dict.fromkeys(
    (RecordStatus.UPHELD, RecordStatus.MODIFIED), _may_review_appeal
)
workflows.register(
    ConductRecord,
    workflows.Transitions(
        moves=RECORD_MOVES,
        event_model=ConductRecordEvent,
        event_object="record",
        actor=_may_confirm,
        actors={
            RecordStatus.ACKNOWLEDGED: _may_sign,
            RecordStatus.EFFECTIVE: _may_approve,
            RecordStatus.APPEALED: _is_employee,
            RecordStatus.REVOKED: _may_review_appeal,
            RecordStatus.EXPIRED: _system_or_hr,
            **_REVIEWED,
        },
        approval=workflows.Approvals(
            requested=RecordStatus.ACKNOWLEDGED,
            approved=RecordStatus.APPROVED,
            rejected=RecordStatus.REJECTED,
            may_decide=_may_approve,
        ),
    ),
)
