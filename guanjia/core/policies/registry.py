"""The typed policy registry: every configurable number of the manual, declared once.

Each app declares its keys in its own `<app>/policies.py` with `register(PolicySpec(...))`;
`PoliciesConfig.ready()` imports those modules. A spec knows how to check a value
(`clean`), and how to store it as JSON text and read it back (`to_json`, `from_json`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.utils.dateparse import parse_duration
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Kind(models.TextChoices):
    """The type of a policy value."""

    INTEGER = "integer", _("Whole number")
    DECIMAL = "decimal", _("Decimal number")
    MONEY = "money", _("Amount (yuan)")
    DURATION = "duration", _("Duration")
    TIME = "time", _("Time of day")
    TIME_WINDOW = "time_window", _("Time windows")
    WEEKDAY = "weekday", _("Weekday")
    BOOLEAN = "boolean", _("Yes or no")
    CHOICE = "choice", _("Choice")
    LIST = "list", _("List")


class Domain(models.TextChoices):
    """Who owns a key (spec §26): operations (director), finance, HR."""

    OPERATIONS = "operations", _("Operations")
    FINANCIAL = "financial", _("Financial")
    HR = "hr", _("HR")


class Scope(models.TextChoices):
    """Where a key may be set."""

    COMMUNITY = "community", _("Company default with community override")
    COMPANY = "company", _("Company-wide only")


WEEKDAYS: tuple[tuple[str, Promise], ...] = (
    ("MON", _("Monday")),
    ("TUE", _("Tuesday")),
    ("WED", _("Wednesday")),
    ("THU", _("Thursday")),
    ("FRI", _("Friday")),
    ("SAT", _("Saturday")),
    ("SUN", _("Sunday")),
)

# Display names of the units used in specs; a unit not listed here is shown as written.
UNIT_LABELS: dict[str, Promise] = {
    "minutes": _("minutes"),
    "hours": _("hours"),
    "days": _("days"),
    "working days": _("working days"),
    "months": _("months"),
    "yuan": _("yuan"),
    "yuan/m²": _("yuan/m²"),
    "ratio": _("ratio (1 = 100%)"),
    "ratio/day": _("ratio per day"),
    "day of month": _("day of month"),
    "month": _("month"),
    "rings": _("rings"),
    "times": _("times"),
    "times/day": _("times per day"),
    "times/month": _("times per month"),
    "times/year": _("times per year"),
    "households/month": _("households per month"),
    "cards": _("cards"),
}

_DECIMAL_PLACES = 6  # enough for a daily late-fee rate such as 0.0005
_TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_TRUE = {"true", "1", "yes", "on", "y"}
_MONEY_PLACES = _("Enter an amount in yuan with at most 2 decimal places.")
_NUMBER_PLACES = _("Enter a number with at most %(places)s decimal places.")
_FALSE = {"false", "0", "no", "off", "n"}


def _error(message: StrOrPromise, code: str, **params: Any) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


def _parse_int(raw: Any) -> int:
    if isinstance(raw, bool):
        raise _error(_("Enter a whole number."), "invalid")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and re.fullmatch(r"\s*[-+]?\d{1,12}\s*", raw):
        return int(raw)
    if isinstance(raw, Decimal) and raw == raw.to_integral_value():
        return int(raw)
    raise _error(_("Enter a whole number."), "invalid")


def _parse_decimal(raw: Any, places: int) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str, Decimal)):
        raise _error(_("Enter a number."), "invalid")
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation as exc:
        raise _error(_("Enter a number."), "invalid") from exc
    if not value.is_finite() or abs(value) >= Decimal(10) ** 12:
        raise _error(_("Enter a number."), "invalid")
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        message = _MONEY_PLACES if places == 2 else _NUMBER_PLACES
        raise _error(message, "too_many_decimals", places=places)
    return value


def _parse_money(raw: Any) -> Decimal:
    return _parse_decimal(raw, 2).quantize(Decimal("0.01"))


def _parse_duration(raw: Any) -> dt.timedelta:
    if isinstance(raw, dt.timedelta):
        value = raw
    elif isinstance(raw, int) and not isinstance(raw, bool):
        value = dt.timedelta(seconds=raw)
    elif isinstance(raw, str) and (parsed := parse_duration(raw.strip())) is not None:
        value = parsed
    else:
        raise _error(
            _("Enter a duration such as “2:30:00”, “3 00:00:00” (3 days) or “PT30M”."), "invalid"
        )
    if value.microseconds:
        raise _error(_("A duration is counted in whole seconds."), "invalid")
    return value


def _parse_time(raw: Any) -> dt.time:
    if isinstance(raw, dt.time) and not (raw.second or raw.microsecond or raw.tzinfo):
        return raw
    match = _TIME_RE.match(raw.strip()) if isinstance(raw, str) else None
    if match is None:
        raise _error(_("Enter a time as HH:MM, for example 08:30."), "invalid")
    return dt.time(int(match.group(1)), int(match.group(2)))


def _parse_time_window(raw: Any) -> list[tuple[dt.time, dt.time]]:
    if isinstance(raw, str):
        raw = [part.split("-") for part in re.split(r"[,，;；]", raw) if part.strip()]
    if not isinstance(raw, (list, tuple)):
        raise _error(_("Enter time windows as HH:MM-HH:MM, separated by commas."), "invalid")
    windows: list[tuple[dt.time, dt.time]] = []
    for pair in raw:
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise _error(_("Enter time windows as HH:MM-HH:MM, separated by commas."), "invalid")
        start, end = _parse_time(pair[0]), _parse_time(pair[1])
        if end <= start:
            raise _error(_("Each time window must end after it starts."), "window_order")
        if windows and start < windows[-1][1]:
            raise _error(_("Time windows must be in order and must not overlap."), "overlap")
        windows.append((start, end))
    return windows


def _parse_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in _TRUE | _FALSE:
        return raw.strip().lower() in _TRUE
    raise _error(_("Answer yes or no."), "invalid")


def _parse_text(raw: Any) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise _error(_("Choose one of the allowed values."), "invalid")
    return raw.strip()


def _parse_list(raw: Any) -> list[str]:
    if isinstance(raw, str):
        raw = [item for item in re.split(r"[,，\s]+", raw) if item]
    if not isinstance(raw, (list, tuple)) or not all(isinstance(i, str) for i in raw):
        raise _error(_("Enter a list of values separated by commas."), "invalid")
    items = [item.strip() for item in raw if item.strip()]
    for index, item in enumerate(items):
        if item in items[:index]:
            raise _error(_("“%(value)s” appears more than once."), "duplicate", value=item)
    return items


_PARSERS: dict[Kind, Callable[[Any], Any]] = {
    Kind.INTEGER: _parse_int,
    Kind.DECIMAL: lambda raw: _parse_decimal(raw, _DECIMAL_PLACES),
    Kind.MONEY: _parse_money,
    Kind.DURATION: _parse_duration,
    Kind.TIME: _parse_time,
    Kind.TIME_WINDOW: _parse_time_window,
    Kind.BOOLEAN: _parse_bool,
    Kind.WEEKDAY: lambda raw: _parse_text(raw).upper(),
    Kind.CHOICE: _parse_text,
    Kind.LIST: _parse_list,
}
_RANGE_MESSAGES = {
    ("min_value", False): _("The value must be at least %(limit)s."),
    ("max_value", False): _("The value must be at most %(limit)s."),
    ("min_value", True): _("Give at least %(limit)s item(s)."),
    ("max_value", True): _("Give at most %(limit)s item(s)."),
}


@dataclass(frozen=True)
class PolicySpec:
    """One configurable number of the manual: its key, type, default and allowed values."""

    key: str
    kind: Kind
    default: Any
    label: Promise
    section: str
    unit: str = ""
    minimum: Any = None
    maximum: Any = None
    choices: tuple[tuple[str, Promise], ...] = ()
    domain: Domain = Domain.OPERATIONS
    scope: Scope = Scope.COMMUNITY
    help_text: Promise | str = ""

    # --- reading input -------------------------------------------------------------------
    def parse(self, raw: Any) -> Any:
        """The typed value of `raw` (a form string, a JSON value or a Python value).

        Checks the type only; `clean` adds the range and the allowed choices.
        """
        if raw is None:
            raise _error(_("Enter a value."), "required")
        return _PARSERS[Kind(self.kind)](raw)

    def clean(self, raw: Any) -> Any:
        """The typed, checked value of `raw`; ValidationError with a translated message."""
        value = self.parse(raw)
        self._check_choices(value)
        self._check_range(value)
        return value

    def allowed_choices(self) -> tuple[tuple[str, Promise], ...]:
        return WEEKDAYS if self.kind == Kind.WEEKDAY and not self.choices else self.choices

    def _check_choices(self, value: Any) -> None:
        allowed = {code for code, _label in self.allowed_choices()}
        if self.kind in (Kind.WEEKDAY, Kind.CHOICE):
            items = [value]
        elif self.kind == Kind.LIST and allowed:
            items = value
        else:
            return
        for item in items:
            if item not in allowed:
                raise _error(
                    _("“%(value)s” is not one of the allowed values: %(allowed)s."),
                    "invalid_choice",
                    value=item,
                    allowed=", ".join(sorted(allowed)),
                )

    def _check_range(self, value: Any) -> None:
        counted = self.kind in (Kind.LIST, Kind.TIME_WINDOW)
        measure = len(value) if counted else value
        if self.minimum is not None and measure < self.minimum:
            limit, code = self.minimum, "min_value"
        elif self.maximum is not None and measure > self.maximum:
            limit, code = self.maximum, "max_value"
        else:
            return
        raise _error(_RANGE_MESSAGES[code, counted], code, limit=self.format(limit, bare=counted))

    # --- storing -------------------------------------------------------------------------
    def to_primitive(self, value: Any) -> Any:
        """`value` as JSON-native data (what the API returns and the database stores)."""
        kind = Kind(self.kind)
        if kind == Kind.MONEY:
            return f"{value:.2f}"
        if kind == Kind.DECIMAL:
            return str(value)
        if kind == Kind.DURATION:
            return int(value.total_seconds())
        if kind == Kind.TIME:
            return value.strftime("%H:%M")
        if kind == Kind.TIME_WINDOW:
            return [[start.strftime("%H:%M"), end.strftime("%H:%M")] for start, end in value]
        if kind == Kind.LIST:
            return list(value)
        return value

    def to_json(self, value: Any) -> str:
        return json.dumps(self.to_primitive(value), ensure_ascii=False)

    def from_json(self, text: str) -> Any:
        """The typed value stored as `text`. No range check: a value stays what it was set to."""
        try:
            raw = json.loads(text)
        except ValueError as exc:
            raise _error(_("Enter a value."), "invalid") from exc
        return self.parse(raw)

    # --- showing -------------------------------------------------------------------------
    def format(self, value: Any, *, bare: bool = False) -> str:
        """A short human-readable form of a value of this spec (or of a count, with bare)."""
        if value is None:
            return ""
        if bare:
            return str(value)
        kind = Kind(self.kind)
        if kind == Kind.MONEY:
            return f"{value:,.2f}"
        if kind == Kind.TIME_WINDOW:
            return ", ".join(f"{s:%H:%M}–{e:%H:%M}" for s, e in value)
        if kind == Kind.BOOLEAN:
            return str(_("Yes") if value else _("No"))
        if kind in (Kind.WEEKDAY, Kind.CHOICE, Kind.LIST):
            labels = {code: str(label) for code, label in self.allowed_choices()}
            items = value if kind == Kind.LIST else [value]
            return ", ".join(labels.get(item, item) for item in items)
        if kind == Kind.TIME:
            result: str = value.strftime("%H:%M")
            return result
        if kind == Kind.DECIMAL:
            return format(value.normalize(), "f")
        return str(value)

    @property
    def unit_label(self) -> str:
        return str(UNIT_LABELS.get(self.unit, self.unit))

    @property
    def range_label(self) -> str:
        """The allowed range as text: "1–72", "≥ 0", or the allowed choices."""
        if self.kind in (Kind.CHOICE, Kind.WEEKDAY) or (self.kind == Kind.LIST and self.choices):
            return ", ".join(str(label) for _code, label in self.allowed_choices())
        counted = self.kind in (Kind.LIST, Kind.TIME_WINDOW)
        low = self.format(self.minimum, bare=counted)
        high = self.format(self.maximum, bare=counted)
        if low and high:
            return f"{low}–{high}"
        if low:
            return f"≥ {low}"
        return f"≤ {high}" if high else ""


_REGISTRY: dict[str, PolicySpec] = {}
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


def register(*specs: PolicySpec) -> None:
    """Declare policies. A duplicate key or an invalid default is a programming error."""
    for spec in specs:
        if not _KEY_RE.match(spec.key):
            raise ImproperlyConfigured(f"policy key {spec.key!r} must be dotted lowercase")
        if spec.key in _REGISTRY:
            raise ImproperlyConfigured(f"policy {spec.key!r} is registered twice")
        try:
            cleaned = spec.clean(spec.default)
        except ValidationError as exc:
            raise ImproperlyConfigured(
                f"policy {spec.key!r} has an invalid default: {exc}"
            ) from exc
        if cleaned != spec.default:
            raise ImproperlyConfigured(f"policy {spec.key!r}: default must be the typed value")
        _REGISTRY[spec.key] = spec


def unregister(key: str) -> None:
    """Remove a key (tests that register temporary keys clean up with this)."""
    _REGISTRY.pop(key, None)


def is_registered(key: str) -> bool:
    return key in _REGISTRY


def get_spec(key: str) -> PolicySpec:
    """The spec of `key`; KeyError for an unknown key (a programming error)."""
    return _REGISTRY[key]


def all_specs() -> list[PolicySpec]:
    """Every registered spec, by section then key."""
    return sorted(_REGISTRY.values(), key=lambda spec: (spec.section, spec.key))
