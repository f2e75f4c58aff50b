"""The service register (来电来访来函), complaints (投诉) and repair orders (维修派工单)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.core.money import MoneyField
from guanjia.estates.models import Person, Unit

USER = settings.AUTH_USER_MODEL


class Channel(models.TextChoices):
    VISIT = "visit", _("Visit")  # 来访
    PHONE = "phone", _("Phone")  # 来电
    LETTER = "letter", _("Letter")  # 来函
    EMAIL = "email", _("E-mail")
    PORTAL = "portal", _("Resident portal")
    FORWARDED = "forwarded", _("Head office or government")  # 上级转办
    PATROL = "patrol", _("Found on patrol")
    AFTER_HOURS = "after_hours", _("After hours (security)")


class RequestKind(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation")  # 咨询
    REPAIR = "repair", _("Repair")  # 报修
    COMPLAINT = "complaint", _("Complaint")  # 投诉
    SUGGESTION = "suggestion", _("Suggestion")  # 建议
    PRAISE = "praise", _("Praise")  # 表扬
    HELP = "help", _("Help request")  # 求助
    ADMIN_SERVICE = "admin_service", _("Administrative service")  # 行政服务


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class LetterStatus(models.TextChoices):
    NONE = "", _("No written reply yet")
    DRAFTED = "drafted", _("Reply drafted")  # 已拟稿
    CHECKED = "checked", _("Reply checked by the supervisor")  # 主管已审核
    APPROVED = "approved", _("Reply approved by the director")  # 主任已批准


class TicketQuerySet(CommunityScopedQuerySet):
    """Tickets with their named filters."""

    def open(self) -> TicketQuerySet:
        return self.exclude(status__in=self.model.FINAL_STATUSES)  # type: ignore[attr-defined]


class ServiceRequest(TimeStampedModel):
    """One contact in the service register: who asked what, by which channel, and the answer."""

    FINAL_STATUSES = (RequestStatus.CLOSED,)

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    number = models.CharField(_("number"), max_length=30)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel)
    kind = models.CharField(_("type"), max_length=20, choices=RequestKind)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("unit")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("person")
    )
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    requester_name = models.CharField(_("requester name"), max_length=50, blank=True)
    requester_phone = models.CharField(_("requester phone"), max_length=30, blank=True)
    content = models.TextField(_("content"), max_length=4000)
    received_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("received by")
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus, default=RequestStatus.OPEN
    )
    answer = models.TextField(_("answer"), max_length=4000, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at_first_contact = models.BooleanField(_("resolved at first contact"), default=False)
    master = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repeats",
        verbose_name=_("repeat of"),
    )
    # Letters (来函): a subject, and a written reply drafted, checked and approved in turn.
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    letter_due = models.DateField(_("written reply due"), null=True, blank=True)
    letter_reply = models.TextField(_("written reply"), max_length=8000, blank=True)
    letter_status = models.CharField(
        _("written reply status"), max_length=10, choices=LetterStatus, blank=True, default=""
    )
    letter_drafted_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    letter_checked_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    letter_approved_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-received_at", "-pk"]
        permissions = [
            ("check_letter", _("Can check the written reply to a letter")),
            ("approve_letter", _("Can approve the written reply to a letter")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "number"],
                name="servicerequest_unique_number",
                violation_error_message=_("This register number is already used."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=RequestStatus.values), name="servicerequest_known_status"
            ),
        ]
        indexes = [
            models.Index(fields=["community", "-received_at"], name="servicerequest_recent"),
            models.Index(fields=["community", "status", "kind"], name="servicerequest_open"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def requester(self) -> str:
        if self.is_anonymous:
            return str(_("Anonymous"))
        return self.requester_name or (self.person.name if self.person else "")


class RequestAttachment(TimeStampedModel):
    """A file that came with a contact (a letter's scan, a photo the resident sent)."""

    entry = models.ForeignKey(ServiceRequest, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("file"), upload_to="tickets/attachments/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("attachment")
        ordering = ["pk"]


class Severity(models.TextChoices):
    MINOR = "minor", _("Minor")  # 一般
    IMPORTANT = "important", _("Important")  # 重要
    MAJOR = "major", _("Major")  # 重大


class Validity(models.TextChoices):
    PENDING = "pending", _("Not yet classified")
    VALID = "valid", _("Valid")  # 有效投诉
    INVALID = "invalid", _("Invalid")  # 无效投诉


class ComplaintCategory(models.TextChoices):
    SERVICE = "service", _("Service attitude")
    REPAIR = "repair", _("Repairs and maintenance")
    CLEANING = "cleaning", _("Cleaning and greening")
    SECURITY = "security", _("Security and parking")
    FEES = "fees", _("Fees")
    NEIGHBOUR = "neighbour", _("Neighbours")
    OTHER = "other", _("Other")


class Department(models.TextChoices):
    CUSTOMER_SERVICE = "customer_service", _("Customer service center")
    ENGINEERING = "engineering", _("Engineering")
    SECURITY = "security", _("Security")
    CLEANING = "cleaning", _("Cleaning and greening")
    FINANCE = "finance", _("Finance")


class ReplyMethod(models.TextChoices):
    PHONE = "phone", _("Phone")
    VISIT = "visit", _("In person")
    LETTER = "letter", _("Letter")
    SMS = "sms", _("SMS")
    PORTAL = "portal", _("Resident portal")


class ComplaintStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")  # 已登记
    HANDLING = "handling", _("Being handled")  # 处理中
    INVALID = "invalid", _("Invalid, to be explained")  # 无效待解释
    RESOLVED = "resolved", _("Resolved")  # 已处理
    REPLIED = "replied", _("Replied")  # 已回复
    CLOSED = "closed", _("Closed")  # 已关闭


C = ComplaintStatus
# The whole complaint workflow: any move not listed here is refused.
COMPLAINT_MOVES: dict[str, frozenset[str]] = {
    C.REGISTERED: frozenset({C.HANDLING, C.INVALID}),
    C.HANDLING: frozenset({C.RESOLVED}),
    C.INVALID: frozenset({C.REPLIED, C.CLOSED}),
    C.RESOLVED: frozenset({C.REPLIED, C.HANDLING, C.CLOSED}),
    C.REPLIED: frozenset({C.CLOSED, C.HANDLING}),
    C.CLOSED: frozenset(),
}


class Complaint(TimeStampedModel):
    """A complaint (投诉) with its classification, deadlines, result and reply."""

    FINAL_STATUSES = (C.CLOSED,)

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    request = models.OneToOneField(
        ServiceRequest, on_delete=models.PROTECT, related_name="complaint"
    )
    number = models.CharField(_("number"), max_length=30)
    status = models.CharField(_("status"), max_length=20, choices=C, default=C.REGISTERED)
    validity = models.CharField(
        _("validity"), max_length=10, choices=Validity, default=Validity.PENDING
    )
    invalid_reason = models.CharField(_("reason it is invalid"), max_length=500, blank=True)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity, default=Severity.MINOR
    )
    category = models.CharField(
        _("category"), max_length=20, choices=ComplaintCategory, default=ComplaintCategory.OTHER
    )
    department = models.CharField(_("department"), max_length=20, choices=Department, blank=True)
    handler = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    about_employee = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("about employee"),
    )
    promise_date = models.DateField(_("promised by"), null=True, blank=True)
    result = models.TextField(_("result"), max_length=4000, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    reply = models.TextField(_("reply"), max_length=4000, blank=True)
    reply_method = models.CharField(
        _("reply method"), max_length=20, choices=ReplyMethod, blank=True
    )
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    first_reply_due = models.DateTimeField(_("first reply due"))
    first_replied_at = models.DateTimeField(_("first replied at"), null=True, blank=True)
    first_reply_met = models.BooleanField(_("first reply on time"), null=True, blank=True)
    resolve_due = models.DateTimeField(_("resolution due"), null=True, blank=True)
    resolve_met = models.BooleanField(_("resolved on time"), null=True, blank=True)
    escalate_at = models.DateTimeField(_("becomes major at"))
    escalated_at = models.DateTimeField(_("became major at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-pk"]
        permissions = [("view_desk_kpis", _("Can view the service desk KPIs"))]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "number"],
                name="complaint_unique_number",
                violation_error_message=_("This complaint number is already used."),
            ),
            models.CheckConstraint(condition=Q(status__in=C.values), name="complaint_known_status"),
        ]
        indexes = [
            models.Index(fields=["community", "status"], name="complaint_by_status"),
            # The SLA sweep reads open deadlines only: partial indexes stay small.
            models.Index(
                fields=["resolve_due"],
                condition=Q(resolved_at__isnull=True),
                name="complaint_resolve_due",
            ),
            models.Index(
                fields=["first_reply_due"],
                condition=Q(first_replied_at__isnull=True),
                name="complaint_reply_due",
            ),
            models.Index(
                fields=["escalate_at"],
                condition=Q(escalated_at__isnull=True, resolved_at__isnull=True),
                name="complaint_escalate_at",
            ),
            models.Index(
                fields=["community", "resolve_due"],
                condition=Q(resolved_at__isnull=True),
                name="complaint_open_resolution",
            ),
            models.Index(
                fields=["community", "first_reply_due"],
                condition=Q(first_replied_at__isnull=True),
                name="complaint_open_first_reply",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def next_statuses(self) -> frozenset[str]:
        return COMPLAINT_MOVES[self.status]


# How each event's action reads on a timeline.
ACTION_LABELS = {
    "registered": _("Registered"), "classified": _("Classified"), "progress": _("Progress"),
    "promised": _("Promised"), "promise_changed": _("Promise changed"),
    "resolved": _("Resolved"), "replied": _("Replied"), "closed": _("Closed"),
    "reopened": _("Reopened"), "escalated": _("Became major"),
    "action_corrective": _("Corrective action"), "action_preventive": _("Preventive action"),
    "action_done": _("Action done"), "action_verified": _("Action verified"),
    "dispatched": _("Dispatched"), "accepted": _("Accepted by the technician"),
    "arrived": _("Arrived on site"), "quoted": _("Quoted"), "quote_accepted": _("Quote accepted"),
    "quote_declined": _("Quote declined"), "waiting_parts": _("Waiting for parts"),
    "resumed": _("Work resumed"), "no_access": _("No access"), "completed": _("Completed"),
    "verified": _("Verified by the resident"), "rejected": _("Resident not satisfied"),
    "rework": _("Rework"), "cancelled": _("Cancelled"),
}  # fmt: skip


class Event(TimeStampedModel):
    """Abstract: one step of a workflow, with who, when, the states and a note."""

    statuses: dict[str, Any] = {}

    actor = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)
    action = models.CharField(_("action"), max_length=30)
    old_status = models.CharField(_("from"), max_length=20, blank=True)
    new_status = models.CharField(_("to"), max_length=20, blank=True)
    note = models.TextField(_("note"), max_length=4000, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))

    @property
    def old_label(self) -> str:
        return str(self.statuses.get(self.old_status, self.old_status))

    @property
    def new_label(self) -> str:
        return str(self.statuses.get(self.new_status, self.new_status))


