"""What the tickets API shows of the register, complaints and repairs, and the new contact."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from guanjia.core.api import ScopedSerializerMixin, VisibleCommunityField
from guanjia.core.files.api import FileUrlField
from guanjia.core.models import Community
from guanjia.estates.models import Person, Unit

from ..models import (
    Channel,
    Complaint,
    ComplaintAction,
    RepairOrder,
    RepairPhoto,
    RequestAttachment,
    RequestKind,
    ServiceRequest,
)


class AttachmentSerializer(serializers.ModelSerializer):
    """A file that came with a contact (read only)."""

    file = FileUrlField()

    class Meta:
        model = RequestAttachment
        fields = ["id", "file", "original_name", "content_type", "size", "uploaded_by"]
        read_only_fields = fields


class RequestSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = ServiceRequest
        fields = [
            "id",
            "community",
            "number",
            "channel",
            "kind",
            "unit",
            "person",
            "is_anonymous",
            "requester_name",
            "content",
            "received_at",
            "status",
            "answer",
            "answered_at",
            "closed_at_first_contact",
            "master",
            "subject",
            "letter_due",
            "letter_status",
            "letter_reply",
            "letter_reply_missed",
            "letter_drafted_by",
            "letter_checked_by",
            "letter_approved_by",
            "attachments",
        ]


class ComplaintActionSerializer(serializers.ModelSerializer):
    """A corrective or preventive action step of a complaint (read only)."""

    class Meta:
        model = ComplaintAction
        fields = [
            "id",
            "kind",
            "description",
            "owner",
            "due_on",
            "done_at",
            "done_by",
            "done_note",
            "verified_at",
            "verified_by",
            "verify_note",
        ]
        read_only_fields = fields


class ComplaintSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    actions = ComplaintActionSerializer(many=True, read_only=True)
    about_employee_name = serializers.SerializerMethodField()

    def get_about_employee_name(self, complaint: Complaint) -> str:
        """The staff member the complaint is about, by name ("" when none)."""
        return str(complaint.about_employee) if complaint.about_employee_id else ""

    class Meta:
        model = Complaint
        fields = [
            "id",
            "community",
            "number",
            "request",
            "status",
            "validity",
            "invalid_reason",
            "severity",
            "category",
            "department",
            "handler",
            "about_employee",
            "about_employee_name",
            "promise_date",
            "result",
            "reply",
            "reply_method",
            "replied_at",
            "first_reply_due",
            "first_reply_met",
            "resolve_due",
            "resolve_met",
            "escalated_at",
            "closed_at",
            "actions",
        ]


class RepairPhotoSerializer(serializers.ModelSerializer):
    """A photo of the job, before or after the work (read only)."""

    image = FileUrlField()

    class Meta:
        model = RepairPhoto
        fields = ["id", "kind", "image", "taken_by", "created_at"]
        read_only_fields = fields


class RepairSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    photos = RepairPhotoSerializer(many=True, read_only=True)
    signature = FileUrlField()
    quote_amount = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    charge_amount = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)

    class Meta:
        model = RepairOrder
        fields = [
            "id",
            "community",
            "number",
            "request",
            "unit",
            "location",
            "place",
            "category",
            "urgency",
            "appointment_at",
            "warranty",
            "is_paid",
            "description",
            "status",
            "technician",
            "arrive_due",
            "arrived_at",
            "arrive_met",
            "complete_due",
            "completed_at",
            "complete_met",
            "quote_amount",
            "quote_status",
            "parts_promised_on",
            "fault",
            "work_done",
            "materials",
            "labour_minutes",
            "charge_amount",
            "verified_at",
            "is_satisfied",
            "signature",
            "photos",
            "rework_of",
        ]


class ContactSerializer(ScopedSerializerMixin, serializers.Serializer):
    """A new contact for the register (and its ticket): the unit and the person are of the
    community, where the caller may register contacts."""

    movable_fields = ("unit", "person")
    scope_perm = "tickets.add_servicerequest"

    community = VisibleCommunityField(queryset=Community.objects.all())
    channel = serializers.ChoiceField(choices=Channel.choices)
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    content = serializers.CharField(max_length=4000)
    unit = VisibleCommunityField(queryset=Unit.objects.all(), required=False)
    person = VisibleCommunityField(queryset=Person.objects.all(), required=False)
    is_anonymous = serializers.BooleanField(default=False)
    requester_name = serializers.CharField(max_length=50, required=False, default="")
    requester_phone = serializers.CharField(max_length=30, required=False, default="")
    answer = serializers.CharField(max_length=4000, required=False, default="")
    location = serializers.ChoiceField(choices=["home", "common"], required=False)
    category = serializers.CharField(max_length=20, required=False)
    urgency = serializers.ChoiceField(
        choices=["emergency", "ordinary", "appointment"], required=False
    )
    appointment_at = serializers.DateTimeField(required=False, allow_null=True)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if data["kind"] == RequestKind.REPAIR:
            missing = [key for key in ("location", "category", "urgency") if not data.get(key)]
            if missing:
                raise serializers.ValidationError(
                    dict.fromkeys(missing, _("Required for a repair."))
                )
        return data
