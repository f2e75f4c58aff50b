"""The developer's buyer list from Excel (core.imports), checked by services.buyers."""

from .buyers import BuyerImporter

__all__ = ["BuyerImporter"]
