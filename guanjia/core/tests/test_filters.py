from django.utils import translation

from guanjia.accounts.filters import StaffFilter


def _labels(language: str) -> list[str]:
    with translation.override(language):
        field = StaffFilter(data={}).form.fields["ordering"]
        return [str(label) for _value, label in field.choices]


def test_ordering_labels_follow_the_language_of_each_request():
    assert "姓名" in _labels("zh-hans")
    assert "姓名（降序）" in _labels("zh-hans")
    assert "Full name (descending)" in _labels("en")
    assert "姓名（降序）" in _labels("zh-hans")  # not fixed by the English request before
