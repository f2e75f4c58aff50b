"""Every write of the sanctions app; import from here."""

from .breaches import (
    Report,
    add_photo,
    appeal_until,
    ban_is_proposed,
    cancel_breach,
    close_breach,
    decide_appeal,
    decide_sanction,
    execute_breach,
    lodge_appeal,
    notify_party,
    parties,
    report_breach,
    verify_breach,
)
from .table import save_sanction_type, seed_table

__all__ = [
    "Report",
    "add_photo",
    "appeal_until",
    "ban_is_proposed",
    "cancel_breach",
    "close_breach",
    "decide_appeal",
    "decide_sanction",
    "execute_breach",
    "lodge_appeal",
    "notify_party",
    "parties",
    "report_breach",
    "save_sanction_type",
    "seed_table",
    "verify_breach",
]
