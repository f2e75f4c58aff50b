"""Appeals of a notice (spec §11): within the policy's days, decided by the director."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guanjia.violations import services
from guanjia.violations.models import ViolationStatus

from .factories import days_later, found, noticed


def test_an_appeal_within_its_period_is_recorded_for_the_director(world):
    violation = noticed(world, world.a)
    with days_later(5):
        services.lodge_appeal(
            violation=violation, grounds="杂物属于邻居", by=world.user("area_manager")
        )
    violation.refresh_from_db()
    assert violation.appeal_grounds == "杂物属于邻居"
    assert violation.events.last().action == "appealed"


def test_an_appeal_after_its_period_is_refused(world):
    violation = noticed(world, world.a)
    with days_later(6), pytest.raises(ValidationError) as exc:
        services.lodge_appeal(violation=violation, grounds="太晚", by=world.user("area_manager"))
    assert exc.value.code == "appeal_late"
    violation.refresh_from_db()
    assert violation.appeal_on is None


def test_an_appeal_without_a_notice_is_refused(world):
    violation = found(world, world.a)
    with pytest.raises(ValidationError) as exc:
        services.lodge_appeal(violation=violation, grounds="不服", by=world.user("area_manager"))
    assert exc.value.code == "no_notice"


def test_the_director_cancels_and_the_violation_closes(world):
    violation = noticed(world, world.a)
    services.lodge_appeal(
        violation=violation, grounds="杂物属于邻居", by=world.user("area_manager")
    )
    services.decide_appeal(
        violation=violation, decision="cancelled", note="核实属实", by=world.user("director")
    )
    violation.refresh_from_db()
    assert violation.status == ViolationStatus.CANCELLED
    assert violation.appeal_decided_by == world.user("director")


def test_a_modified_decision_sets_a_new_deadline(world):
    violation = noticed(world, world.a)
    services.lodge_appeal(
        violation=violation, grounds="需要更多时间", by=world.user("area_manager")
    )
    new = timezone.localdate() + dt.timedelta(days=20)
    services.decide_appeal(
        violation=violation,
        decision="modified",
        note="延期",
        deadline=new,
        by=world.user("director"),
    )
    violation.refresh_from_db()
    assert (violation.status, violation.deadline) == (ViolationStatus.NOTICED, new)


def test_only_the_director_decides_and_only_once(world):
    violation = noticed(world, world.a)
    services.lodge_appeal(violation=violation, grounds="不服", by=world.user("area_manager"))
    with pytest.raises(PermissionDenied):
        services.decide_appeal(
            violation=violation, decision="upheld", note="维持", by=world.user("supervisor")
        )
    services.decide_appeal(
        violation=violation, decision="upheld", note="维持", by=world.user("director")
    )
    with pytest.raises(ValidationError) as exc:
        services.decide_appeal(
            violation=violation, decision="cancelled", note="改判", by=world.user("director")
        )
    assert exc.value.code == "already_decided"
