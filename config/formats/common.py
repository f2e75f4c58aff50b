"""The date and time formats of both languages (FORMAT_MODULE_PATH, docs/dates.md).

ISO 8601 order with a 24-hour clock: 2026-12-07 and 2026-12-07 14:05. Unambiguous in both
languages (12/07 is December in the US and July elsewhere), sortable, the way Chinese offices
write dates on forms, and what the date inputs of the browser send."""

DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "Y-m"
MONTH_DAY_FORMAT = "m-d"
FIRST_DAY_OF_WEEK = 1  # Monday
# Input formats are not set here: Django's own for each language still apply (ISO first).
