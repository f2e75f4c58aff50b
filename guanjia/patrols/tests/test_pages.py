"""The patrol pages: the walk step by step (a reload resumes), refusals with 400 and the
message, nothing half-saved."""

from django.urls import reverse

from guanjia.accounts.tests.factories import staff
from guanjia.patrols import services
from guanjia.patrols.models import (
    CheckpointResult,
    Finding,
    FindingStatus,
    Patrol,
    PatrolPlan,
    PatrolStatus,
    ResidentTalk,
)
from guanjia.patrols.services.walking import checklist
from guanjia.tickets.models import RepairOrder

from .factories import checkpoint, finding, first_day_next_month, in_progress, patrol, zone


def _walk(world, p):
    return reverse("patrols:patrol-walk", args=[p.pk])


def test_a_patrol_walked_through_the_pages_resumes_after_a_reload(world):
    p = patrol(world)
    client = world.client("area_manager")
    response = client.post(reverse("patrols:patrol-start", args=[p.pk]))
    assert response.status_code == 302
    first, second = services.route(p)
    response = client.post(
        reverse("patrols:patrol-scan", args=[p.pk]), {"scan-code": services.label_token(first)}
    )
    assert response.status_code == 302
    # a reload: the page shows the scanned checkpoint and its checklist still to fill
    page = client.get(_walk(world, p)).content.decode()
    assert "data-scanned" in page
    assert "data-checklist" in page
    result = CheckpointResult.objects.get()
    lines = checklist(world.a, first.kind)
    body = {f"item_{line.pk}": "ok" for line in lines}
    body[f"item_{lines[0].pk}"] = "issue"
    body[f"issue_{lines[0].pk}"] = "灭火器压力不足"
    response = client.post(reverse("patrols:patrol-items", args=[p.pk, result.pk]), body)
    assert response.status_code == 302
    assert Finding.objects.get().description == "灭火器压力不足"
    client.post(reverse("patrols:patrol-scan", args=[p.pk]), {"scan-code": second.code})
    client.post(reverse("patrols:patrol-talk", args=[p.pk]), {"talk-said": "门禁坏了"})
    assert ResidentTalk.objects.count() == 1
    response = client.post(reverse("patrols:patrol-submit", args=[p.pk]), {"submit-note": ""})
    assert response.status_code == 302
    assert Patrol.objects.get(pk=p.pk).status == PatrolStatus.DONE


def test_a_forged_label_on_the_page_is_a_400_with_the_message(world):
    p = in_progress(world, world.a)
    response = world.client("area_manager").post(
        reverse("patrols:patrol-scan", args=[p.pk]), {"scan-code": "eyJwIjoxfQ:abc:forged"}
    )
    assert response.status_code == 400
    assert "此标签不是真实的巡查点标签。" in response.content.decode()
    assert not CheckpointResult.objects.exists()


def test_another_zones_label_on_the_page_is_refused(world):
    p = in_progress(world, world.a)
    other = checkpoint(world, zone(world, world.a), "gate")
    response = world.client("area_manager").post(
        reverse("patrols:patrol-scan", args=[p.pk]), {"scan-code": other.code}
    )
    assert response.status_code == 400
    assert "此标签属于其他片区。" in response.content.decode()


def test_an_issue_without_its_description_is_refused_on_the_page(world):
    p = in_progress(world, world.a)
    cp = services.route(p)[0]
    services.scan_checkpoint(patrol=p, code=cp.code, by=world.user("area_manager"))
    result = CheckpointResult.objects.get()
    body = {f"item_{line.pk}": "issue" for line in checklist(world.a, cp.kind)}
    response = world.client("area_manager").post(
        reverse("patrols:patrol-items", args=[p.pk, result.pk]), body
    )
    assert response.status_code == 400
    assert "请描述发现的问题。" in response.content.decode()
    assert not Finding.objects.exists()
    assert not result.items.exists()


def test_a_finding_without_description_on_the_page_is_refused(world):
    p = in_progress(world, world.a)
    response = world.client("area_manager").post(
        reverse("patrols:patrol-finding", args=[p.pk]), {"finding-description": ""}
    )
    assert response.status_code == 400
    assert not Finding.objects.exists()


