"""The violations API: a violation taken up the ladder with every move, and the refusals."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from guanjia.violations.models import Violation, ViolationStatus

from .factories import PNG, days_later, found, kind, managed_unit, noticed


def _post(client, name, pk, body):
    return client.post(
        reverse(f"violations-api:{name}", args=[pk]), body, content_type="application/json"
    )


def test_a_violation_goes_to_a_notice_and_a_recheck_through_the_api(world):
    unit = managed_unit(world, world.a)
    client = world.client("area_manager")
    created = client.post(
        reverse("violations-api:violation-list"),
        {
            "community": world.a.pk,
            "unit": unit.pk,
            "kind": kind().pk,
            "description": "楼道堆物",
            "responsible": "owner",
            "source": "patrol",
            "source_ref": "XC-1",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert _post(client, "violation-dissuade", pk, {"action": "劝阻"}).status_code == 200
    notice = _post(client, "violation-notice", pk, {"demand": "清理", "signature": PNG})
    assert notice.json()["status"] == ViolationStatus.NOTICED
    assert notice.json()["notices"][0]["number"].startswith("ZG-")
    rechecked = _post(client, "violation-recheck", pk, {"corrected": True, "note": "已清理"})
    assert rechecked.json()["status"] == ViolationStatus.CORRECTED


def test_a_finding_without_description_is_a_400(world):
    unit = managed_unit(world, world.a)
    response = world.client("area_manager").post(
        reverse("violations-api:violation-list"),
        {
            "community": world.a.pk,
            "unit": unit.pk,
            "kind": kind().pk,
            "description": "",
            "responsible": "owner",
            "source": "patrol",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"description": ["请描述违章情况。"]}
    assert not Violation.objects.exists()


def test_a_unit_of_another_community_is_refused_by_the_api(world):
    unit = managed_unit(world, world.b)
    response = world.client("area_manager").post(
        reverse("violations-api:violation-list"),
        {
            "community": world.a.pk,
            "unit": unit.pk,
            "kind": kind().pk,
            "description": "x",
            "responsible": "owner",
            "source": "patrol",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not Violation.objects.exists()


def test_a_recheck_before_the_notice_is_a_400(world):
    violation = found(world, world.a)
    response = _post(
        world.client("area_manager"),
        "violation-recheck",
        violation.pk,
        {"corrected": False, "note": "x"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "no_notice"


def test_a_notice_deadline_in_the_past_is_a_400(world):
    violation = found(world, world.a)
    past = (timezone.localdate() - dt.timedelta(days=2)).isoformat()
    response = _post(
        world.client("area_manager"),
        "violation-notice",
        violation.pk,
        {"demand": "清理", "deadline": past, "signature": PNG},
    )
    assert response.status_code == 400
    assert "deadline" in response.json()


def test_an_appeal_after_its_period_is_a_400(world):
    violation = noticed(world, world.a)
    with days_later(6):
        response = _post(
            world.client("area_manager"), "violation-appeal", violation.pk, {"grounds": "不服"}
        )
    assert response.status_code == 400
    assert response.json()["code"] == "appeal_late"


def test_a_move_out_of_order_is_a_400(world):
    violation = found(world, world.a)
    response = _post(world.client("supervisor"), "violation-transfer", violation.pk, {})
    assert response.status_code == 400
    assert response.json()["code"] == "move_not_allowed"


def test_another_communitys_violation_is_a_404(world):
    violation = found(world, world.b)
    client = world.client("director")
    assert (
        client.get(reverse("violations-api:violation-detail", args=[violation.pk])).status_code
        == 404
    )
    assert _post(client, "violation-dissuade", violation.pk, {"action": "x"}).status_code == 404


def test_a_bad_filter_is_a_400(world):
    response = world.client("receptionist").get(
        reverse("violations-api:violation-list") + "?status=nonsense"
    )
    assert response.status_code == 400
