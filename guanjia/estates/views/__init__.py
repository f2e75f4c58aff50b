"""Estates pages: setup, people, the household archive and search."""

from . import exports, household, people, structure

__all__ = ["exports", "household", "people", "structure"]
