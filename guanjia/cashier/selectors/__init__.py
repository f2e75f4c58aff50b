"""Every read of the cashier app that spans models; import from here."""

from .account import Account, OwedLine, owner_names, unit_account

__all__ = ["Account", "OwedLine", "owner_names", "unit_account"]
