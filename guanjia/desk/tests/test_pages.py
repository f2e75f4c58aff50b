"""The desk's pages: refusals on the form (400, nothing saved), the reports, query counts that
do not grow with the rows, Chinese by default."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guanjia.accounts.tests.factories import staff
from guanjia.desk import services
from guanjia.desk.models import Handover, HandoverStatus, KeyLoan, Parcel

from .factories import SIGN, collector, handover, household_unit, key, loan, parcel

pytestmark = pytest.mark.django_db


def test_lending_a_key_already_out_shows_the_form_again(world):
    out = loan(world)
    c = collector(world, out.key, name="钱七")
    response = world.client("receptionist").post(
        reverse("desk:key-lend", args=[out.key.pk]),
        {"collector": c.pk, "purpose": "维修", "signature": SIGN},
    )
    # The key is out: the page shows the return form, and the refusal above the lend form.
    assert response.status_code == 400
    assert KeyLoan.objects.count() == 1


def test_lend_form_errors_are_in_chinese(world):
    k = key(world)
    c = collector(world, k)
    response = world.client("receptionist").post(
        reverse("desk:key-lend", args=[k.pk]),
        {"collector": c.pk, "purpose": "看房", "signature": ""},
    )
    assert response.status_code == 400
    assert "请在屏幕上签名" in response.content.decode()
    assert not KeyLoan.objects.exists()


def test_collecting_for_another_household_on_the_page(world):
    p = parcel(world)
    stranger = household_unit(world.a)[1]
    response = world.client("receptionist").post(
        reverse("desk:parcel-collect", args=[p.pk]),
        {"collected_by": stranger.pk, "signature": SIGN},
    )
    assert response.status_code == 400
    assert "的业主或住户可以领取该物品" in response.content.decode()
    p.refresh_from_db()
    assert p.collected_at is None


def test_closing_before_relief_on_the_page(world):
    h = handover(world)
    h = services.offer_handover(handover=h, signature=SIGN, by=h.outgoing)
    response = world.client("receptionist").post(reverse("desk:handover-close", args=[h.pk]))
    assert response.status_code == 400
    assert "尚无人接班" in response.content.decode()
    h.refresh_from_db()
    assert h.status == HandoverStatus.OFFERED


def test_the_incoming_person_checks_on_the_page_with_one_discrepancy(world):
    outgoing = staff("receptionist", world.a, username="out")
    h = handover(world, outgoing=outgoing, incoming=world.user("receptionist"))
    h = services.offer_handover(handover=h, signature=SIGN, by=outgoing)
    items = list(h.items.all())
    body = {"go": "accept", "signature": SIGN}
    body.update({f"finding_{i.pk}": "ok" for i in items})
    body[f"finding_{items[0].pk}"] = "discrepancy"
    url = reverse("desk:handover-check", args=[h.pk])
    refused = world.client("receptionist").post(url, body)
    assert refused.status_code == 400  # the discrepancy has no note
    body[f"note_{items[0].pk}"] = "少一把"
    assert world.client("receptionist").post(url, body).status_code == 302
    h.refresh_from_db()
    assert (h.status, h.discrepancy_count) == (HandoverStatus.ACCEPTED, 1)
    page = world.client("supervisor").get(reverse("desk:handover-list") + "?discrepancies=true")
    assert list(page.context["handovers"]) == [h]


def test_a_bad_filter_value_shows_no_rows(world):
    parcel(world)
    response = world.client("receptionist").get(reverse("desk:parcel-list") + "?kind=box")
    assert response.status_code == 200
    assert list(response.context["parcels"]) == []


def _found_and_notice(world):
    start = timezone.now() + dt.timedelta(days=1)
    by = world.user("receptionist")
    services.register_found_item(
        community=world.a, description="伞", found_where="大堂", found_by="保安", by=by
    )
    services.draft_notice(
        community=world.a, title="通知", body="内容", starts_at=start,
        ends_at=start + dt.timedelta(days=1), by=by,
    )  # fmt: skip


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "name", ["desk:key-list", "desk:loan-list", "desk:parcel-list", "desk:parcel-overdue",
             "desk:handover-list", "desk:console", "desk:post-list", "desk:found-list",
             "desk:notice-list"],
)  # fmt: skip
def test_list_queries_do_not_grow_with_the_rows(world, name):
    role = (
        "supervisor"
        if name in ("desk:loan-list", "desk:post-list", "desk:handover-list")
        else "receptionist"
    )
    client = world.client(role)
    loan(world)
    parcel(world, now=timezone.now() - dt.timedelta(days=30))
    handover(world)
    _found_and_notice(world)
    url = reverse(name)
    _count(client, url)  # warm caches
    few = _count(client, url)
    for _ in range(3):
        loan(world)
        parcel(world, now=timezone.now() - dt.timedelta(days=30))
        _found_and_notice(world)
    if name == "desk:handover-list":
        for n in range(3):
            handover(world, outgoing=staff("receptionist", world.a, username=f"o{n}"),
                     incoming=staff("receptionist", world.a, username=f"i{n}"),
                     day=timezone.localdate() - dt.timedelta(days=n + 1))  # fmt: skip
    assert _count(client, url) == few
    assert Parcel.objects.count() == 4
    assert Handover.objects.exists()


def test_the_handover_page_in_chinese(world):
    loan(world)
    h = handover(world)
    html = (
        world.client("receptionist")
        .get(reverse("desk:handover-detail", args=[h.pk]))
        .content.decode()
    )
    assert "外借钥匙" in html
    assert "签字交班" in html
