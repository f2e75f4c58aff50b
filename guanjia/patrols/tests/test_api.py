"""The patrols API: every step of the walk, with the pages' refusals."""

import base64

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guanjia.patrols import services
from guanjia.patrols.models import CheckpointResult, Finding, FindingStatus, Patrol, PatrolStatus
from guanjia.patrols.services.walking import checklist
from guanjia.tickets.tests.factories import PNG

from .factories import checkpoint, finding, patrol, zone


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_a_patrol_walked_through_the_api(world):
    p = patrol(world)
    client = world.client("area_manager")
    assert _post(client, reverse("patrols-api:patrol-start", args=[p.pk]), {}).status_code == 200
    cp = services.route(p)[0]
    response = _post(
        client, reverse("patrols-api:patrol-scan", args=[p.pk]), {"code": services.label_token(cp)}
    )
    assert response.status_code == 201, response.content
    result = response.json()["id"]
    lines = [{"item": line.pk, "ok": True} for line in checklist(world.a, cp.kind)]
    lines[0] = {"item": lines[0]["item"], "ok": False, "issue": "消防栓门损坏"}
    response = _post(
        client, reverse("patrols-api:patrol-items", args=[p.pk, result]), {"lines": lines}
    )
    assert response.status_code == 200, response.content
    assert response.json()["issues"] == 1
    f = Finding.objects.get()
    response = client.post(
        reverse("patrols-api:finding-photos", args=[f.pk]),
        {"image": SimpleUploadedFile("p.png", base64.b64decode(PNG.split(",")[1]), "image/png")},
    )
    assert response.status_code == 201, response.content
    response = _post(client, reverse("patrols-api:patrol-submit", args=[p.pk]), {"note": "正常"})
    assert response.status_code == 200
    assert response.json()["status"] == "done"
    assert len(response.json()["route"]) == 2
    response = _post(
        client,
        reverse("patrols-api:finding-take-action", args=[f.pk]),
        {"kind": "repair", "category": "plumbing", "urgency": "ordinary"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == FindingStatus.ACTION


def test_another_zones_label_through_the_api_is_a_400_on_code(world):
    world.language = "en"
    p = patrol(world)
    Patrol.objects.filter(pk=p.pk).update(status=PatrolStatus.IN_PROGRESS)
    other = checkpoint(world, zone(world, world.a), "gate")
    response = _post(
        world.client("area_manager"),
        reverse("patrols-api:patrol-scan", args=[p.pk]),
        {"code": services.label_token(other)},
    )
    assert response.status_code == 400
    assert response.json()["code"] == ["This label belongs to another zone."]
    assert not CheckpointResult.objects.exists()


def test_a_finding_without_description_through_the_api_is_a_400(world):
    p = patrol(world)
    Patrol.objects.filter(pk=p.pk).update(status=PatrolStatus.IN_PROGRESS)
    response = _post(
        world.client("area_manager"),
        reverse("patrols-api:patrol-findings", args=[p.pk]),
        {"description": " "},
    )
    assert response.status_code == 400
    assert "description" in response.json()
    assert not Finding.objects.exists()


def test_a_disguised_photo_through_the_api_is_a_400(world):
    f = finding(world, world.a)
    response = world.client("area_manager").post(
        reverse("patrols-api:finding-photos", args=[f.pk]),
        {"image": SimpleUploadedFile("p.png", b"<?php echo 1; ?>", "image/png")},
    )
    assert response.status_code == 400
    assert not f.photos.exists()


def test_an_unknown_action_through_the_api_is_a_400(world):
    f = finding(world, world.a)
    response = _post(
        world.client("area_manager"),
        reverse("patrols-api:finding-take-action", args=[f.pk]),
        {"kind": "nuke"},
    )
    assert response.status_code == 400
    assert "kind" in response.json()


def test_a_photo_of_another_community_is_404_and_a_role_without_view_403(world):
    f = finding(world, world.b)
    Patrol.objects.filter(pk=f.patrol_id).update(status=PatrolStatus.DONE)
    f.refresh_from_db()
    photo = services.add_photo(
        finding=f,
        upload=SimpleUploadedFile("p.png", base64.b64decode(PNG.split(",")[1]), "image/png"),
        by=_b_supervisor(world),
    )
    from guanjia.core.files.registry import file_url as url_of

    address = url_of(photo, "image")
    assert world.client("area_manager").get(address).status_code == 404
    mine = finding(world, world.a)
    Patrol.objects.filter(pk=mine.patrol_id).update(status=PatrolStatus.DONE)
    mine.refresh_from_db()
    photo = services.add_photo(
        finding=mine,
        upload=SimpleUploadedFile("p.png", base64.b64decode(PNG.split(",")[1]), "image/png"),
        by=world.user("supervisor"),
    )
    address = url_of(photo, "image")
    assert world.client("area_manager").get(address).status_code == 200
    assert world.client("cashier").get(address).status_code in (403, 404)


def _b_supervisor(world):
    from guanjia.accounts.tests.factories import staff

    return staff("supervisor", world.b, company=world.company)


def test_generation_through_the_api_is_idempotent(world):
    from .factories import first_day_next_month

    z = zone(world, world.a)
    checkpoint(world, z, "gate")
    client = world.client("supervisor")
    month = first_day_next_month().isoformat()
    body = {"community": world.a.pk, "zone": z.pk, "month": month}
    assert _post(client, reverse("patrols-api:plan-list"), body).status_code == 201
    first = _post(
        client, reverse("patrols-api:plan-generate"), {"community": world.a.pk, "month": month}
    )
    assert first.json()["added"] > 15
    again = _post(
        client, reverse("patrols-api:plan-generate"), {"community": world.a.pk, "month": month}
    )
    assert again.json()["added"] == 0
