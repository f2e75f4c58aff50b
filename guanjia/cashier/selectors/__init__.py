"""Every read of the cashier app that spans models; import from here."""

from .account import Account, OwedLine, owner_names, unit_account
from .search import UnitHit, find_units
from .sessions import DaySummary, Total, day_summary

__all__ = [
    "Account",
    "DaySummary",
    "OwedLine",
    "Total",
    "UnitHit",
    "day_summary",
    "find_units",
    "owner_names",
    "unit_account",
]
