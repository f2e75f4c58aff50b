"""Every write of the patrols app (one module per subject)."""

from .checkpoints import (
    CheckpointData,
    create_checkpoint,
    label_token,
    read_label,
    replace_label,
    save_checklist_item,
    seed_checklist,
    set_checkpoint_active,
    set_item_active,
)
from .days import explain_missed, mark_missed, storm_patrols
from .findings import close_finding, follow_actions, take_action
from .plans import PlanData, generate_month, save_template, write_plan
from .review import spot_check, weekly_review
from .walking import (
    add_finding,
    add_photo,
    add_talk,
    record_items,
    route,
    scan_checkpoint,
    start_patrol,
    submit_patrol,
)

__all__ = [
    "CheckpointData",
    "PlanData",
    "add_finding",
    "add_photo",
    "add_talk",
    "close_finding",
    "create_checkpoint",
    "explain_missed",
    "follow_actions",
    "generate_month",
    "label_token",
    "mark_missed",
    "read_label",
    "record_items",
    "replace_label",
    "route",
    "save_checklist_item",
    "save_template",
    "scan_checkpoint",
    "seed_checklist",
    "set_checkpoint_active",
    "set_item_active",
    "spot_check",
    "start_patrol",
    "storm_patrols",
    "submit_patrol",
    "take_action",
    "weekly_review",
    "write_plan",
]