def test_a_patrol_submitted_twice_on_the_page_is_refused(world):
    p = in_progress(world, world.a)
    am = world.user("area_manager")
    services.scan_checkpoint(patrol=p, code=services.route(p)[0].code, by=am)
    client = world.client("area_manager")
    assert client.post(reverse("patrols:patrol-submit", args=[p.pk])).status_code == 302
    response = client.post(reverse("patrols:patrol-submit", args=[p.pk]))
    assert response.status_code == 400
    assert "此巡查已经提交。" in response.content.decode()


def test_another_area_manager_gets_403_on_someone_elses_patrol(world):
    p = in_progress(world, world.a)
    services.scan_checkpoint(
        patrol=p, code=services.route(p)[0].code, by=world.user("area_manager")
    )
    other = staff("area_manager", world.a, company=world.company)
    client = world.client(None)
    client.force_login(other)
    assert client.post(reverse("patrols:patrol-submit", args=[p.pk])).status_code == 403
    assert Patrol.objects.get(pk=p.pk).status == PatrolStatus.IN_PROGRESS


def test_a_finding_becomes_a_repair_from_its_page(world):
    f = finding(world, world.a)
    response = world.client("area_manager").post(
        reverse("patrols:finding-action", args=[f.pk]),
        {"action-kind": "repair", "action-category": "electrical", "action-urgency": "ordinary"},
    )
    assert response.status_code == 302
    f.refresh_from_db()
    assert f.status == FindingStatus.ACTION
    assert RepairOrder.objects.filter(pk=f.action_id).exists()
    page = world.client("area_manager").get(reverse("patrols:finding-detail", args=[f.pk]))
    assert f.action_ref in page.content.decode()


def test_a_repair_without_its_category_is_a_400_and_nothing_is_made(world):
    f = finding(world, world.a)
    response = world.client("area_manager").post(
        reverse("patrols:finding-action", args=[f.pk]), {"action-kind": "repair"}
    )
    assert response.status_code == 400
    assert "请选择维修类别。" in response.content.decode()
    assert not RepairOrder.objects.exists()
    assert Finding.objects.get(pk=f.pk).status == FindingStatus.OPEN


def test_a_disguised_photo_is_refused(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    f = finding(world, world.a)
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not a picture", "image/jpeg")
    response = world.client("area_manager").post(
        reverse("patrols:finding-photo", args=[f.pk]), {"photo-image": fake}
    )
    assert response.status_code == 400
    assert not f.photos.exists()


def test_a_plan_for_a_past_month_on_the_page_is_a_400(world):
    z = zone(world, world.a)
    checkpoint(world, z, "gate")
    response = world.client("supervisor").post(
        reverse("patrols:plan-create"), {"plan-zone": z.pk, "plan-month": "2020-01"}
    )
    assert response.status_code == 400
    assert "只能为本月或以后的月份制定计划。" in response.content.decode()
    assert not PatrolPlan.objects.exists()
    response = world.client("supervisor").post(
        reverse("patrols:plan-create"), {"plan-zone": z.pk, "plan-month": "soon"}
    )
    assert response.status_code == 400


def test_the_plan_page_writes_and_generates(world):
    z = zone(world, world.a)
    checkpoint(world, z, "gate")
    month = first_day_next_month().strftime("%Y-%m")
    client = world.client("supervisor")
    assert (
        client.post(
            reverse("patrols:plan-create"), {"plan-zone": z.pk, "plan-month": month}
        ).status_code
        == 302
    )
    assert client.post(reverse("patrols:plan-generate"), {"gen-month": month}).status_code == 302
    added = Patrol.objects.count()
    assert added > 15
    client.post(reverse("patrols:plan-generate"), {"gen-month": month})
    assert Patrol.objects.count() == added


def test_labels_print_as_pdf(world):
    z = zone(world, world.a)
    checkpoint(world, z, "gate")
    response = world.client("supervisor").get(reverse("patrols:checkpoint-labels") + "?format=pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_bad_kpi_period_is_a_400(world):
    client = world.client("supervisor")
    assert client.get(reverse("patrols:kpis"), {"start": "2026-13-01"}).status_code == 400
    assert (
        client.get(
            reverse("patrols:kpis"), {"start": "2026-05-01", "end": "2026-04-01"}
        ).status_code
        == 400
    )
    assert client.get(reverse("patrols:kpis-export"), {"start": "x"}).status_code == 400
