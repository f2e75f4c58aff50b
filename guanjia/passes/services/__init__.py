"""Every write of the passes app; import from here (`from guanjia.passes.services import
open_group, suspend_group, issue_pass`)."""

from .gate import GateOutcome, check_pass, lookup, parse, verdict
from .groups import close_group, open_group, resume_group, suspend_group
from .passes import (
    change_pass,
    confiscate_pass,
    expire_passes,
    expire_passes_daily,
    fee_and_deposit,
    forfeit_deposit,
    issue_pass,
    longest_validity,
    refund_deposit,
    reissue_pass,
    renew_pass,
    report_lost,
    return_pass,
)
from .slips import apply_slip, arrears_of, cancel_slip, expire_slips, release_goods

__all__ = [
    "GateOutcome",
    "apply_slip",
    "arrears_of",
    "cancel_slip",
    "change_pass",
    "check_pass",
    "close_group",
    "confiscate_pass",
    "expire_passes",
    "expire_passes_daily",
    "expire_slips",
    "fee_and_deposit",
    "forfeit_deposit",
    "issue_pass",
    "longest_validity",
    "lookup",
    "open_group",
    "parse",
    "refund_deposit",
    "reissue_pass",
    "release_goods",
    "renew_pass",
    "report_lost",
    "resume_group",
    "return_pass",
    "suspend_group",
    "verdict",
]
