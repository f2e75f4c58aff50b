"""Every write of the violations app (spec §11). Other apps (patrols, renovation) call
`report_violation` to record what they found."""

from .appeals import decide_appeal, lodge_appeal
from .finding import add_photo, report_violation
from .ladder import (
    Report,
    Serving,
    close_corrected,
    close_transferred,
    dissuade_violation,
    escalate_violation,
    issue_notice,
    recheck_violation,
    record_measure,
    report_to_authority,
)
from .types import add_type, retire_type

__all__ = [
    "Report",
    "Serving",
    "add_photo",
    "add_type",
    "close_corrected",
    "close_transferred",
    "decide_appeal",
    "dissuade_violation",
    "escalate_violation",
    "issue_notice",
    "lodge_appeal",
    "recheck_violation",
    "record_measure",
    "report_to_authority",
    "report_violation",
    "retire_type",
]
