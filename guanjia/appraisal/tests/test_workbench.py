"""The workbench tasks and the announcements of the appraisal workflow."""

import pytest
from django.utils import timezone

from guanjia.appraisal import services
from guanjia.appraisal.models import Kind
from guanjia.core.notifications.models import Notification
from guanjia.core.workbench.registry import TaskQuery, task_kinds

from .factories import appraisal

pytestmark = pytest.mark.django_db


def items(code, user, community):
    kind = next(k for k in task_kinds() if k.code == code)
    return list(kind.items(TaskQuery(user=user, community=community, now=timezone.now())))


def test_a_quarter_to_rate_is_the_supervisors_task_not_the_employees(world):
    found = appraisal(world, "open")
    assert found in items("appraisal.to_rate", world.user("supervisor"), world.a)
    assert found not in items("appraisal.to_rate", world.user("receptionist"), world.a)
    assert not items("appraisal.to_rate", world.user("supervisor"), world.b)


def test_an_annual_self_assessment_is_the_employees_task_with_its_deadline(world):
    found = appraisal(world, "open", kind=Kind.YEAR)
    assert found in items("appraisal.self_assess", world.user("receptionist"), world.a)
    assert found.self_assessment_due is not None


def test_a_rated_appraisal_waits_for_the_next_level_not_the_rater(world):
    found = appraisal(world, "rated")
    assert found in items("appraisal.to_review", world.user("director"), world.a)
    assert found not in items("appraisal.to_review", world.user("supervisor"), world.a)


def test_the_steps_tell_who_must_act(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        found = appraisal(world, "published")
    told = Notification.objects.values_list("recipient_id", "event")
    assert (world.user("director").pk, "appraisal.to_review") in told
    assert (world.user("hr").pk, "appraisal.to_confirm") in told
    assert (world.user("receptionist").pk, "appraisal.published") in told
    assert (world.user("supervisor").pk, "appraisal.to_review") not in told
    with django_capture_on_commit_callbacks(execute=True):
        services.appeal(appraisal=found, grounds="扣分有误", by=world.user("receptionist"))
    assert Notification.objects.filter(
        recipient=world.user("hr"), event="appraisal.appealed"
    ).exists()
