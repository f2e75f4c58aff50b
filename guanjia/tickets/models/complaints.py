"""Complaints (投诉): classification, deadlines, result, reply and corrective actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanjia.core import workflows
from guanjia.core.access import has_perm_in
from guanjia.core.models import Community, TimeStampedModel

from .common import USER, TicketEvent, TicketQuerySet
from .requests import ServiceRequest

if TYPE_CHECKING:
    from guanjia.core.access import User


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
    # How the reply went out (电话回复, 当面回复, 书面回复...): not the contact's channel.
    PHONE = "phone", _("By phone")
    VISIT = "visit", _("In person")
    LETTER = "letter", _("In writing")
    SMS = "sms", _("By SMS")
    PORTAL = "portal", _("Through the resident portal")


class ComplaintStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")  # 已登记
    HANDLING = "handling", _("Being handled")  # 处理中
    INVALID = "invalid", _("Invalid, to be explained")  # 无效待解释
    RESOLVED = "resolved", _("Resolved")  # 已处理
    REPLIED = "replied", _("Replied")  # 已回复
    VISITED = "visited", _("Visited, awaiting sign-off")  # 已回访待审核
    CLOSED = "closed", _("Closed")  # 已关闭


# The whole complaint workflow: any move not listed here is refused.
COMPLAINT_MOVES: dict[str, frozenset[str]] = {
    ComplaintStatus.REGISTERED: frozenset({ComplaintStatus.HANDLING, ComplaintStatus.INVALID}),
    ComplaintStatus.HANDLING: frozenset({ComplaintStatus.RESOLVED}),
    ComplaintStatus.INVALID: frozenset({ComplaintStatus.REPLIED, ComplaintStatus.CLOSED}),
    # Closing a resolved or replied complaint: only an invalid or anonymous one (the guard);
    # a valid one is visited first and then signed off (spec §08 steps 7 and 8).
    ComplaintStatus.RESOLVED: frozenset(
        {
            ComplaintStatus.REPLIED,
            ComplaintStatus.HANDLING,
            ComplaintStatus.VISITED,
            ComplaintStatus.CLOSED,
        }
    ),
    ComplaintStatus.REPLIED: frozenset(
        {ComplaintStatus.VISITED, ComplaintStatus.CLOSED, ComplaintStatus.HANDLING}
    ),
    ComplaintStatus.VISITED: frozenset({ComplaintStatus.CLOSED, ComplaintStatus.HANDLING}),
    ComplaintStatus.CLOSED: frozenset(),
}


class Complaint(TimeStampedModel):
    """A complaint (投诉) with its classification, deadlines, result and reply."""

    FINAL_STATUSES = (ComplaintStatus.CLOSED,)

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    request = models.OneToOneField(
        ServiceRequest, on_delete=models.PROTECT, related_name="complaint"
    )
    number = models.CharField(_("number"), max_length=30)
    status = models.CharField(
        _("status"), max_length=20, choices=ComplaintStatus, default=ComplaintStatus.REGISTERED
    )
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
        permissions = [
            ("view_desk_kpis", _("Can view the service desk KPIs")),
            ("signoff_complaint", _("Can sign off a visited complaint")),
            ("signoff_major_complaint", _("Can sign off a visited major complaint")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "number"],
                name="complaint_unique_number",
                violation_error_message=_("This complaint number is already used."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ComplaintStatus.values), name="complaint_known_status"
            ),
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


class ComplaintEvent(TicketEvent):
    """One step in a complaint's life (classified, promised, replied...)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="events")
    statuses = dict(ComplaintStatus.choices)

    class Meta(TicketEvent.Meta):
        verbose_name = _("complaint event")


def not_about_them(user: User, complaint: Complaint) -> bool:
    """The staff member a complaint is about makes no move on it (spec §08, §26)."""
    return (
        user is None
        or complaint.about_employee_id is None
        or (user.pk != complaint.about_employee_id)
    )


def may_sign_off(user: User, complaint: Complaint) -> bool:
    """Closing is the sign-off (spec §08): the supervisor's, the director's for a major
    complaint; never the handler's own nor the person's it is about."""
    if user is None:
        return False
    perm = (
        "tickets.signoff_major_complaint"
        if complaint.severity == Severity.MAJOR
        else "tickets.signoff_complaint"
    )
    return (
        not_about_them(user, complaint)
        and user.pk != complaint.handler_id
        and has_perm_in(user, perm, complaint.community_id)
    )


def closes_after_its_visit(complaint: Complaint) -> str | None:
    """A valid complaint with someone to ask closes only once visited (spec §08, §14)."""
    if complaint.status == ComplaintStatus.VISITED:
        return None
    if complaint.validity == Validity.VALID and not complaint.request.is_anonymous:
        return str(_("A valid complaint closes only after its follow-up visit."))
    return None


def close_refusal(complaint: Complaint) -> str | None:
    """Why a complaint cannot close yet: a valid one needs its result, every one a reply (but
    an anonymous one, with nobody to reply to), and a valid one its follow-up visit."""
    if complaint.validity == Validity.VALID and not complaint.result:
        return str(_("A complaint closes only with a result."))
    if not complaint.reply and not complaint.request.is_anonymous:
        return str(_("A complaint closes only with a reply."))
    return closes_after_its_visit(complaint)


workflows.register(
    Complaint,
    workflows.Transitions(
        moves=COMPLAINT_MOVES,
        event_model=ComplaintEvent,
        event_object="complaint",
        # Beyond the page's permission (tickets.change_complaint), one rule for every move.
        actor=not_about_them,
        actors={ComplaintStatus.CLOSED: may_sign_off},
        guards={ComplaintStatus.CLOSED: close_refusal},
    ),
)


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
