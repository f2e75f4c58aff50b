"""Every write of the renovation app; import from here."""

from .acceptance import CHECKS, accept_final, accept_initial, request_completion
from .applications import (
    Application,
    add_plan,
    add_worker,
    apply,
    approve,
    give_opinion,
    reject,
    request_changes,
    submit_for_review,
)
from .contractors import ban_contractor, banned_contractor_ids, lift_ban, save_contractor
from .fees import (
    charge_fees,
    confirm_fees_paid,
    deposits_held,
    fees_due,
    issue_permit,
    outstanding,
    start_work,
)
from .refunds import DeductionLine, decide_refund, pay_refund, record_appeal, request_refund, split
from .supervision import extend, record_inspection, resume, suspend

__all__ = [
    "CHECKS",
    "Application",
    "DeductionLine",
    "accept_final",
    "accept_initial",
    "add_plan",
    "add_worker",
    "apply",
    "approve",
    "ban_contractor",
    "banned_contractor_ids",
    "charge_fees",
    "confirm_fees_paid",
    "decide_refund",
    "deposits_held",
    "extend",
    "fees_due",
    "give_opinion",
    "issue_permit",
    "lift_ban",
    "outstanding",
    "pay_refund",
    "record_appeal",
    "record_inspection",
    "reject",
    "request_changes",
    "request_completion",
    "request_refund",
    "resume",
    "save_contractor",
    "split",
    "start_work",
    "submit_for_review",
    "suspend",
]
