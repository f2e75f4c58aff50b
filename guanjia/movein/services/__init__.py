"""Every write of the move-in app. Views, the API, imports and jobs call only these."""

from .batches import close_batch, open_batch, send_notices, tick_precondition
from .buyers import BuyerCheck, BuyerRow, check_id_number, import_buyers
from .counter import (
    hand_over_keys,
    issue_cards,
    record_fees,
    refuse_delivery,
    register_household,
    sign_documents,
    verify_buyer,
)
from .deemed import apply_deemed_delivery, deemed_delivery_daily
from .inspections import (
    add_defect,
    reinspect,
    reopen_as_warranty,
    report_fixed,
    save_template,
    sheet_for,
    sign_inspection,
    start_inspection,
)
from .notices import notices_pdf, start_notices_pdf

__all__ = [
    "BuyerCheck",
    "BuyerRow",
    "add_defect",
    "apply_deemed_delivery",
    "check_id_number",
    "close_batch",
    "deemed_delivery_daily",
    "hand_over_keys",
    "import_buyers",
    "issue_cards",
    "notices_pdf",
    "open_batch",
    "record_fees",
    "refuse_delivery",
    "register_household",
    "reinspect",
    "reopen_as_warranty",
    "report_fixed",
    "save_template",
    "send_notices",
    "sheet_for",
    "sign_documents",
    "sign_inspection",
    "start_inspection",
    "start_notices_pdf",
    "tick_precondition",
    "verify_buyer",
]
