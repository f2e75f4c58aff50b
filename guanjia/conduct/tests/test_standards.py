"""The reference lists of §07: seeded for a new company, edited by the supervisor."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from guanjia.conduct import services
from guanjia.conduct.models import RecordLevel, StandardItem, StandardKind
from guanjia.core.tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def test_a_new_company_gets_the_manuals_lists_and_levels(world):
    company = CompanyFactory(name="新公司")
    kinds = set(StandardItem.objects.filter(company=company).values_list("kind", flat=True))
    assert kinds == set(StandardKind.values)
    forbidden = StandardItem.objects.filter(company=company, kind="forbidden", text="不知道").get()
    assert forbidden.instead
    assert RecordLevel.objects.filter(company=company).count() == 10
    warning = RecordLevel.objects.get(company=company, code="written_warning")
    assert (warning.points, warning.converts_after, warning.converts_to.code) == (-10, 3, "demerit")


def test_the_supervisor_adds_and_edits_a_line(world):
    sup = world.user("supervisor")
    item = services.add_standard(
        community=world.a, kind="forbidden", text="找别人去", instead="我帮您联系负责的同事", by=sup
    )
    assert item.company == world.company
    assert item.position > 1
    services.update_standard(
        item=item,
        community=world.a,
        text="找别人去！",
        instead="我来帮您联系",
        is_active=False,
        by=sup,
    )
    item.refresh_from_db()
    assert (item.text, item.is_active) == ("找别人去！", False)


@pytest.mark.parametrize(
    ("kind", "text", "instead", "field"),
    [
        ("unknown", "x", "", "kind"),
        ("appearance", "  ", "", "text"),
        ("appearance", "x" * 201, "", "text"),
        ("forbidden", "不知道2", "", "instead"),
        ("appearance", "x", "多余", "instead"),
        ("forbidden", "不知道", "请稍等", "text"),  # already in the list
    ],
)
def test_a_bad_line_is_refused_and_nothing_saved(world, kind, text, instead, field):
    before = StandardItem.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.add_standard(
            community=world.a, kind=kind, text=text, instead=instead, by=world.user("supervisor")
        )
    assert field in exc.value.error_dict
    assert StandardItem.objects.count() == before


def test_a_receptionist_cannot_edit_the_lists(world):
    with pytest.raises(PermissionDenied):
        services.add_standard(
            community=world.a, kind="appearance", text="x", by=world.user("receptionist")
        )


def _level(world, code):
    return RecordLevel.objects.get(company=world.company, code=code)


def test_hr_adjusts_a_level_of_the_company(world):
    level = _level(world, "written_warning")
    services.update_level(
        level=level,
        community=world.a,
        points=-8,
        authority=2,
        lapses=True,
        converts_after=4,
        by=world.user("hr"),
    )
    level.refresh_from_db()
    assert (level.points, level.authority, level.converts_after) == (-8, 2, 4)


@pytest.mark.parametrize(
    ("code", "change", "field"),
    [
        ("written_warning", {"points": 5}, "points"),
        ("praise", {"points": -1}, "points"),
        ("praise", {"points": 5000}, "points"),
        ("praise", {"authority": 7}, "authority"),
        ("written_warning", {"converts_after": 0}, "converts_after"),
        ("praise", {"converts_after": 3}, "converts_after"),
    ],
)
def test_a_bad_level_is_refused(world, code, change, field):
    level = _level(world, code)
    values = {"points": level.points, "authority": 1, "lapses": False, "converts_after": None}
    with pytest.raises(ValidationError) as exc:
        services.update_level(
            level=level, community=world.a, by=world.user("hr"), **{**values, **change}
        )
    assert field in exc.value.error_dict
    level.refresh_from_db()
    assert level.points == _level(world, code).points


def test_a_supervisor_does_not_change_the_levels(world):
    with pytest.raises(PermissionDenied):
        services.update_level(
            level=_level(world, "praise"),
            community=world.a,
            points=3,
            authority=1,
            lapses=False,
            converts_after=None,
            by=world.user("supervisor"),
        )
