"""The monthly summary with the other apps' figures, sent to the director; the daily check."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from guanjia.core.notifications.models import Notification
from guanjia.core.workflows import WorkflowDenied
from guanjia.plans import services
from guanjia.plans.models import DailyCheck, SummaryStatus
from guanjia.tickets.tests.factories import entry

from .factories import approved, summary, this_month

pytestmark = pytest.mark.django_db


def test_a_summary_holds_the_months_figures_including_the_plan_completion(world):
    plan = approved(world, world.a, items=2)
    services.record_progress(item=plan.items.first(), done_pct=100, by=world.user("supervisor"))
    s = summary(world, world.a)
    assert s.figures["plan"] == {"numerator": 1, "denominator": 2, "rate": "50.0"}
    assert set(s.figures) >= {"complaints", "repairs", "collection", "visits", "patrols"}


def test_a_summary_is_sent_once_and_the_director_is_told(world, django_capture_on_commit_callbacks):
    director = world.user("director")
    s = summary(world, world.a)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_summary(summary=s, by=world.user("supervisor"))
    assert s.status == SummaryStatus.SENT
    assert Notification.objects.filter(recipient=director).exists()
    with pytest.raises(ValidationError) as refused:
        services.send_summary(summary=s, by=world.user("supervisor"))
    assert refused.value.code == "sent"


def test_a_summary_without_the_supervisors_words_is_not_sent(world):
    s = summary(world, world.a, words=False)
    with pytest.raises(ValidationError):
        services.send_summary(summary=s, by=world.user("supervisor"))
    s.refresh_from_db()
    assert s.status == SummaryStatus.DRAFT


def test_the_director_reads_or_returns_a_summary_but_not_the_one_who_prepared_it(world):
    s = summary(world, world.a)
    services.send_summary(summary=s, by=world.user("supervisor"))
    with pytest.raises(WorkflowDenied):
        services.acknowledge_summary(summary=s, by=world.user("supervisor"))
    services.return_summary(summary=s, note="补充收费数据", by=world.user("director"))
    assert s.status == SummaryStatus.DRAFT
    assert s.director_note == "补充收费数据"
    services.send_summary(summary=s, by=world.user("supervisor"))
    services.acknowledge_summary(summary=s, note="已阅", by=world.user("director"))
    assert s.status == SummaryStatus.ACKNOWLEDGED


def test_a_second_summary_of_a_month_is_refused(world):
    summary(world, world.a)
    with pytest.raises(ValidationError) as refused:
        services.prepare_summary(community=world.a, month=this_month(), by=world.user("supervisor"))
    assert "month" in refused.value.message_dict


def test_the_summary_prints_as_a_pdf(world):
    s = summary(world, world.a)
    url = reverse("plans:summary-print", args=[s.pk]) + "?format=pdf"
    response = world.client("director").get(url)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_the_daily_check_lists_an_entry_left_open_with_a_link_and_signs_off_once(world):
    import datetime as dt

    from django.utils import timezone

    old = entry(world, world.a)
    type(old).objects.filter(pk=old.pk).update(received_at=timezone.now() - dt.timedelta(days=2))
    client = world.client("supervisor")
    page = client.get(reverse("plans:daily-check")).content.decode()
    assert reverse("tickets:request-detail", args=[old.pk]) in page
    assert client.post(reverse("plans:daily-check-sign"), {"note": "ok"}).status_code == 302
    check = DailyCheck.objects.get()
    assert check.missing >= 1
    again = client.post(reverse("plans:daily-check-sign"), {"note": "again"})
    assert again.status_code == 400
    assert DailyCheck.objects.count() == 1
