import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext_lazy as _
from hypothesis import given
from hypothesis import strategies as st

from guanjia.core.policies.registry import (
    WEEKDAYS,
    Kind,
    PolicySpec,
    all_specs,
    get_spec,
    register,
    unregister,
)


def spec(kind, default, **extra):
    return PolicySpec("test.value", kind, default, _("Test value"), "99", **extra)


def error_of(spec_, raw) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        spec_.clean(raw)
    return caught.value


@pytest.fixture
def temporary_key():
    yield "test.temporary"
    unregister("test.temporary")


# --- the registry ------------------------------------------------------------------------------
def test_a_registered_key_is_found_by_its_name(temporary_key):
    register(PolicySpec(temporary_key, Kind.INTEGER, 3, _("Test"), "99", minimum=0))
    assert get_spec(temporary_key).default == 3
    assert temporary_key in [s.key for s in all_specs()]


def test_registering_a_key_twice_is_refused(temporary_key):
    register(PolicySpec(temporary_key, Kind.INTEGER, 3, _("Test"), "99"))
    with pytest.raises(ImproperlyConfigured, match="twice"):
        register(PolicySpec(temporary_key, Kind.INTEGER, 4, _("Test"), "99"))
    assert get_spec(temporary_key).default == 3


def test_a_default_outside_its_own_range_is_refused(temporary_key):
    with pytest.raises(ImproperlyConfigured, match="invalid default"):
        register(PolicySpec(temporary_key, Kind.INTEGER, 99, _("Test"), "99", maximum=10))


def test_a_default_of_the_wrong_type_is_refused(temporary_key):
    with pytest.raises(ImproperlyConfigured):
        register(PolicySpec(temporary_key, Kind.MONEY, "20", _("Test"), "99"))


def test_a_key_that_is_not_dotted_lowercase_is_refused():
    with pytest.raises(ImproperlyConfigured, match="dotted"):
        register(PolicySpec("NoDots", Kind.INTEGER, 1, _("Test"), "99"))


def test_an_unknown_key_is_a_programming_error():
    with pytest.raises(KeyError):
        get_spec("no.such_key")


def test_all_specs_are_ordered_by_section_then_key():
    specs = all_specs()
    assert specs == sorted(specs, key=lambda s: (s.section, s.key))


# --- integer -----------------------------------------------------------------------------------
def test_an_integer_is_read_from_form_text():
    assert spec(Kind.INTEGER, 1).clean(" 24 ") == 24


@pytest.mark.parametrize("raw", ["abc", "2.5", 2.5, True, "", [1]])
def test_an_integer_of_the_wrong_type_is_refused(raw):
    error = error_of(spec(Kind.INTEGER, 1), raw)
    assert error.messages == ["Enter a whole number."]


def test_an_integer_below_the_minimum_is_refused_with_the_limit():
    error = error_of(spec(Kind.INTEGER, 5, minimum=1, maximum=72), 0)
    assert error.code == "min_value"
    assert error.messages == ["The value must be at least 1."]


def test_an_integer_above_the_maximum_is_refused_with_the_limit():
    error = error_of(spec(Kind.INTEGER, 5, minimum=1, maximum=72), "73")
    assert error.code == "max_value"
    assert error.messages == ["The value must be at most 72."]


# --- decimal and money -------------------------------------------------------------------------
def test_a_decimal_keeps_its_exact_value():
    assert spec(Kind.DECIMAL, Decimal("0.003")).clean("0.0005") == Decimal("0.0005")


@pytest.mark.parametrize("raw", ["abc", "NaN", "Infinity", True, None, "1e30"])
def test_a_decimal_that_is_not_a_number_is_refused(raw):
    error = error_of(spec(Kind.DECIMAL, Decimal(0)), raw)
    assert error.code in {"invalid", "required"}


def test_a_decimal_with_too_many_places_is_refused():
    error = error_of(spec(Kind.DECIMAL, Decimal(0)), "0.0000001")
    assert error.code == "too_many_decimals"
    assert error.messages == ["Enter a number with at most 6 decimal places."]


def test_a_decimal_out_of_range_is_refused():
    error = error_of(spec(Kind.DECIMAL, Decimal(0), minimum=Decimal(0), maximum=Decimal(1)), "1.5")
    assert error.messages == ["The value must be at most 1."]


