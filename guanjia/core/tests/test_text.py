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
