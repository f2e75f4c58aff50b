"""Every write to billing; import from here (`from guanjia.billing.services import post_run`)."""

from .charges import OneOffCharge, one_off_fee_item, open_period, post_one_off_charge
from .late_fees import (
    LateFee,
    RateFrom,
    accrue_late_fees,
    accrue_unit_late_fees,
    late_fee_through,
    late_fees_as_of,
    request_late_fee_waiver,
)
from .ledger import Posting, post_entries, reverse_entries
from .reversals import (
    approve_run_reversal,
    close_month,
    reject_run_reversal,
    request_run_reversal,
)
from .runs import Preview, RunResult, is_large_run, post_run, preview_run, start_run
from .standards import (
    add_rate_version,
    add_unit_exception,
    change_rate,
    create_fee_item,
    create_standard,
)

__all__ = [
    "LateFee",
    "OneOffCharge",
    "Posting",
    "Preview",
    "RateFrom",
    "RunResult",
    "accrue_late_fees",
    "accrue_unit_late_fees",
    "add_rate_version",
    "add_unit_exception",
    "approve_run_reversal",
    "change_rate",
    "close_month",
    "create_fee_item",
    "create_standard",
    "is_large_run",
    "late_fee_through",
    "late_fees_as_of",
    "one_off_fee_item",
    "open_period",
    "post_entries",
    "post_one_off_charge",
    "post_run",
    "preview_run",
    "reject_run_reversal",
    "request_late_fee_waiver",
    "request_run_reversal",
    "reverse_entries",
    "start_run",
]
