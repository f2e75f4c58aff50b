"""Walking a patrol: start, scan, checklist, findings, residents, submit; missed at day end."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guanjia.accounts.tests.factories import staff
from guanjia.patrols import services
from guanjia.patrols.models import (
    CheckpointResult,
    Finding,
    Patrol,
    PatrolEvent,
    PatrolStatus,
)
from guanjia.patrols.services.walking import checklist

from .factories import checkpoint, patrol, started, zone


def _walk_first(world, p):
    cp = services.route(p)[0]
    return services.scan_checkpoint(
        patrol=p, code=services.label_token(cp), by=world.user("area_manager")
    )


def test_the_whole_walk(world):
    am = world.user("area_manager")
    p = started(world)
    assert p.status == PatrolStatus.IN_PROGRESS
    assert p.started_at
    result = _walk_first(world, p)
    items = checklist(world.a, result.checkpoint.kind)
    answers = {item.pk: True for item in items}
    answers[items[0].pk] = False
    services.record_items(result=result, answers=answers, issues={items[0].pk: "灭火器过期"}, by=am)
    assert Finding.objects.get().description == "灭火器过期"
    # recording again (a reload that posts twice) does not double the finding
    services.record_items(result=result, answers=answers, issues={items[0].pk: "灭火器过期"}, by=am)
    assert Finding.objects.count() == 1
    services.add_talk(patrol=p, said="楼道灯坏了两天", name="王先生", by=am)
    services.submit_patrol(patrol=p, note="", by=am)
    p.refresh_from_db()
    assert p.status == PatrolStatus.DONE
    event = PatrolEvent.objects.get(patrol=p, action="submitted")
    assert event.actor == am
    assert len(event.data["not_scanned"]) == 1  # the second checkpoint was not scanned


def test_a_second_scan_of_the_same_checkpoint_is_the_same_proof(world):
    p = started(world)
    first, again = _walk_first(world, p), _walk_first(world, p)
    assert first.pk == again.pk
    assert CheckpointResult.objects.count() == 1


def test_a_label_of_another_zone_or_community_or_forged_is_refused_at_scan(world):
    p = started(world)
    am = world.user("area_manager")
    other = checkpoint(world, zone(world, world.a), "gate")
    far = checkpoint(world, zone(world, world.b), "gate")
    for code in (services.label_token(other), services.label_token(far), "abc:def:ghi"):
        with pytest.raises(ValidationError) as exc:
            services.scan_checkpoint(patrol=p, code=code, by=am)
        assert "code" in exc.value.error_dict
    assert not CheckpointResult.objects.exists()


def test_a_patrol_submitted_twice_is_refused(world):
    p = started(world)
    am = world.user("area_manager")
    _walk_first(world, p)
    services.submit_patrol(patrol=p, by=am)
    with pytest.raises(ValidationError) as exc:
        services.submit_patrol(patrol=p, by=am)
    assert exc.value.code == "already_submitted"
    assert PatrolEvent.objects.filter(patrol=p, action="submitted").count() == 1


def test_a_patrol_with_nothing_scanned_is_not_submitted(world):
    p = started(world)
    with pytest.raises(ValidationError) as exc:
        services.submit_patrol(patrol=p, by=world.user("area_manager"))
    assert exc.value.code == "nothing_scanned"


def test_someone_who_is_not_the_patroller_may_not_walk_or_submit(world):
    p = started(world)
    _walk_first(world, p)
    other = staff("area_manager", world.a, company=world.company)
    with pytest.raises(PermissionDenied):
        services.submit_patrol(patrol=p, by=other)
    with pytest.raises(PermissionDenied):
        services.scan_checkpoint(patrol=p, code="X", by=other)
    p.refresh_from_db()
    assert p.status == PatrolStatus.IN_PROGRESS


def test_the_acting_manager_may_walk_the_zones_patrol(world):
    p = patrol(world)
    acting = staff("area_manager", world.a, company=world.company)
    z = p.zone
    z.acting_manager, z.acting_from, z.acting_to = acting, p.day, p.day
    z.save()
    services.start_patrol(patrol=p, by=acting)
    assert Patrol.objects.get(pk=p.pk).status == PatrolStatus.IN_PROGRESS


def test_a_finding_without_a_description_is_refused(world):
    p = started(world)
    am = world.user("area_manager")
    with pytest.raises(ValidationError) as exc:
        services.add_finding(patrol=p, description="  ", by=am)
    assert "description" in exc.value.error_dict
    result = _walk_first(world, p)
    item = checklist(world.a, result.checkpoint.kind)[0]
    with pytest.raises(ValidationError) as exc:
        services.record_items(result=result, answers={item.pk: False}, issues={}, by=am)
    assert f"issue_{item.pk}" in exc.value.error_dict
    assert not Finding.objects.exists()


def test_a_checklist_line_of_another_type_is_refused(world):
    p = started(world)
    result = _walk_first(world, p)
    foreign = checklist(world.a, "roof")[0]
    with pytest.raises(ValidationError) as exc:
        services.record_items(
            result=result, answers={foreign.pk: True}, issues={}, by=world.user("area_manager")
        )
    assert "items" in exc.value.error_dict


def test_a_patrol_not_started_takes_no_scan_and_a_future_one_does_not_start(world):
    p = patrol(world)
    with pytest.raises(ValidationError) as exc:
        _walk_first(world, p)
    assert exc.value.code == "not_in_progress"
    later = patrol(world, day=timezone.localdate() + dt.timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        services.start_patrol(patrol=later, by=world.user("area_manager"))
    assert exc.value.code == "too_early"


def test_patrols_not_done_by_the_end_of_their_day_become_missed(world):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    planned = patrol(world, day=yesterday)
    walking = patrol(world, day=yesterday)
    Patrol.objects.filter(pk=walking.pk).update(status=PatrolStatus.IN_PROGRESS)
    today = patrol(world)
    assert services.mark_missed() == 2
    planned.refresh_from_db()
    walking.refresh_from_db()
    assert planned.status == walking.status == PatrolStatus.MISSED
    assert planned.missed_reason
    assert walking.missed_reason != planned.missed_reason
    assert Patrol.objects.get(pk=today.pk).status == PatrolStatus.PLANNED
    assert PatrolEvent.objects.get(patrol=planned, action="missed").actor is None
    services.explain_missed(patrol=planned, reason="病假", by=world.user("supervisor"))
    assert Patrol.objects.get(pk=planned.pk).missed_reason == "病假"


def test_a_storm_alert_makes_a_special_patrol_per_zone(world):
    z = zone(world, world.a)
    roof = checkpoint(world, z, "roof")
    checkpoint(world, z, "fire")
    made = services.storm_patrols(
        community=world.a, reason="台风红色预警", by=world.user("supervisor")
    )
    assert len(made) == 1
    assert made[0].kind == "special"
    assert services.route(made[0]) == [roof]
    with pytest.raises(ValidationError) as exc:
        services.storm_patrols(community=world.a, reason=" ", by=world.user("supervisor"))
    assert "reason" in exc.value.error_dict


def test_a_resident_met_without_what_they_said_is_refused(world):
    p = started(world)
    with pytest.raises(ValidationError) as exc:
        services.add_talk(patrol=p, said=" ", name="王", by=world.user("area_manager"))
    assert "said" in exc.value.error_dict
    assert not p.talks.exists()


def test_a_photo_too_large_is_refused(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    p = started(world)
    finding = services.add_finding(patrol=p, description="渗水", by=world.user("area_manager"))
    big = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (9 * 1024 * 1024), "image/png")
    with pytest.raises(ValidationError) as exc:
        services.add_photo(finding=finding, upload=big, by=world.user("area_manager"))
    assert "image" in exc.value.error_dict
    assert not finding.photos.exists()


def test_a_missed_patrol_is_told_to_the_reviewers_and_its_patroller(
    world, django_capture_on_commit_callbacks
):
    from guanjia.core.notifications.models import Notification

    supervisor = world.user("supervisor")
    planned = patrol(world, day=timezone.localdate() - dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_missed()
    told = {n.recipient_id for n in Notification.objects.filter(event="patrols.missed")}
    assert told == {supervisor.pk, planned.patroller_id}
