"""Every write of the vacant-unit app (spec §13): one module per subject."""

from .care import complete_task, enter_storm, generate_nightly, generate_tasks
from .inspections import Checklist, open_vacancy, record_inspection
from .register import leave_vacancy, register_vacancy, sync_from_units, update_vacancy
from .viewings import record_viewing

__all__ = [
    "Checklist",
    "complete_task",
    "enter_storm",
    "generate_nightly",
    "generate_tasks",
    "leave_vacancy",
    "open_vacancy",
    "record_inspection",
    "record_viewing",
    "register_vacancy",
    "sync_from_units",
    "update_vacancy",
]
