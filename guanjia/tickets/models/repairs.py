"""Repair work orders (维修派工单): the job, its deadlines, pauses, photos and outcome."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core import workflows
from guanjia.core.access import has_perm_in
from guanjia.core.files.storage import RandomName
from guanjia.core.models import Community, TimeStampedModel
from guanjia.core.money import MoneyField
from guanjia.estates.models import Unit

from .common import USER, TicketEvent, TicketQuerySet
from .requests import ServiceRequest

if TYPE_CHECKING:
    from guanjia.core.access import User


class Location(models.TextChoices):
    HOME = "home", _("In the home")  # 户内
    COMMON = "common", _("Common parts")  # 公共部位


class RepairCategory(models.TextChoices):
    PLUMBING = "plumbing", _("Water and drains")
    ELECTRICAL = "electrical", _("Electrical")
    DOORS = "doors", _("Doors, windows and locks")
    WALLS = "walls", _("Walls, ceilings and leaks")
    LIFT = "lift", _("Lift")
    OTHER = "other", _("Other")


class Urgency(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency")  # 紧急
    ORDINARY = "ordinary", _("Ordinary")  # 一般
    APPOINTMENT = "appointment", _("By appointment")  # 预约


class Warranty(models.TextChoices):
    NONE = "none", _("Out of warranty")
    DEVELOPER = "developer", _("In statutory warranty: referred to the developer")


class QuoteStatus(models.TextChoices):
    NONE = "", _("No quote")
    PENDING = "pending", _("Awaiting the resident")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class RepairStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")  # 已登记
    DISPATCHED = "dispatched", _("Dispatched")  # 已派工
    ACCEPTED = "accepted", _("Accepted by the technician")  # 已接单
    ON_SITE = "on_site", _("On site")  # 已到场
    QUOTED = "quoted", _("Quote awaiting the resident")  # 待确认报价
    WAITING_PARTS = "waiting_parts", _("Waiting for parts")  # 待料
    NO_ACCESS = "no_access", _("No access")  # 无法入户
    COMPLETED = "completed", _("Completed")  # 已完工
    VERIFIED = "verified", _("Verified by the resident")  # 已验收
    # Only where the policy visit.repair_close_after_visit says so (spec §15): the visits
    # app closes the order once its follow-up visit is made (or none is owed).
    CLOSED = "closed", _("Closed after its visit")  # 已回访关闭
    CANCELLED = "cancelled", _("Cancelled")  # 已取消


# The whole repair workflow: any move not listed here is refused.
REPAIR_MOVES: dict[str, frozenset[str]] = {
    RepairStatus.REGISTERED: frozenset({RepairStatus.DISPATCHED, RepairStatus.CANCELLED}),
    RepairStatus.DISPATCHED: frozenset(
        {RepairStatus.ACCEPTED, RepairStatus.DISPATCHED, RepairStatus.CANCELLED}
    ),
    RepairStatus.ACCEPTED: frozenset({RepairStatus.ON_SITE, RepairStatus.NO_ACCESS}),
    RepairStatus.ON_SITE: frozenset(
        {RepairStatus.QUOTED, RepairStatus.WAITING_PARTS, RepairStatus.COMPLETED}
    ),
    RepairStatus.QUOTED: frozenset({RepairStatus.ON_SITE, RepairStatus.CANCELLED}),
    RepairStatus.WAITING_PARTS: frozenset({RepairStatus.ON_SITE}),
    RepairStatus.NO_ACCESS: frozenset({RepairStatus.ACCEPTED, RepairStatus.CANCELLED}),
    RepairStatus.COMPLETED: frozenset({RepairStatus.VERIFIED, RepairStatus.ON_SITE}),
    RepairStatus.VERIFIED: frozenset({RepairStatus.CLOSED}),
    RepairStatus.CLOSED: frozenset(),
    RepairStatus.CANCELLED: frozenset(),
}
PAUSED_STATUSES = frozenset(
    {RepairStatus.WAITING_PARTS, RepairStatus.NO_ACCESS, RepairStatus.QUOTED}
)


class RepairOrder(TimeStampedModel):
    """A repair work order (派工单): the job, who does it, its deadlines and its outcome."""

    FINAL_STATUSES = (RepairStatus.VERIFIED, RepairStatus.CLOSED, RepairStatus.CANCELLED)

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    request = models.OneToOneField(
        ServiceRequest, on_delete=models.PROTECT, related_name="repair", null=True, blank=True
    )
    number = models.CharField(_("number"), max_length=30)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("unit")
    )
    location = models.CharField(_("location"), max_length=10, choices=Location)
    place = models.CharField(_("place"), max_length=200, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=RepairCategory)
    urgency = models.CharField(_("urgency"), max_length=12, choices=Urgency)
    appointment_at = models.DateTimeField(_("appointment"), null=True, blank=True)
    warranty = models.CharField(
        _("warranty"), max_length=12, choices=Warranty, default=Warranty.NONE
    )
    is_paid = models.BooleanField(_("paid repair"), default=False)
    description = models.TextField(_("fault reported"), max_length=4000)
    status = models.CharField(
        _("status"), max_length=20, choices=RepairStatus, default=RepairStatus.REGISTERED
    )
    technician = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("technician"),
    )
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    arrive_due = models.DateTimeField(_("arrival due"))
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    arrive_met = models.BooleanField(_("arrived on time"), null=True, blank=True)
    complete_due = models.DateTimeField(_("completion due"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    complete_met = models.BooleanField(_("completed on time"), null=True, blank=True)
    paused_since = models.DateTimeField(_("clock paused since"), null=True, blank=True)
    quote_amount = MoneyField(_("quote"), null=True, blank=True)
    quote_status = models.CharField(
        _("quote status"), max_length=10, choices=QuoteStatus, default=QuoteStatus.NONE, blank=True
    )
    parts_promised_on = models.DateField(_("parts promised by"), null=True, blank=True)
    fault = models.TextField(_("fault found"), max_length=2000, blank=True)
    work_done = models.TextField(_("work done"), max_length=2000, blank=True)
    materials = models.TextField(_("materials"), max_length=2000, blank=True)
    labour_minutes = models.PositiveIntegerField(_("labour (minutes)"), null=True, blank=True)
    # Posted to the unit's account when the resident verifies the work (services/charges.py).
    charge_amount = MoneyField(_("charge"), null=True, blank=True)
    charge_entry = models.ForeignKey(
        "billing.LedgerEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ledger charge"),
    )
    signature = models.ImageField(
        _("resident's signature"), upload_to=RandomName("tickets/signatures"), blank=True
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    is_satisfied = models.BooleanField(_("resident satisfied"), null=True, blank=True)
    rework_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reworks",
        verbose_name=_("rework of"),
    )

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("repair order")
        verbose_name_plural = _("repair orders")
        ordering = ["-pk"]
        permissions = [
            ("dispatch_repairorder", _("Can dispatch repair orders")),
            ("work_repairorder", _("Can work on repair orders")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "number"],
                name="repairorder_unique_number",
                violation_error_message=_("This repair order number is already used."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=RepairStatus.values), name="repairorder_known_status"
            ),
            models.CheckConstraint(
                condition=Q(quote_amount__isnull=True) | Q(quote_amount__gte=0),
                name="repairorder_quote_not_negative",
                violation_error_message=_("A quote cannot be negative."),
            ),
        ]
        indexes = [
            models.Index(fields=["community", "status"], name="repairorder_by_status"),
            models.Index(fields=["community", "urgency"], name="repairorder_by_urgency"),
            models.Index(fields=["community", "category"], name="repairorder_by_category"),
            # The SLA sweep reads open deadlines only: partial indexes stay small.
            models.Index(
                fields=["arrive_due"],
                condition=Q(arrived_at__isnull=True),
                name="repairorder_arrive_due",
            ),
            models.Index(
                fields=["complete_due"],
                condition=Q(completed_at__isnull=True),
                name="repairorder_complete_due",
            ),
            # A community's overdue list: the same open deadlines, by community.
            models.Index(
                fields=["community", "arrive_due"],
                condition=Q(arrived_at__isnull=True),
                name="repairorder_open_arrival",
            ),
            models.Index(
                fields=["community", "complete_due"],
                condition=Q(completed_at__isnull=True),
                name="repairorder_open_completion",
            ),
            models.Index(fields=["technician", "status"], name="repairorder_my_jobs"),
        ]

    def __str__(self) -> str:
        return self.number

    def next_statuses(self) -> frozenset[str]:
        return REPAIR_MOVES[self.status]

    @property
    def charge_text(self) -> str:
        """What the resident owes for the job, in words (应收): the charge once set, a paid
        repair's quote and its answer, "to be quoted" before the quote, else free."""
        if self.charge_amount is not None:
            return f"¥{self.charge_amount}"
        if not self.is_paid:
            return str(_("free"))
        if self.quote_amount is None:
            return str(_("to be quoted"))
        return f"¥{self.quote_amount} ({self.get_quote_status_display()})"