class ComplaintEvent(Event):
    """One step in a complaint's life (classified, promised, replied...)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="events")
    statuses = dict(ComplaintStatus.choices)

    class Meta(Event.Meta):
        verbose_name = _("complaint event")


class ActionKind(models.TextChoices):
    CORRECTIVE = "corrective", _("Corrective")  # 纠正措施
    PREVENTIVE = "preventive", _("Preventive")  # 预防措施


class ComplaintAction(TimeStampedModel):
    """A corrective or preventive action taken because of a complaint, with owner and due date.

    Steps: recorded, done (by the owner or a complaint handler), verified (by another person
    than the owner: separation rule `action_verify`)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField(_("kind"), max_length=12, choices=ActionKind)
    description = models.CharField(_("description"), max_length=500)
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("due on"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    done_note = models.TextField(_("what was done"), max_length=2000, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verify_note = models.TextField(_("verification"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("corrective or preventive action")
        ordering = ["due_on", "pk"]


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
    CANCELLED = "cancelled", _("Cancelled")  # 已取消


R = RepairStatus
# The whole repair workflow: any move not listed here is refused.
REPAIR_MOVES: dict[str, frozenset[str]] = {
    R.REGISTERED: frozenset({R.DISPATCHED, R.CANCELLED}),
    R.DISPATCHED: frozenset({R.ACCEPTED, R.DISPATCHED, R.CANCELLED}),
    R.ACCEPTED: frozenset({R.ON_SITE, R.NO_ACCESS}),
    R.ON_SITE: frozenset({R.QUOTED, R.WAITING_PARTS, R.COMPLETED}),
    R.QUOTED: frozenset({R.ON_SITE, R.CANCELLED}),
    R.WAITING_PARTS: frozenset({R.ON_SITE}),
    R.NO_ACCESS: frozenset({R.ACCEPTED, R.CANCELLED}),
    R.COMPLETED: frozenset({R.VERIFIED, R.ON_SITE}),
    R.VERIFIED: frozenset(),
    R.CANCELLED: frozenset(),
}
PAUSED_STATUSES = frozenset({R.WAITING_PARTS, R.NO_ACCESS, R.QUOTED})


class RepairOrder(TimeStampedModel):
    """A repair work order (派工单): the job, who does it, its deadlines and its outcome."""

    FINAL_STATUSES = (R.VERIFIED, R.CANCELLED)

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
    status = models.CharField(_("status"), max_length=20, choices=R, default=R.REGISTERED)
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
    signature = models.ImageField(_("resident's signature"), upload_to="tickets/sign/", blank=True)
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
                condition=Q(status__in=R.values), name="repairorder_known_status"
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


class RepairEvent(Event):
    """One step in a repair order's life (dispatched, arrived, completed...)."""

    order = models.ForeignKey(RepairOrder, on_delete=models.PROTECT, related_name="events")
    statuses = dict(RepairStatus.choices)

    class Meta(Event.Meta):
        verbose_name = _("repair event")


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
    image = models.ImageField(_("photo"), upload_to="tickets/photos/")
    taken_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("repair photo")


class DeadlineAlert(TimeStampedModel):
    """That the SLA sweep warned about, or recorded the breach of, one deadline of one ticket.

    The unique key makes the sweep idempotent: each warning and breach is sent once."""

    class Stage(models.TextChoices):
        WARNING = "warning", _("Warning")
        BREACH = "breach", _("Breach")
        ESCALATION = "escalation", _("Escalation")

    community = models.ForeignKey(Community, on_delete=models.PROTECT)
    ticket_type = models.CharField(max_length=12)  # "complaint", "repair" or "request" (letter)
    ticket_id = models.BigIntegerField()
    deadline = models.CharField(max_length=20)  # the column name, e.g. "resolve_due"
    due = models.DateTimeField()
    stage = models.CharField(max_length=12, choices=Stage)

    class Meta:
        verbose_name = _("deadline alert")
        constraints = [
            models.UniqueConstraint(
                fields=["ticket_type", "ticket_id", "deadline", "due", "stage"],
                name="deadlinealert_once",
                violation_error_message=_("This alert was already sent."),
            )
        ]


class SavedView(TimeStampedModel):
    """A user's saved filter of a ticket list: a name and a query string."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    list_name = models.CharField(_("list"), max_length=20)
    name = models.CharField(_("name"), max_length=60)
    querystring = models.CharField(_("filter"), max_length=1000)

    class Meta:
        verbose_name = _("saved view")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "list_name", "name"],
                name="savedview_unique_name",
                violation_error_message=_("You already have a view with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


def ticket_models() -> dict[str, Any]:
    return {"complaint": Complaint, "repair": RepairOrder}
