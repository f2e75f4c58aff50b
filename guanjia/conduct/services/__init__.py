"""Every write of the conduct app (one module per subject)."""

from .checks import (
    ItemResult,
    acknowledge_check,
    cancel_check,
    open_check,
    refuse_check,
    submit_check,
)
from .proposals import generate_nightly, generate_proposals
from .records import (
    Evidence,
    appeal_record,
    approve_record,
    confirm_facts,
    decide_appeal,
    drop_record,
    expire_records,
    note_refusal,
    propose_record,
    reject_record,
    sign_record,
)
from .standards import add_standard, seed_company, update_level, update_standard

__all__ = [
    "Evidence",
    "ItemResult",
    "acknowledge_check",
    "add_standard",
    "appeal_record",
    "approve_record",
    "cancel_check",
    "confirm_facts",
    "decide_appeal",
    "drop_record",
    "expire_records",
    "generate_nightly",
    "generate_proposals",
    "note_refusal",
    "open_check",
    "propose_record",
    "refuse_check",
    "reject_record",
    "seed_company",
    "sign_record",
    "submit_check",
    "update_level",
    "update_standard",
]
