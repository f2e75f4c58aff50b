"""Dunning (催缴, spec §10): an arrears case per unit that owes, moving up the ladder (phone
reminder, written notice, second notice, final notice, the director's visit, legal action)
until it is settled, put on an instalment plan or written off; each step with its date,
method, person and the resident's answer (管理服务费催缴情况登记表); promises to pay; a
dispute that pauses the case; the notices printed and signed for.

What a unit owes is billing's ledger: nothing here is a second book. A case keeps the amount
it was opened for and the stage; promises and instalments are measured against the unit's
ledger payments. Nothing here, nor anywhere in Guanjia, cuts water or power for arrears."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanjia.core import workflows
from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.core.money import MoneyField
from guanjia.core.workflows import WorkflowEvent
from guanjia.estates.models import Building, Unit

if TYPE_CHECKING:
    from guanjia.core.access import User


class CaseStage(models.TextChoices):
    """The ladder of §10 (状态 of an arrears case)."""

    OVERDUE = "overdue", _("Overdue")  # 逾期
    PHONE = "phone", _("Phone reminder")  # 电话催缴
    NOTICE = "notice", _("Written notice")  # 催缴通知单
    SECOND_NOTICE = "second_notice", _("Second notice")  # 二次催缴通知单
    FINAL_NOTICE = "final_notice", _("Final notice")  # 最后缴款通知书
    DIRECTOR_VISIT = "director_visit", _("Director's visit")  # 主任上门
    LEGAL = "legal", _("Legal action")  # 支付令/起诉
    INSTALMENT = "instalment", _("Instalment plan")  # 分期付款
    SETTLED = "settled", _("Settled")  # 已结清
    WRITTEN_OFF = "written_off", _("Written off")  # 已核销


# The reminder steps, in the order of the ladder: a step may be repeated (a second phone
# call) or skipped forward (a written notice without a call), never taken back.
LADDER: tuple[str, ...] = (
    CaseStage.OVERDUE,
    CaseStage.PHONE,
    CaseStage.NOTICE,
    CaseStage.SECOND_NOTICE,
    CaseStage.FINAL_NOTICE,
    CaseStage.DIRECTOR_VISIT,
    CaseStage.LEGAL,
)
OPEN_STAGES: tuple[str, ...] = (*LADDER, CaseStage.INSTALMENT)
CLOSED_STAGES: tuple[str, ...] = (CaseStage.SETTLED, CaseStage.WRITTEN_OFF)


def _forward(stage: str) -> frozenset[str]:
    later = LADDER[LADDER.index(stage) + 1 :]
    ends = {CaseStage.SETTLED, CaseStage.INSTALMENT}
    if stage in (CaseStage.DIRECTOR_VISIT, CaseStage.LEGAL):
        ends.add(CaseStage.WRITTEN_OFF)
    return frozenset({*later, *ends})


CASE_MOVES: dict[str, frozenset[str]] = {
    **{stage: _forward(stage) for stage in LADDER},
    # A plan kept settles the case; a plan broken goes back up the ladder (a final notice).
    CaseStage.INSTALMENT: frozenset(
        {CaseStage.SETTLED, CaseStage.FINAL_NOTICE, CaseStage.LEGAL, CaseStage.WRITTEN_OFF}
    ),
    CaseStage.SETTLED: frozenset(),
    CaseStage.WRITTEN_OFF: frozenset(),
}


class ArrearsCase(TimeStampedModel):
    """One unit's arrears being chased: the stage, the current deadline, a dispute."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    status = models.CharField(
        _("stage"), max_length=20, choices=CaseStage, default=CaseStage.OVERDUE
    )
    opened_amount = MoneyField(_("owed when opened"))
    opened_reason = models.CharField(_("opened because"), max_length=200, blank=True)
    deadline = models.DateField(
        _("pay by"), null=True, blank=True, help_text=_("The deadline of the current step.")
    )
    disputed = models.BooleanField(_("disputed"), default=False)
    dispute_ref = models.CharField(
        _("complaint no."),
        max_length=60,
        blank=True,
        help_text=_("The complaint the owner registered about the service (§08)."),
    )
    dispute_note = models.CharField(_("what is disputed"), max_length=500, blank=True)
    legal_ref = models.CharField(_("legal reference"), max_length=100, blank=True)
    closed_note = models.CharField(_("closing note"), max_length=500, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("arrears case")
        verbose_name_plural = _("arrears cases")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("approve_instalment_plan", _("Can set an arrears case's instalment plan")),
            ("propose_legal_action", _("Can move an arrears case to legal action")),
            ("write_off_case", _("Can close an arrears case as written off")),
            ("view_collection_kpis", _("Can see the collection reports")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CaseStage.values),
                name="arrearscase_known_status",
                violation_error_message=_("Unknown stage."),
            ),
            models.UniqueConstraint(
                fields=["unit"],
                condition=~Q(status__in=["settled", "written_off"]),
                name="arrearscase_one_open_per_unit",
                violation_error_message=_("This unit already has an open arrears case."),
            ),
            models.CheckConstraint(
                condition=Q(opened_amount__gt=0),
                name="arrearscase_amount_positive",
                violation_error_message=_("A case is opened for an amount above zero."),
            ),
        ]
        indexes = [
            models.Index(fields=["community", "status", "deadline"], name="arrearscase_due"),
        ]

    def __str__(self) -> str:
        return f"{self.unit.room_code} {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STAGES


