import importlib
import importlib.util
import re

import django_filters
import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from guanjia.accounts.filters import StaffFilter
from guanjia.core.filters import BooleanFilter


def _labels(language: str) -> list[str]:
    with translation.override(language):
        field = StaffFilter(data={}).form.fields["ordering"]
        return [str(label) for _value, label in field.choices]


def test_ordering_labels_follow_the_language_of_each_request():
    assert "姓名" in _labels("zh-hans")
    assert "姓名（降序）" in _labels("zh-hans")
    assert "Full name (descending)" in _labels("en")
    assert "姓名（降序）" in _labels("zh-hans")  # not fixed by the English request before


def _filtersets() -> list[type[django_filters.FilterSet]]:
    """Every FilterSet the project declares (each app's filters module)."""
    for app in apps.get_app_configs():
        if app.name.startswith("guanjia.") and importlib.util.find_spec(f"{app.name}.filters"):
            importlib.import_module(f"{app.name}.filters")
    found: list[type[django_filters.FilterSet]] = []
    todo = list(django_filters.FilterSet.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("guanjia."):
            found.append(cls)
    return found


def test_every_yes_no_filter_of_every_list_reads_not_set_when_nothing_is_chosen():
    checked = []
    for filterset in _filtersets():
        for name, f in filterset.base_filters.items():
            if not isinstance(f, django_filters.BooleanFilter):
                continue
            with translation.override("zh-hans"):
                html = f.field.widget.render(name, None)
            assert "未知" not in html, f"{filterset.__name__}.{name} reads 未知 when not set"
            assert re.search(r'<option value="" selected>', html), f"{filterset.__name__}.{name}"
            checked.append(f"{filterset.__name__}.{name}")
    assert "ComplaintFilter.mine" in checked  # the lists of issue 11
    assert "RepairFilter.overdue" in checked


@pytest.mark.parametrize(("language", "unset"), [("zh-hans", "不限"), ("en", "Any")])
def test_a_yes_no_filter_offers_any_yes_and_no_and_keeps_the_choice(language, unset):
    f = BooleanFilter(label="Mine")
    with translation.override(language):
        labels = [str(label) for _value, label in f.field.widget.choices]
        chosen = f.field.widget.render("mine", True)
    assert labels[0] == unset
    assert [v for v, _label in f.field.widget.choices] == ["", "true", "false"]
    assert '<option value="true" selected>' in chosen
    # The values the bar sends back: "" is not set (no filtering), true and false filter.
    assert f.field.clean(f.field.widget.value_from_datadict({"mine": ""}, {}, "mine")) is None
    assert f.field.clean(f.field.widget.value_from_datadict({"mine": "true"}, {}, "mine")) is True
    assert f.field.clean(f.field.widget.value_from_datadict({"mine": "false"}, {}, "mine")) is False


def test_the_complaint_list_filter_bar_reads_not_set_in_chinese(world):
    response = world.client("supervisor").get(reverse("tickets:complaint-list"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "未知" not in page
    assert re.search(r'<select name="mine"[^>]*>\s*<option value="" selected>不限</option>', page)
    response = world.client("supervisor").get(reverse("tickets:complaint-list"), {"mine": "true"})
    assert re.search(r'<option value="true" selected>是</option>', response.content.decode())
