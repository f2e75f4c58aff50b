"""Billing pages: the overview (overview), fee items, standards, rates and their approval
(standards, approvals), runs, month close (runs), meter readings (readings), statements and
fee exceptions (statements), late fees as of a day (late_fees).
Each view: permission, scoped object, form, one service call."""

from .approvals import standard_approve, standard_reject, version_approve, version_reject
from .late_fees import late_fee_list, unit_late_fees
from .overview import overview
from .readings import reading_confirm, reading_create, reading_flagged, reading_list
from .runs import (
    month_close,
    run_approve_reversal,
    run_detail,
    run_list,
    run_post,
    run_preview,
    run_request_reversal,
)
from .standards import (
    feeitem_create,
    feeitem_list,
    standard_create,
    standard_detail,
    standard_edit,
    standard_list,
    standard_waiting,
    version_create,
)
from .statements import (
    unit_exception_create,
    unit_exception_list,
    unit_statement_print,
    unit_statement_view,
)

__all__ = [
    "feeitem_create",
    "feeitem_list",
    "late_fee_list",
    "month_close",
    "overview",
    "reading_confirm",
    "reading_create",
    "reading_flagged",
    "reading_list",
    "run_approve_reversal",
    "run_detail",
    "run_list",
    "run_post",
    "run_preview",
    "run_request_reversal",
    "standard_approve",
    "standard_create",
    "standard_detail",
    "standard_edit",
    "standard_list",
    "standard_reject",
    "standard_waiting",
    "unit_exception_create",
    "unit_exception_list",
    "unit_late_fees",
    "unit_statement_print",
    "unit_statement_view",
    "version_approve",
    "version_create",
    "version_reject",
]
