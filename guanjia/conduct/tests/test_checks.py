"""Spot checks: open, tick, submit, sign or refuse; a failure may propose a penalty."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from guanjia.conduct import services
from guanjia.conduct.models import CheckStatus, ConductRecord, SpotCheck
from guanjia.conduct.services import ItemResult
from guanjia.core.workflows import WorkflowError

from .factories import level, open_check, photo, submitted

pytestmark = pytest.mark.django_db


def test_a_check_lists_the_companys_appearance_items(world):
    check = open_check(world, kinds=["appearance"])
    assert check.number.startswith("JC-")
    assert check.items.count() == 7
    assert check.status == CheckStatus.OPEN
    assert check.events.get().action == "created"


def test_submitting_counts_failures_and_the_employee_signs(world):
    check = submitted(world, fail=2)
    assert (check.status, check.failures) == (CheckStatus.SUBMITTED, 2)
    services.acknowledge_check(check=check, by=world.user("receptionist"), statement="下次注意")
    check.refresh_from_db()
    assert check.status == CheckStatus.ACKNOWLEDGED
    assert check.statement == "下次注意"
    assert check.events.last().actor == world.user("receptionist")


def test_nobody_acknowledges_for_someone_else(world):
    check = submitted(world)
    with pytest.raises(PermissionDenied):
        services.acknowledge_check(check=check, by=world.user("supervisor"))
    check.refresh_from_db()
    assert check.status == CheckStatus.SUBMITTED


def test_the_inspector_notes_a_refusal_with_what_was_said(world):
    check = submitted(world)
    with pytest.raises(ValidationError):
        services.refuse_check(check=check, by=world.user("supervisor"), statement=" ")
    services.refuse_check(check=check, by=world.user("supervisor"), statement="不认可，拒签")
    check.refresh_from_db()
    assert check.status == CheckStatus.REFUSED
    assert check.refusal_noted_by == world.user("supervisor")


def test_a_failure_proposes_a_penalty(world):
    check = submitted(world, propose_level=level(world, "verbal_warning"))
    rec = ConductRecord.objects.get(spot_check=check)
    assert rec.status == "proposed"
    assert rec.employee == world.user("receptionist")
    assert "工牌未佩戴" in rec.facts
    assert rec.points == -2


def test_a_photo_is_evidence_of_a_failure(world):
    check = open_check(world, kinds=["home_entry"])
    items = list(check.items.all())
    results = {i.pk: ItemResult("pass") for i in items}
    results[items[0].pk] = ItemResult("fail", "", photo())
    services.submit_check(check=check, results=results, by=check.inspector)
    failed = check.items.get(pk=items[0].pk)
    assert failed.photo.name
    assert failed.original_name == "fail.png"


def _all(check, result="pass"):
    return {i.pk: ItemResult(result) for i in check.items.all()}


def test_bad_results_are_refused_and_nothing_saved(world):
    check = open_check(world, kinds=["three_voices"])
    items = list(check.items.all())
    results = _all(check)
    del results[items[0].pk]  # not ticked
    results[items[1].pk] = ItemResult("fail")  # no note, no photo
    results[items[2].pk] = ItemResult("maybe")  # not a result
    with pytest.raises(ValidationError) as exc:
        services.submit_check(check=check, results=results, by=check.inspector)
    errors = exc.value.error_dict
    assert {f"item-{i.pk}" for i in items} <= set(errors)
    check.refresh_from_db()
    assert check.status == CheckStatus.OPEN
    assert not check.items.exclude(result="").exists()


def test_a_disguised_photo_is_refused(world):
    check = open_check(world, kinds=["three_voices"])
    results = _all(check)
    first = next(iter(results))
    results[first] = ItemResult("fail", "", photo("x.png", b"MZ not a picture"))
    with pytest.raises(ValidationError) as exc:
        services.submit_check(check=check, results=results, by=check.inspector)
    assert f"item-{first}" in exc.value.error_dict


def test_no_penalty_without_a_failure_nor_a_reward_level(world):
    check = open_check(world, kinds=["three_voices"])
    with pytest.raises(ValidationError) as exc:
        services.submit_check(
            check=check,
            results=_all(check),
            by=check.inspector,
            propose_level=level(world, "verbal_warning"),
        )
    assert "propose_level" in exc.value.error_dict
    results = _all(check)
    results[next(iter(results))] = ItemResult("fail", "没有送声")
    with pytest.raises(ValidationError):
        services.submit_check(
            check=check, results=results, by=check.inspector, propose_level=level(world, "praise")
        )
    assert not ConductRecord.objects.exists()


def test_only_the_inspector_submits(world):
    check = open_check(world)
    with pytest.raises(PermissionDenied):
        services.submit_check(check=check, results=_all(check), by=world.user("director"))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"cadence": "yearly"}, "cadence"),
        ({"kinds": ["forbidden"]}, "kinds"),
        ({"kinds": []}, "kinds"),
    ],
)
def test_a_bad_check_is_not_opened(world, change, field):
    with pytest.raises(ValidationError) as exc:
        open_check(world, **change)
    assert field in exc.value.error_dict
    assert not SpotCheck.objects.exists()


def test_nobody_checks_themselves_nor_someone_of_another_community(world):
    from guanjia.accounts.tests.factories import staff

    with pytest.raises(ValidationError):
        open_check(world, employee=world.user("supervisor"))
    outsider = staff("receptionist", world.b, company=world.company)
    with pytest.raises(ValidationError) as exc:
        open_check(world, employee=outsider)
    assert "employee" in exc.value.error_dict


def test_a_receptionist_cannot_open_a_check(world):
    with pytest.raises(PermissionDenied):
        open_check(world, inspector="receptionist", employee=world.user("cashier"))


def test_a_submitted_check_is_not_submitted_again(world):
    check = submitted(world)
    with pytest.raises(WorkflowError):
        services.submit_check(check=check, results=_all(check), by=check.inspector)
