"""Every read of billing data that spans models; import from here."""

from .arrears import CommunityArrears, UnitArrears, arrears_by_community, arrears_by_unit
from .ledger import LedgerProblem, entry_sums, ledger_problems
from .statements import Statement, bills_for_unit, unit_statement

__all__ = [
    "CommunityArrears",
    "LedgerProblem",
    "Statement",
    "UnitArrears",
    "arrears_by_community",
    "arrears_by_unit",
    "bills_for_unit",
    "entry_sums",
    "ledger_problems",
    "unit_statement",
]