def test_money_is_kept_to_the_fen():
    assert str(spec(Kind.MONEY, Decimal("20.00")).clean("12.3")) == "12.30"


def test_money_with_three_decimals_is_refused():
    error = error_of(spec(Kind.MONEY, Decimal("20.00")), "12.345")
    assert error.code == "too_many_decimals"
    assert error.messages == ["Enter an amount in yuan with at most 2 decimal places."]


def test_negative_money_below_zero_is_refused():
    error = error_of(spec(Kind.MONEY, Decimal("20.00"), minimum=Decimal(0)), "-1")
    assert error.messages == ["The value must be at least 0.00."]


# --- duration, time, time window ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("PT30M", dt.timedelta(minutes=30)),
        ("1 02:00:00", dt.timedelta(days=1, hours=2)),
        (90, dt.timedelta(seconds=90)),
        (dt.timedelta(hours=1), dt.timedelta(hours=1)),
    ],
)
def test_a_duration_is_read_from_iso_django_or_seconds(raw, expected):
    assert spec(Kind.DURATION, dt.timedelta(0)).clean(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "soon", True, 1.5])
def test_a_duration_that_cannot_be_read_is_refused(raw):
    assert error_of(spec(Kind.DURATION, dt.timedelta(0)), raw).code == "invalid"


def test_a_duration_over_its_maximum_is_refused():
    limited = spec(Kind.DURATION, dt.timedelta(0), maximum=dt.timedelta(hours=1))
    assert error_of(limited, "PT2H").code == "max_value"


@pytest.mark.parametrize(("raw", "expected"), [("08:30", dt.time(8, 30)), ("8:05", dt.time(8, 5))])
def test_a_time_is_read_as_hours_and_minutes(raw, expected):
    assert spec(Kind.TIME, dt.time(18)).clean(raw) == expected


@pytest.mark.parametrize("raw", ["25:00", "08:60", "08:30:15", "noon", 830])
def test_a_time_that_is_not_hh_mm_is_refused(raw):
    error = error_of(spec(Kind.TIME, dt.time(18)), raw)
    assert error.messages == ["Enter a time as HH:MM, for example 08:30."]


def test_time_windows_are_read_from_text():
    value = spec(Kind.TIME_WINDOW, []).clean("08:00-12:00, 14:00-18:00")
    assert value == [(dt.time(8), dt.time(12)), (dt.time(14), dt.time(18))]


def test_time_windows_are_read_from_json_pairs():
    value = spec(Kind.TIME_WINDOW, []).clean([["08:00", "12:00"]])
    assert value == [(dt.time(8), dt.time(12))]


def test_a_time_window_that_ends_before_it_starts_is_refused():
    error = error_of(spec(Kind.TIME_WINDOW, []), "12:00-08:00")
    assert error.code == "window_order"
    assert error.messages == ["Each time window must end after it starts."]


def test_overlapping_time_windows_are_refused():
    assert error_of(spec(Kind.TIME_WINDOW, []), "08:00-12:00, 11:00-13:00").code == "overlap"


@pytest.mark.parametrize("raw", ["08:00", [["08:00"]], 5, "08:00-12:00-13:00"])
def test_time_windows_of_the_wrong_shape_are_refused(raw):
    assert error_of(spec(Kind.TIME_WINDOW, []), raw).code == "invalid"


def test_too_many_time_windows_are_refused():
    limited = spec(Kind.TIME_WINDOW, [], maximum=1)
    error = error_of(limited, "08:00-09:00, 10:00-11:00")
    assert error.messages == ["Give at most 1 item(s)."]


# --- weekday, boolean, choice, list ------------------------------------------------------------
def test_a_weekday_is_read_in_any_case():
    assert spec(Kind.WEEKDAY, "MON").clean("fri") == "FRI"


def test_an_unknown_weekday_is_refused():
    error = error_of(spec(Kind.WEEKDAY, "MON"), "XYZ")
    assert error.code == "invalid_choice"
    assert "“XYZ” is not one of the allowed values" in error.messages[0]


@pytest.mark.parametrize(("raw", "expected"), [("yes", True), ("false", False), (True, True)])
def test_a_boolean_is_read_from_yes_no_words(raw, expected):
    assert spec(Kind.BOOLEAN, False).clean(raw) is expected


@pytest.mark.parametrize("raw", ["maybe", 1, None])
def test_a_boolean_that_is_not_yes_or_no_is_refused(raw):
    assert error_of(spec(Kind.BOOLEAN, False), raw).code in {"invalid", "required"}


