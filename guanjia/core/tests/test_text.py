import pytest

from guanjia.core.text import drop_invisible, to_half_width


def test_full_width_digits_letters_and_space_become_ascii():
    assert to_half_width("３栋Ａ１２０１\u3000＃５") == "3栋A1201 #5"


def test_chinese_punctuation_kept_only_when_asked():
    text = "一期（东区），３栋！"
    assert to_half_width(text) == "一期(东区),3栋!"
    assert to_half_width(text, keep_chinese_punctuation=True) == "一期（东区），3栋！"


def test_ideographic_punctuation_outside_the_full_width_block_is_kept():
    assert to_half_width("甲、乙。") == "甲、乙。"


def test_invisible_characters_dropped():
    assert drop_invisible("zhang\u200bsan\ufeff\u00ad") == "zhangsan"


def test_a_name_keeps_its_text_without_zero_width_characters():
    from guanjia.core.text import clean_name

    assert clean_name("张\u200b三") == "张三"
    assert clean_name("") == ""


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("\u200b\u200c\ufeff", "invisible_name"),
        ("张\u202e三", "control_characters"),  # right-to-left override
        ("李\u2066四\u2069", "control_characters"),  # directional isolates
        ("王\x07五", "control_characters"),
        ("赵\ue000六", "control_characters"),  # private use
    ],
)
def test_a_name_of_invisible_control_or_direction_characters_is_refused(name, code):
    from django.core.exceptions import ValidationError

    from guanjia.core.text import clean_name

    with pytest.raises(ValidationError) as exc:
        clean_name(name)
    assert exc.value.code == code


def test_the_scripts_of_a_username_are_read_from_its_letters():
    from guanjia.core.text import scripts_of

    assert scripts_of("admin_2") == {"LATIN"}
    assert scripts_of("adm\u0456n") == {"LATIN", "CYRILLIC"}
    assert scripts_of("2024-") == set()


def test_the_natural_key_sorts_numbers_by_value():
    from guanjia.core.text import natural_key

    codes = ["1-1-1001", "10-1-101", "1-1-201", "2-1-101", "1-2-101", "a2-101"]
    assert sorted(codes, key=natural_key) == [
        "1-1-201",
        "1-1-1001",
        "1-2-101",
        "2-1-101",
        "10-1-101",
        "a2-101",
    ]
    assert natural_key("1-1-201") == "00000001-00000001-00000201"
    assert natural_key("b3") == "B00000003"
    assert natural_key("") == ""
