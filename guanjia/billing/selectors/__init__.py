"""Every read of billing data that spans models; import from here."""

from .arrears import CommunityArrears, UnitArrears, arrears_by_community, arrears_by_unit
from .late_fees import LateFeeReport, LateFeeRule, late_fee_report, late_fee_rule
from .ledger import LedgerProblem, entry_sums, ledger_problems
from .overview import (
    BilledByMonth,
    BillingOverview,
    BuildingArrears,
    FeeItemArrears,
    FeeItemMonths,
    arrears_by_building,
    arrears_by_fee_item,
    billed_by_month,
    billing_overview,
)
from .statements import Statement, bills_for_unit, unit_statement

__all__ = [
    "BilledByMonth",
    "BillingOverview",
    "BuildingArrears",
    "CommunityArrears",
    "FeeItemArrears",
    "FeeItemMonths",
    "LateFeeReport",
    "LateFeeRule",
    "LedgerProblem",
    "Statement",
    "UnitArrears",
    "arrears_by_building",
    "arrears_by_community",
    "arrears_by_fee_item",
    "arrears_by_unit",
    "billed_by_month",
    "billing_overview",
    "bills_for_unit",
    "entry_sums",
    "late_fee_report",
    "late_fee_rule",
    "ledger_problems",
    "unit_statement",
]