CHOICES = (("daily", _("Daily")), ("next_month", _("Next month")))


def test_a_known_choice_is_accepted():
    assert spec(Kind.CHOICE, "daily", choices=CHOICES).clean("next_month") == "next_month"


def test_an_unknown_choice_is_refused():
    error = error_of(spec(Kind.CHOICE, "daily", choices=CHOICES), "weekly")
    assert error.code == "invalid_choice"


def test_a_list_is_read_from_comma_separated_text():
    assert spec(Kind.LIST, []).clean("a, b，c") == ["a", "b", "c"]


def test_a_list_item_outside_the_choices_is_refused():
    listed = spec(Kind.LIST, ["MON"], choices=WEEKDAYS)
    assert error_of(listed, ["MON", "FUNDAY"]).code == "invalid_choice"


def test_a_list_item_given_twice_is_refused():
    error = error_of(spec(Kind.LIST, [], choices=WEEKDAYS), ["MON", "MON"])
    assert error.code == "duplicate"
    assert error.messages == ["“MON” appears more than once."]


def test_a_list_shorter_than_its_minimum_is_refused():
    error = error_of(spec(Kind.LIST, ["MON"], choices=WEEKDAYS, minimum=1), [])
    assert error.messages == ["Give at least 1 item(s)."]


@pytest.mark.parametrize("raw", [5, [1, 2], {"a": 1}])
def test_a_list_of_the_wrong_shape_is_refused(raw):
    assert error_of(spec(Kind.LIST, []), raw).code == "invalid"


# --- showing -----------------------------------------------------------------------------------
def test_values_are_shown_in_a_readable_form():
    assert spec(Kind.MONEY, Decimal("2000.00")).format(Decimal("2000")) == "2,000.00"
    windows = [(dt.time(8), dt.time(12)), (dt.time(14), dt.time(18))]
    assert spec(Kind.TIME_WINDOW, []).format(windows) == "08:00–12:00, 14:00–18:00"
    assert spec(Kind.BOOLEAN, True).format(True) == "Yes"
    assert spec(Kind.DECIMAL, Decimal("0.98")).format(Decimal("0.980")) == "0.98"


def test_the_allowed_range_is_shown_with_its_limits():
    assert spec(Kind.INTEGER, 3, minimum=1, maximum=72).range_label == "1–72"
    assert spec(Kind.INTEGER, 3, minimum=0).range_label == "≥ 0"
    assert spec(Kind.CHOICE, "daily", choices=CHOICES).range_label == "Daily, Next month"


# --- storage round trip (hypothesis) -----------------------------------------------------------
times = st.builds(dt.time, st.integers(0, 23), st.integers(0, 59))


@st.composite
def time_windows(draw):
    minutes = sorted(draw(st.sets(st.integers(0, 24 * 60 - 1), min_size=0, max_size=8)))
    if len(minutes) % 2:
        minutes = minutes[:-1]
    as_time = [dt.time(m // 60, m % 60) for m in minutes]
    return list(zip(as_time[::2], as_time[1::2], strict=True))


VALUES = {
    Kind.INTEGER: st.integers(-(10**9), 10**9),
    Kind.DECIMAL: st.decimals(
        min_value=Decimal("-1000000"), max_value=Decimal("1000000"), places=6
    ),
    Kind.MONEY: st.decimals(min_value=Decimal(0), max_value=Decimal("1000000"), places=2),
    Kind.DURATION: st.integers(0, 10**8).map(lambda s: dt.timedelta(seconds=s)),
    Kind.TIME: times,
    Kind.TIME_WINDOW: time_windows(),
    Kind.WEEKDAY: st.sampled_from([code for code, _label in WEEKDAYS]),
    Kind.BOOLEAN: st.booleans(),
    Kind.CHOICE: st.sampled_from(["daily", "next_month"]),
    Kind.LIST: st.lists(st.text("abcdefgh_", min_size=1, max_size=8), unique=True, max_size=6),
}


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_reads_back_what_it_stored(kind):
    one = spec(kind, None, choices=CHOICES if kind == Kind.CHOICE else ())

    @given(VALUES[kind])
    def round_trip(value):
        assert one.from_json(one.to_json(value)) == value
        assert one.clean(one.to_primitive(value)) == value

    round_trip()
