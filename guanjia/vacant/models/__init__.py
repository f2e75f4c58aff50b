"""空置房 (spec §13): the vacant-unit register, scheduled care, inspections, keys."""

from .care import (
    TASK_KINDS_INSPECTING,
    CareTask,
    CareTaskQuerySet,
    Inspection,
    InspectionPhoto,
    StormAlert,
    TaskKind,
)
from .register import (
    VACANCY_MOVES,
    Category,
    ExitReason,
    PowerState,
    Source,
    VacancyStatus,
    VacantUnit,
    VacantUnitEvent,
    Viewing,
)

__all__ = [
    "TASK_KINDS_INSPECTING",
    "VACANCY_MOVES",
    "CareTask",
    "CareTaskQuerySet",
    "Category",
    "ExitReason",
    "Inspection",
    "InspectionPhoto",
    "PowerState",
    "Source",
    "StormAlert",
    "TaskKind",
    "VacancyStatus",
    "VacantUnit",
    "VacantUnitEvent",
    "Viewing",
]
