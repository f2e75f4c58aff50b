from .days import FINDINGS, AttendanceDay, DayResult, attendance_reference
from .leave import HOLDING, LEAVE_MOVES, Leave, LeaveAllowance, LeaveEvent, LeaveKind, LeaveStatus
from .punches import (
    MISSING_MOVES,
    MissingPunch,
    MissingPunchEvent,
    MissingStatus,
    Punch,
    PunchColumns,
    PunchSource,
)
from .rosters import SWAP_MOVES, RosterEntry, ShiftSwap, ShiftSwapEvent, SwapKind, SwapStatus
from .sheets import SHEET_MOVES, AttendanceSheet, AttendanceSheetEvent, SheetStatus

__all__ = [
    "FINDINGS",
    "HOLDING",
    "LEAVE_MOVES",
    "MISSING_MOVES",
    "SHEET_MOVES",
    "SWAP_MOVES",
    "AttendanceDay",
    "AttendanceSheet",
    "AttendanceSheetEvent",
    "DayResult",
    "Leave",
    "LeaveAllowance",
    "LeaveEvent",
    "LeaveKind",
    "LeaveStatus",
    "MissingPunch",
    "MissingPunchEvent",
    "MissingStatus",
    "Punch",
    "PunchColumns",
    "PunchSource",
    "RosterEntry",
    "SheetStatus",
    "ShiftSwap",
    "ShiftSwapEvent",
    "SwapKind",
    "SwapStatus",
    "attendance_reference",
]
