"""Every write of the front desk: keys, mail and parcels, shift handovers."""

from .handovers import (
    accept_handover,
    add_instruction,
    add_post,
    add_shift,
    close_shift,
    offer_handover,
    open_handover,
    refuse_handover,
    register_relief_check,
    save_notes,
)
from .keys import add_collector, approve_overnight, lend_key, register_key, return_key
from .lostfound import claim_found_item, register_found_item
from .notices import decide_notice, draft_notice, outage_text, submit_notice, take_down_notice
from .parcels import collect_parcel, register_parcel, return_parcel

__all__ = [
    "accept_handover",
    "add_collector",
    "add_instruction",
    "add_post",
    "add_shift",
    "approve_overnight",
    "claim_found_item",
    "close_shift",
    "collect_parcel",
    "decide_notice",
    "draft_notice",
    "lend_key",
    "offer_handover",
    "open_handover",
    "outage_text",
    "refuse_handover",
    "register_found_item",
    "register_key",
    "register_parcel",
    "register_relief_check",
    "return_key",
    "return_parcel",
    "save_notes",
    "submit_notice",
    "take_down_notice",
]  # fmt: skip
