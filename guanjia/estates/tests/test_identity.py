"""Normalisers, validators, masks, encryption and pinyin keys."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from guanjia.core.personal_data import mask_id_number, mask_phone
from guanjia.estates.models.identity import (
    decrypt_pii,
    encrypt_pii,
    lookup_hash,
    normalise_name,
    normalise_phone,
    normalise_plate,
    pinyin_keys,
    resident_id_check_digit,
    squeeze,
    to_half_width,
    validate_credit_code,
    validate_phone,
    validate_plate,
    validate_resident_id,
)


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("曾志强", "zengzhiqiang", "zzq"),
        ("单国栋", "shanguodong", "sgd"),
        ("解小明", "xiexiaoming", "xxm"),
        ("仇大山", "qiudashan", "qds"),
        ("区美玲", "oumeiling", "oml"),
        ("朴正民", "piaozhengmin", "pzm"),
        ("查良镛", "zhaliangyong", "zly"),
        ("盖聂", "genie", "gn"),
        ("乐嘉", "yuejia", "yj"),
        ("华罗庚", "hualuogeng", "hlg"),
        ("任我行", "renwoxing", "rwx"),
        ("缪可", "miaoke", "mk"),
        ("尉迟恭", "yuchigong", "ycg"),
        ("张三", "zhangsan", "zs"),
    ],
)
def test_a_surname_is_read_as_a_surname(name, full, initials):
    assert pinyin_keys(name) == (full, initials)


def test_an_organisation_name_is_not_read_with_surname_rules():
    assert pinyin_keys("曾经集团", is_person=False)[0].startswith("ceng")


def test_full_width_digits_letters_and_ideographic_spaces_become_half_width():
    assert to_half_width("３栋Ａ１２０１\u3000") == "3栋A1201 "
    assert squeeze("  张\u3000三  ") == "张 三"
    assert normalise_name(" 张　三 ") == "张三"
    assert normalise_name("John  Smith") == "John Smith"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("+86 138 1234 5678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("(020) 8888-1234", "020-88881234"),
        ("02088881234", "020-88881234"),
        ("0755 1234 5678", "0755-12345678"),
    ],
)
def test_phones_are_normalised(raw, clean):
    assert normalise_phone(raw) == clean
    validate_phone(clean)


@pytest.mark.parametrize("bad", ["12812345678", "1381234567", "13812345678901", "8888123", "abc"])
def test_a_phone_that_is_neither_mobile_nor_landline_is_refused(bad):
    with pytest.raises(ValidationError) as exc:
        validate_phone(normalise_phone(bad))
    assert exc.value.code == "bad_phone"


def test_phones_and_ids_are_masked():
    assert mask_phone("13812341234") == "138****1234"
    assert mask_phone("020-88881234") == "020-****1234"
    assert mask_phone("12345") == "***45"
    assert mask_id_number("44010619900101123X") == "4401**********123X"


def _valid_id(first17="44010619900101123"):
    return first17 + resident_id_check_digit(first17)


def test_a_valid_resident_id_passes_and_the_x_check_digit_is_accepted():
    validate_resident_id(_valid_id())
    validate_resident_id("11010519491231002X")


def test_a_resident_id_with_a_wrong_check_digit_is_refused():
    good = _valid_id()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        validate_resident_id(bad)
    assert exc.value.code == "bad_id_checksum"


@pytest.mark.parametrize(
    ("bad", "code"), [("4401061990010112", "bad_id_format"), ("44010619901301123X", "bad_id_date")]
)
def test_a_malformed_resident_id_is_refused(bad, code):
    with pytest.raises(ValidationError) as exc:
        validate_resident_id(bad)
    assert exc.value.code == code


def test_a_credit_code_is_checked():
    validate_credit_code("91350100M000100Y43")
    with pytest.raises(ValidationError) as exc:
        validate_credit_code("91350100M000100Y44")
    assert exc.value.code == "bad_credit_code_checksum"


def test_plates_are_normalised_and_checked():
    assert normalise_plate(" 粤a·12345 ") == "粤A12345"
    assert normalise_plate("粤Ｂ-D12345") == "粤BD12345"
    validate_plate("粤BD12345")
    with pytest.raises(ValidationError):
        validate_plate("AB12345")


def test_an_id_number_round_trips_through_encryption_and_hashes_stably():
    token = encrypt_pii("44010619900101123X")
    assert "440106" not in token
    assert decrypt_pii(token) == "44010619900101123X"
    assert lookup_hash("X1") == lookup_hash("X1") != lookup_hash("X2")
    assert decrypt_pii("not-a-token") == ""


@pytest.mark.django_db
@settings(max_examples=60, deadline=None)
@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("10000.00"), places=2))
def test_an_area_with_two_decimals_round_trips_exactly(value):
    """DecimalField(10, 2) on SQLite is stored as REAL; reading it back must be exact."""
    from guanjia.estates.models import Unit

    from .factories import UnitFactory

    unit = UnitFactory()
    Unit.objects.filter(pk=unit.pk).update(building_area=value, inner_area=None)
    assert Unit.objects.values_list("building_area", flat=True).get(pk=unit.pk) == value


def test_an_old_fifteen_digit_card_is_a_resident_id_and_its_birth_date_is_checked():
    validate_resident_id("440106800101123")
    with pytest.raises(ValidationError) as exc:
        validate_resident_id("440106801301123")
    assert exc.value.code == "bad_id_date"


@pytest.mark.parametrize("number", ["44010619800101", "4401061980010112345", "4401061980010112X"])
def test_digits_of_any_other_length_are_read_as_a_wrong_resident_id(number):
    from guanjia.estates.importers.common import infer_id_type

    assert infer_id_type(number) == "resident_id"
    with pytest.raises(ValidationError) as exc:
        validate_resident_id(number)
    assert exc.value.code == "bad_id_format"
