"""One date and time format per language (config/formats, docs/dates.md): 2026-12-07 and
2026-12-07 14:05 in Chinese and in English, on pages that use the named formats, bare values
and the ISO patterns alike."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.formats import get_format

from guanjia.accounts.tests.factories import staff

AT = dt.datetime(2026, 12, 7, 6, 5, tzinfo=dt.UTC)  # 14:05 in Asia/Shanghai


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_named_format_is_the_iso_style(language):
    with translation.override(language):
        assert get_format("DATE_FORMAT") == "Y-m-d"
        assert get_format("SHORT_DATE_FORMAT") == "Y-m-d"
        assert get_format("DATETIME_FORMAT") == "Y-m-d H:i"
        assert get_format("SHORT_DATETIME_FORMAT") == "Y-m-d H:i"
        assert get_format("YEAR_MONTH_FORMAT") == "Y-m"
        # Django's own input formats still apply: a date typed the ISO way is read.
        assert "%Y-%m-%d" in get_format("DATE_INPUT_FORMATS")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_named_bare_and_hand_written_formats_print_the_same(language):
    template = Template(
        '{{ at }}|{{ at|date:"SHORT_DATETIME_FORMAT" }}|{{ at|date:"DATETIME_FORMAT" }}|'
        '{{ at|date:"Y-m-d H:i" }}|{{ day }}|{{ day|date:"SHORT_DATE_FORMAT" }}|'
        '{{ day|date:"DATE_FORMAT" }}'
    )
    with translation.override(language):
        text = template.render(Context({"at": AT, "day": AT.date()}))
    assert text.split("|") == ["2026-12-07 14:05"] * 4 + ["2026-12-07"] * 3


@pytest.mark.parametrize(("language", "label"), [("zh-hans", "最近登录"), ("en", "Last login")])
def test_a_page_shows_the_chosen_format_in_each_language(world, language, label):
    world.language = language
    person = staff("receptionist", world.a, company=world.company)
    person.last_login = AT
    person.save(update_fields=["last_login"])
    response = world.client("director").get(reverse("accounts:staff-detail", args=[person.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert label in page  # the page really is in that language
    assert "2026-12-07 14:05" in page
    assert "p.m." not in page
    assert "12/07/2026" not in page
    assert "2026年12月7日" not in page
