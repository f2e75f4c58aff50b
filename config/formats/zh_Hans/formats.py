"""Dates and times in Chinese: 2026-12-07, 2026-12-07 14:05 (docs/dates.md).

One format everywhere a page shows a date: the named formats (`|date:"SHORT_DATETIME_FORMAT"`,
a bare `{{ value }}`) give the same text as the ISO patterns the print forms use."""

from config.formats.common import *  # noqa: F403  # the formats are the same in both languages
