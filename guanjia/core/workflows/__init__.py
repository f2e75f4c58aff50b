"""Workflows and approvals, one mechanism (ADR 0008, docs/workflows.md).

A model's states are a TextChoices, its moves one table beside it, registered here with
its event table; `transition()` is the only code that assigns a status; `request_approval()`
and `decide()` are the approval ("propose, then a different person decides")."""

from .errors import Code, WorkflowDenied, WorkflowError
from .models import ApprovalFields, Decision, WorkflowEvent
from .registry import (
    ApprovalFieldNames,
    Approvals,
    Transitions,
    anyone,
    register,
    registered,
    registered_fields,
    workflow_for,
)
from .services import (
    can_transition,
    check_transition,
    decide,
    lock,
    record_creation,
    record_event,
    request_approval,
    transition,
)

__all__ = [
    "ApprovalFieldNames",
    "ApprovalFields",
    "Approvals",
    "Code",
    "Decision",
    "Transitions",
    "WorkflowDenied",
    "WorkflowError",
    "WorkflowEvent",
    "anyone",
    "can_transition",
    "check_transition",
    "decide",
    "lock",
    "record_creation",
    "record_event",
    "register",
    "registered",
    "registered_fields",
    "request_approval",
    "transition",
    "workflow_for",
]
