"""Service desk models: the service register (来电来访来函), complaints (投诉) and repair orders
(维修派工单). Split by subject; every public name is re-exported here."""

from __future__ import annotations

from typing import Any

from .common import ACTION_LABELS, USER, DeadlineAlert, SavedView, TicketEvent, TicketQuerySet
from .complaints import (
    COMPLAINT_MOVES,
    ActionKind,
    Complaint,
    ComplaintAction,
    ComplaintCategory,
    ComplaintEvent,
    ComplaintStatus,
    Department,
    ReplyMethod,
    Severity,
    Validity,
)
from .repairs import (
    PAUSED_STATUSES,
    REPAIR_MOVES,
    Location,
    PhotoKind,
    QuoteStatus,
    RepairCategory,
    RepairEvent,
    RepairOrder,
    RepairPause,
    RepairPhoto,
    RepairStatus,
    Urgency,
    Warranty,
)
from .requests import (
    REQUEST_MOVES,
    Channel,
    LetterStatus,
    RequestAttachment,
    RequestEvent,
    RequestKind,
    RequestStatus,
    ServiceRequest,
)


def ticket_models() -> dict[str, Any]:
    return {"complaint": Complaint, "repair": RepairOrder}


__all__ = [
    "ACTION_LABELS",
    "COMPLAINT_MOVES",
    "PAUSED_STATUSES",
    "REPAIR_MOVES",
    "REQUEST_MOVES",
    "USER",
    "ActionKind",
    "Channel",
    "Complaint",
    "ComplaintAction",
    "ComplaintCategory",
    "ComplaintEvent",
    "ComplaintStatus",
    "DeadlineAlert",
    "Department",
    "LetterStatus",
    "Location",
    "PhotoKind",
    "QuoteStatus",
    "RepairCategory",
    "RepairEvent",
    "RepairOrder",
    "RepairPause",
    "RepairPhoto",
    "RepairStatus",
    "ReplyMethod",
    "RequestAttachment",
    "RequestEvent",
    "RequestKind",
    "RequestStatus",
    "SavedView",
    "ServiceRequest",
    "Severity",
    "TicketEvent",
    "TicketQuerySet",
    "Urgency",
    "Validity",
    "Warranty",
    "ticket_models",
]
