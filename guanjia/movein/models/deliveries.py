"""One unit's delivery (入住办理, spec §09, §25.6): the buyer from the developer's list, the
unit's delivery state, and the counter's steps in their order (verify, register, fees,
documents, joint inspection, keys, cards)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanjia.core import workflows
from guanjia.core.files.storage import RandomName
from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.core.workflows import WorkflowEvent
from guanjia.estates.models import Person, Unit

from .batches import DeliveryBatch


class DeliveryStatus(models.TextChoices):
    LISTED = "listed", _("On the buyer list")  # 已导入
    NOTIFIED = "notified", _("Notified")  # 已通知
    DELIVERED = "delivered", _("Delivered")  # 已交房
    DEEMED = "deemed_delivered", _("Deemed delivered")  # 视同交房
    REFUSED = "refused", _("Refused")  # 拒收


class DefectState(models.TextChoices):
    NONE = "", _("No defects")
    OPEN = "open", _("Defects open")  # 整改中
    CLOSED = "closed", _("Defects closed")  # 整改完毕


class BuyerKind(models.TextChoices):
    PERSON = "person", _("Person")
    COMPANY = "company", _("Company")


class VerifiedAs(models.TextChoices):
    OWNER = "owner", _("The buyer in person")  # 本人
    AGENT = "agent", _("An agent with a notarised power of attorney")  # 委托代理人
    COMPANY = "company", _("The company's contact person")  # 单位联系人


D = DeliveryStatus
DELIVERY_MOVES: dict[str, frozenset[str]] = {
    D.LISTED: frozenset({D.NOTIFIED}),
    D.NOTIFIED: frozenset({D.DELIVERED, D.DEEMED, D.REFUSED}),
    D.REFUSED: frozenset({D.DELIVERED, D.DEEMED}),
    D.DEEMED: frozenset({D.DELIVERED}),
    D.DELIVERED: frozenset(),
}

# The counter's steps in their order; `needs` names the steps that must be done first.
STEPS: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    ("verified", _("Buyer verified"), ()),
    ("registered", _("Household registered"), ("verified",)),
    ("fees", _("Initial fees paid"), ("registered",)),
    ("documents", _("Documents signed"), ("verified",)),
    ("inspected", _("Joint inspection"), ("verified",)),
    ("keys", _("Keys handed over"), ("registered", "fees", "documents", "inspected")),
    ("cards", _("Access cards issued"), ("keys",)),
)
STEP_CODES = tuple(code for code, _label, _needs in STEPS)


class DeliveryQuerySet(CommunityScopedQuerySet):
    pass


class Delivery(TimeStampedModel):
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    batch = models.ForeignKey(
        DeliveryBatch, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("batch")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    buyer_name = models.CharField(_("buyer"), max_length=100)
    buyer_kind = models.CharField(
        _("buyer kind"), max_length=10, choices=BuyerKind, default=BuyerKind.PERSON
    )
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    joint_owners = models.CharField(_("joint owners"), max_length=200, blank=True)
    id_type = models.CharField(_("ID type"), max_length=20, blank=True)
    id_number_cipher = models.TextField(blank=True, editable=False)
    id_number_hash = models.CharField(max_length=64, blank=True, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=40, blank=True, editable=False)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    contract_no = models.CharField(_("purchase contract no."), max_length=50, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=D, default=D.LISTED)
    defects = models.CharField(
        _("defects"), max_length=10, choices=DefectState, default=DefectState.NONE, blank=True
    )
    # The counter's steps, each with when and by whom.
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_as = models.CharField(_("verified as"), max_length=10, choices=VerifiedAs, blank=True)
    attorney_ref = models.CharField(_("power of attorney no."), max_length=60, blank=True)
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    fees_at = models.DateTimeField(_("fees paid at"), null=True, blank=True)
    prepaid_months = models.PositiveSmallIntegerField(_("months prepaid"), default=0)
    fees_receipt = models.CharField(_("receipt no."), max_length=40, blank=True)
    documents_at = models.DateTimeField(_("documents signed at"), null=True, blank=True)
    documents_signature = models.ImageField(
        _("signature on the documents"), upload_to=RandomName("movein/signatures"), blank=True
    )
    inspected_at = models.DateTimeField(_("inspected at"), null=True, blank=True)
    keys_at = models.DateTimeField(_("keys handed over at"), null=True, blank=True)
    keys_count = models.PositiveSmallIntegerField(_("keys"), default=0)
    keys_description = models.CharField(_("key set"), max_length=100, blank=True)
    keys_signature = models.ImageField(
        _("owner's signature for the keys"), upload_to=RandomName("movein/signatures"), blank=True
    )
    cards_at = models.DateTimeField(_("cards issued at"), null=True, blank=True)
    cards_free = models.PositiveSmallIntegerField(_("free access cards"), default=0)
    cards_extra = models.PositiveSmallIntegerField(_("extra access cards"), default=0)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusing"), max_length=2000, blank=True)
    complaint_number = models.CharField(_("complaint no."), max_length=30, blank=True)
    last_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["unit__sort_key", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                name="delivery_one_per_unit",
                violation_error_message=_("This unit is already on a delivery batch."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=D.values),
                name="delivery_known_status",
                violation_error_message=_("Unknown delivery status."),
            ),
        ]
        indexes = [
            models.Index(fields=["community", "status"], name="delivery_by_status"),
            models.Index(fields=["batch", "status"], name="delivery_by_batch"),
        ]

    def __str__(self) -> str:
        return f"{self.unit.room_code} {self.buyer_name}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("movein:delivery-detail", args=[self.pk])

    def step_done(self, code: str) -> bool:
        return getattr(self, f"{code}_at") is not None

    def steps(self) -> list[dict[str, Any]]:
        rows = []
        for code, label, needs in STEPS:
            done = self.step_done(code)
            rows.append(
                {
                    "code": code,
                    "label": label,
                    "done": done,
                    "at": getattr(self, f"{code}_at"),
                    "open": not done and all(self.step_done(n) for n in needs),
                }
            )
        return rows

    @property
    def next_step(self) -> str:
        for code in STEP_CODES:
            if not self.step_done(code):
                return code
        return ""

    @property
    def progress(self) -> int:
        return sum(1 for code in STEP_CODES if self.step_done(code))


class DeliveryEvent(WorkflowEvent):
    statuses = dict(DeliveryStatus.choices)

    delivery = models.ForeignKey(
        Delivery, on_delete=models.PROTECT, related_name="events", verbose_name=_("delivery")
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("delivery event")
        verbose_name_plural = _("delivery events")


def _may_serve(user: Any, delivery: Delivery) -> bool:
    from guanjia.core.access import has_perm_in

    return has_perm_in(user, "movein.change_delivery", delivery.community_id)


def _may_plan(user: Any, delivery: Delivery) -> bool:
    from guanjia.core.access import has_perm_in

    return has_perm_in(user, "movein.add_deliverybatch", delivery.community_id)


workflows.register(
    Delivery,
    workflows.Transitions(
        moves=DELIVERY_MOVES,
        event_model=DeliveryEvent,
        event_object="delivery",
        actor=_may_serve,
        actors={D.NOTIFIED: _may_plan, D.DEEMED: _may_plan},
    ),
)
