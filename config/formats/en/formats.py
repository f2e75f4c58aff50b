"""Dates and times in English: the same ISO style as in Chinese (docs/dates.md), instead of
Django's "12/07/2026 12:27 p.m." on some pages and ISO on others."""

from config.formats.common import *  # noqa: F403  # the formats are the same in both languages