class ArrearsCaseEvent(WorkflowEvent):
    """One move of a case up the ladder, or a dispute flagged or cleared."""

    statuses = dict(CaseStage.choices)

    case = models.ForeignKey(
        ArrearsCase, on_delete=models.PROTECT, related_name="events", verbose_name=_("case")
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("arrears case event")
        verbose_name_plural = _("arrears case events")


class StepMethod(models.TextChoices):
    PHONE = "phone", _("Phone call")  # 电话
    SMS = "sms", _("Text message")  # 短信
    NOTICE = "notice", _("Notice delivered")  # 送达通知单
    VISIT = "visit", _("Visit")  # 上门
    COUNTER = "counter", _("At the counter")  # 前台面谈
    LETTER = "letter", _("Lawyer's letter")  # 律师函
    COURT = "court", _("Payment order or lawsuit")  # 支付令/起诉


class DunningStep(models.Model):
    """One line of the dunning register (管理服务费催缴情况登记表): date, method, who chased,
    whom they spoke to and what the resident answered."""

    case = models.ForeignKey(
        ArrearsCase, on_delete=models.PROTECT, related_name="steps", verbose_name=_("case")
    )
    stage = models.CharField(_("step"), max_length=20, choices=CaseStage)
    done_on = models.DateField(_("date"))
    method = models.CharField(_("method"), max_length=20, choices=StepMethod)
    contact = models.CharField(_("spoke to"), max_length=100, blank=True)
    answer = models.CharField(_("resident's answer"), max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dunning step")
        verbose_name_plural = _("dunning steps")
        ordering = ["case", "done_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stage__in=CaseStage.values) & Q(method__in=StepMethod.values),
                name="dunningstep_known_values",
                violation_error_message=_("Unknown step or method."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.done_on} {self.get_method_display()}"


class PaymentPromise(models.Model):
    """A promise to pay an amount by a date (承诺缴费). Kept when the unit's payments from the
    day it was made to that date reach the amount; missed when the date passed without."""

    case = models.ForeignKey(
        ArrearsCase, on_delete=models.PROTECT, related_name="promises", verbose_name=_("case")
    )
    made_on = models.DateField(_("promised on"))
    pay_by = models.DateField(_("pay by"))
    amount = MoneyField(_("amount promised"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("promise to pay")
        verbose_name_plural = _("promises to pay")
        ordering = ["case", "pay_by", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="paymentpromise_amount_positive",
                violation_error_message=_("A promise is for an amount above zero."),
            ),
            models.CheckConstraint(
                condition=Q(pay_by__gte=models.F("made_on")),
                name="paymentpromise_date_after_made",
                violation_error_message=_("The date promised cannot be before the promise."),
            ),
        ]
        indexes = [models.Index(fields=["pay_by"], name="paymentpromise_pay_by")]

    def __str__(self) -> str:
        return f"{self.amount} / {self.pay_by}"


class InstalmentPlan(models.Model):
    """The instalment plan of a case (分期付款协议): the debt it covers from its first day, in
    lines that add up to it. Progress is the unit's ledger payments since that day."""

    case = models.OneToOneField(
        ArrearsCase,
        on_delete=models.PROTECT,
        related_name="instalment_plan",
        verbose_name=_("case"),
    )
    starts_on = models.DateField(_("from"))
    total = MoneyField(_("debt covered"))
    note = models.CharField(_("agreement"), max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("instalment plan")
        verbose_name_plural = _("instalment plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(total__gt=0),
                name="instalmentplan_total_positive",
                violation_error_message=_("A plan covers an amount above zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.total} / {self.starts_on}"


class Instalment(models.Model):
    """One instalment: pay `amount` by `due_on`."""

    plan = models.ForeignKey(
        InstalmentPlan, on_delete=models.PROTECT, related_name="lines", verbose_name=_("plan")
    )
    position = models.PositiveSmallIntegerField(_("no."))
    due_on = models.DateField(_("due on"))
    amount = MoneyField(_("amount"))

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "position"],
                name="instalment_position_once",
                violation_error_message=_("This instalment is already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="instalment_amount_positive",
                violation_error_message=_("An instalment is above zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}: {self.amount} / {self.due_on}"


class NoticeKind(models.TextChoices):
    FEE = "fee", _("Fee notice")  # 缴费通知单
    REMINDER = "reminder", _("Payment reminder")  # 催缴通知单
    SECOND = "second", _("Second reminder")  # 二次催缴通知单
    FINAL = "final", _("Final notice")  # 最后缴款通知书
    STATEMENT = "statement", _("Arrears statement")  # 欠费明细表 (the director's visit)


# The notice a case's stage sends, and the stage a notice puts the case in.
STAGE_NOTICE: dict[str, str] = {
    CaseStage.NOTICE: NoticeKind.REMINDER,
    CaseStage.SECOND_NOTICE: NoticeKind.SECOND,
    CaseStage.FINAL_NOTICE: NoticeKind.FINAL,
    CaseStage.DIRECTOR_VISIT: NoticeKind.STATEMENT,
}


class DunningNotice(TimeStampedModel):
    """One notice to one unit, as printed: what was owed, the late fee and its rate, the
    deadline; and who signed for it (签收) when it was delivered."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    case = models.ForeignKey(
        ArrearsCase,
        on_delete=models.PROTECT,
        related_name="notices",
        null=True,
        blank=True,
        verbose_name=_("case"),
    )
    kind = models.CharField(_("notice"), max_length=20, choices=NoticeKind)
    month = models.DateField(_("month"), help_text=_("The month the notice was prepared for."))
    issued_on = models.DateField(_("issued on"))
    deadline = models.DateField(_("pay by"))
    owner_name = models.CharField(_("owner"), max_length=200, blank=True)
    principal = MoneyField(_("charges owed"))
    late_fee = MoneyField(_("late fee accrued"))
    late_fee_rate = models.DecimalField(_("late fee rate per day"), max_digits=7, decimal_places=5)
    prepaid = MoneyField(_("prepaid balance"), default=Decimal("0.00"))
    lines = models.JSONField(_("items owed"), default=list)
    signed_by = models.CharField(_("signed for by"), max_length=100, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("prepared by"),
    )

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("dunning notice")
        verbose_name_plural = _("dunning notices")
        ordering = ["-month", "unit__sort_key", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "month"],
                name="dunningnotice_once_per_month",
                violation_error_message=_("This notice is already prepared for this month."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=NoticeKind.values),
                name="dunningnotice_known_kind",
                violation_error_message=_("Unknown notice."),
            ),
            models.CheckConstraint(
                condition=Q(principal__gte=0) & Q(late_fee__gte=0),
                name="dunningnotice_amounts_not_negative",
                violation_error_message=_("Amounts owed are not negative."),
            ),
        ]
        indexes = [
            models.Index(fields=["community", "month", "kind"], name="dunningnotice_month"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.month:%Y-%m}"

    @property
    def total(self) -> object:
        return self.principal + self.late_fee


class NoticeBatch(TimeStampedModel):
    """One printing of a month's notices of one kind for one building, as one PDF."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, related_name="+", verbose_name=_("building")
    )
    kind = models.CharField(_("notice"), max_length=20, choices=NoticeKind)
    month = models.DateField(_("month"))
    count = models.PositiveIntegerField(_("notices"), default=0)
    file = models.CharField(_("file"), max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice printing")
        verbose_name_plural = _("notice printings")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.building} {self.get_kind_display()} {self.month:%Y-%m}"


def may_chase(user: User | None, case: ArrearsCase) -> bool:
    """The cashier, supervisor and director anywhere in the community; an area manager only
    in the zones they look after (spec §26 "Arrears cases / dunning": AM U own zone); the
    scheduled job (None) when a deadline passed or the unit paid."""
    from guanjia.core.access import has_perm_in
    from guanjia.estates.selectors.access import is_zone_bound, managed_zone_ids

    if user is None:
        return True
    if not has_perm_in(user, "cashier.change_arrearscase", case.community_id):
        return False
    if is_zone_bound(user, case.community):
        return case.unit.building.zone_id in managed_zone_ids(user, case.community)
    return True


def _may_plan(user: User, case: ArrearsCase) -> bool:
    from guanjia.core.access import has_perm_in

    return has_perm_in(user, "cashier.approve_instalment_plan", case.community_id)


def _may_go_legal(user: User, case: ArrearsCase) -> bool:
    from guanjia.core.access import has_perm_in

    return has_perm_in(user, "cashier.propose_legal_action", case.community_id)


def _may_write_off(user: User, case: ArrearsCase) -> bool:
    from guanjia.core.access import has_perm_in

    return has_perm_in(user, "cashier.write_off_case", case.community_id)


workflows.register(
    ArrearsCase,
    workflows.Transitions(
        moves=CASE_MOVES,
        event_model=ArrearsCaseEvent,
        event_object="case",
        actor=may_chase,
        actors={
            CaseStage.INSTALMENT: _may_plan,
            CaseStage.LEGAL: _may_go_legal,
            CaseStage.WRITTEN_OFF: _may_write_off,
        },
    ),
)
