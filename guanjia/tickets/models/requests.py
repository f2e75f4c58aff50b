"""The service register (来电来访来函): contacts, their attachments and letters' written replies."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core import workflows
from guanjia.core.files.storage import RandomName
from guanjia.core.models import Community, TimeStampedModel
from guanjia.core.workflows import WorkflowEvent
from guanjia.estates.models import Person, Unit

from .common import USER, TicketQuerySet

if TYPE_CHECKING:
    from guanjia.core.access import User


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


# An entry is answered (or closed by its ticket) once.
REQUEST_MOVES: dict[str, frozenset[str]] = {
    RequestStatus.OPEN: frozenset({RequestStatus.CLOSED}),
    RequestStatus.CLOSED: frozenset(),
}


class LetterStatus(models.TextChoices):
    NONE = "", _("No written reply yet")
    DRAFTED = "drafted", _("Reply drafted")  # 已拟稿
    CHECKED = "checked", _("Reply checked by the supervisor")  # 主管已审核
    APPROVED = "approved", _("Reply approved by the director")  # 主任已批准


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
    # Set once, by the SLA sweep (or at a late approval), when the written reply's deadline
    # passed without an approved reply; it stays set as the letter's record.
    letter_reply_missed = models.BooleanField(_("written reply deadline missed"), default=False)

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
            # Open letters by their written reply's deadline: the SLA sweep and the overdue list.
            models.Index(
                fields=["letter_due"],
                condition=Q(channel="letter", status="open"),
                name="servicerequest_letter_open",
            ),
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
    file = models.FileField(_("file"), upload_to=RandomName("tickets/attachments"))
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("attachment")
        ordering = ["pk"]


class RequestEvent(WorkflowEvent):
    """One step of a register entry: closed, or a letter's reply drafted, checked, approved.

    A letter's steps are events too, so a redraft that sends the reply back to checking
    keeps who checked the earlier draft."""

    statuses = {**dict(RequestStatus.choices), **dict(LetterStatus.choices)}

    entry = models.ForeignKey(
        ServiceRequest, on_delete=models.PROTECT, related_name="events", verbose_name=_("entry")
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("register entry event")
        verbose_name_plural = _("register entry events")


# A letter's written reply (spec §08 step 6): drafted, checked by the supervisor, approved by
# the director (which closes the entry: `approve_letter_reply`); a redraft goes through
# checking again. Its own workflow on `letter_status`, beside the entry's `status`.
LETTER_MOVES: dict[str, frozenset[str]] = {
    LetterStatus.NONE: frozenset({LetterStatus.DRAFTED}),
    LetterStatus.DRAFTED: frozenset({LetterStatus.DRAFTED, LetterStatus.CHECKED}),
    LetterStatus.CHECKED: frozenset({LetterStatus.DRAFTED, LetterStatus.APPROVED}),
    LetterStatus.APPROVED: frozenset(),
}


def not_the_drafter(user: User, entry: ServiceRequest) -> bool:
    """The person who drafted a written reply does not check it (rule `letter_check`)."""
    return user is None or entry.letter_drafted_by_id != user.pk


workflows.register(
    ServiceRequest,
    workflows.Transitions(
        moves=REQUEST_MOVES,
        event_model=RequestEvent,
        event_object="entry",
        # Closing follows the page's permission (answer) or the ticket's own workflow, whose
        # service already checked its actor (a repair verified, a complaint closed).
        actor=workflows.anyone,
    ),
)
workflows.register(
    ServiceRequest,
    workflows.Transitions(
        moves=LETTER_MOVES,
        event_model=RequestEvent,
        event_object="entry",
        field="letter_status",
        # The pages' permissions (draft, check, approve) decide who; checking is by another
        # person than the drafter.
        actor=workflows.anyone,
        actors={LetterStatus.CHECKED: not_the_drafter},
    ),
)