class RepairEvent(TicketEvent):
    """One step in a repair order's life (dispatched, arrived, completed...)."""

    order = models.ForeignKey(RepairOrder, on_delete=models.PROTECT, related_name="events")
    statuses = dict(RepairStatus.choices)

    class Meta(TicketEvent.Meta):
        verbose_name = _("repair event")


def works_the_job(user: User, order: RepairOrder) -> bool:
    """The technician of the job, or someone who dispatches repairs in its community."""
    return order.technician_id == user.pk or has_perm_in(
        user, "tickets.dispatch_repairorder", order.community_id
    )


# The resident's answers (a quote accepted, the work not accepted) send the job back on
# site; the front desk records them, so only the technician's own return is theirs.
RESIDENT_RETURNS = frozenset({RepairStatus.QUOTED, RepairStatus.COMPLETED})


def may_go_on_site(user: User, order: RepairOrder) -> bool:
    return order.status in RESIDENT_RETURNS or works_the_job(user, order)


workflows.register(
    RepairOrder,
    workflows.Transitions(
        moves=REPAIR_MOVES,
        event_model=RepairEvent,
        event_object="order",
        # Dispatching, cancelling and the resident's verification: the page's permission
        # (tickets.dispatch_repairorder, tickets.change_repairorder) is the whole check.
        actor=workflows.anyone,
        actors={
            RepairStatus.ACCEPTED: works_the_job,
            RepairStatus.ON_SITE: may_go_on_site,
            RepairStatus.QUOTED: works_the_job,
            RepairStatus.WAITING_PARTS: works_the_job,
            RepairStatus.NO_ACCESS: works_the_job,
            RepairStatus.COMPLETED: works_the_job,
        },
    ),
)


class RepairPause(TimeStampedModel):
    """A stretch of time the repair clock stood still (waiting for parts or the resident)."""

    order = models.ForeignKey(RepairOrder, on_delete=models.PROTECT, related_name="pauses")
    reason = models.CharField(_("reason"), max_length=20)
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("repair pause")
        ordering = ["started_at"]


class PhotoKind(models.TextChoices):
    BEFORE = "before", _("Before")
    AFTER = "after", _("After")


class RepairPhoto(TimeStampedModel):
    """A photo of the job, before or after the work."""

    order = models.ForeignKey(RepairOrder, on_delete=models.PROTECT, related_name="photos")
    kind = models.CharField(_("kind"), max_length=10, choices=PhotoKind)
    image = models.ImageField(_("photo"), upload_to=RandomName("tickets/photos"))
    taken_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("repair photo")
