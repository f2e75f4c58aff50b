"""The pages and the API: issue with a photo, refusals as 400 with nothing saved, the card as
a PDF, refunds through the API (twice, above what is held), files scoped, lists bounded."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guanjia.core.files.registry import file_url
from guanjia.estates.tests.factories import UnitFactory
from guanjia.passes import services
from guanjia.passes.models import Pass, PassStatus

from .factories import id_number, issue, photo
from .routes import _photo_url

pytestmark = pytest.mark.django_db


def _body(world, **kw):
    body = {
        "kind": "worker_long",
        "holder_name": "王师傅",
        "id_number": id_number(),
        "photo": photo(),
        "unit": UnitFactory(community=world.a).pk,
    }
    body.update(kw)
    return body


def test_issue_on_the_page_then_print_the_card(world):
    client = world.client("receptionist")
    response = client.post(reverse("passes:pass-create"), _body(world))
    assert response.status_code == 302
    p = Pass.objects.get()
    page = client.get(response["Location"])
    assert p.number in page.text
    assert "装修出入证（长期）" in page.text
    pdf = client.get(reverse("passes:pass-print", args=[p.pk]) + "?format=pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    html = client.get(reverse("passes:pass-print", args=[p.pk]))
    assert 'class="qr"' in html.text
    assert "data:image/jpeg;base64," in html.text


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"id_number": "110101199001011234"}, "校验"),
        ({"photo": SimpleUploadedFile("a.jpg", b"%PDF-1.4", content_type="image/jpeg")}, "JPEG"),
        ({"valid_to": "2000-01-01"}, "结束日期早于开始日期"),
        ({"holder_name": ""}, "必填"),
    ],
)
def test_the_page_refuses_bad_input_with_400_and_nothing_saved(world, kw, message):
    client = world.client("receptionist")
    response = client.post(reverse("passes:pass-create"), _body(world, **kw))
    assert response.status_code == 400
    assert message in response.text
    assert not Pass.objects.exists()


def test_a_unit_of_another_community_is_not_a_choice(world):
    client = world.client("receptionist")
    body = _body(world, unit=UnitFactory(community=world.b).pk)
    assert client.post(reverse("passes:pass-create"), body).status_code == 400
    assert not Pass.objects.exists()


def test_refund_on_the_page_twice_and_above_held(world):
    p = issue(world)
    services.return_pass(pass_obj=p, by=world.user("receptionist"))
    client = world.client("cashier")
    url = reverse("passes:pass-refund", args=[p.pk])
    response = client.post(url, {"amount": "20.01"})
    assert response.status_code == 400
    assert "最多退还所收押金 20.00 元" in response.text
    assert client.post(url, {}).status_code == 302
    p.refresh_from_db()
    assert p.status == PassStatus.REFUNDED
    response = client.post(url, {})
    assert response.status_code == 400
    assert "该押金已退还" in response.text


def test_the_api_issues_refunds_and_refuses(world):
    client = world.client("receptionist")
    body = {
        "community": world.a.pk,
        "kind": "worker_short",
        "holder_name": "李师傅",
        "id_number": id_number(),
        "unit": UnitFactory(community=world.a).pk,
        "photo": _photo_url(),
    }
    url = reverse("passes-api:pass-list")
    created = client.post(url, body, content_type="application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["deposit"], data["status"]) == ("20.00", "issued")
    assert "*" in data["id_number"]
    again = client.post(url, body, content_type="application/json")
    assert again.status_code == 400
    assert again.json()["id_number"][0].startswith("此人已持有出入证")
    bad = {**body, "id_number": id_number(), "photo": "data:image/jpeg;base64,JVBERi0xLjQ="}
    refused = client.post(url, bad, content_type="application/json")
    assert refused.status_code == 400
    assert "photo" in refused.json()
    pk = data["id"]
    post = lambda name, who, b=None: world.client(who).post(  # noqa: E731
        reverse(f"passes-api:{name}", args=[pk]), b or {}, content_type="application/json"
    )
    assert post("pass-return", "receptionist").status_code == 200
    above = post("pass-refund", "cashier", {"amount": "50.00"})
    assert above.status_code == 400
    assert "amount" in above.json()
    assert post("pass-refund", "cashier", {"amount": "20.00"}).status_code == 200
    twice = post("pass-refund", "cashier")
    assert twice.status_code == 400
    assert twice.json()["amount"][0] == "该押金已退还。"
    assert Pass.objects.get(pk=pk).deposit_refunded == Decimal("20.00")


def test_a_group_through_the_api_for_the_renovation_app(world):
    client = world.client("receptionist")
    body = {
        "community": world.a.pk,
        "kind": "renovation",
        "name": "5-302 装修",
        "sponsor": "renovation:7",
    }
    response = client.post(reverse("passes-api:group-list"), body, content_type="application/json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    guard = world.client("security")
    url = reverse("passes-api:group-suspend", args=[pk])
    assert guard.post(url, {}, content_type="application/json").status_code == 400
    done = guard.post(url, {"reason": "停工"}, content_type="application/json")
    assert done.json()["status"] == "suspended"
    listed = client.get(reverse("passes-api:group-list") + "?sponsor=renovation:7").json()
    assert listed["count"] == 1
    bad = client.get(reverse("passes-api:group-list") + "?status=nonsense")
    assert bad.status_code == 400


def test_the_photo_is_scoped(world):
    p = issue(world)
    url = file_url(p, "photo")
    assert world.client("receptionist").get(url).status_code == 200
    other = issue(world, world.b)
    assert world.client("receptionist").get(file_url(other, "photo")).status_code == 404
    assert world.client("technician").get(url).status_code == 403


def test_the_list_is_bounded_and_filters(world):
    for _ in range(3):
        issue(world)
    client = world.client("receptionist")
    url = reverse("passes:pass-list")
    client.get(url)  # the session and the caches warm
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        issue(world)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many) == len(few)
    assert response.text.count("CRZ-") >= 8
    bad = client.get(url + "?status=nonsense")
    assert bad.status_code == 200
    assert "CRZ-" not in bad.text


def test_kpis_count_what_they_say(world):
    a = issue(world)
    b = issue(world, kind="service")
    services.report_lost(pass_obj=b, by=world.user("receptionist"))
    services.return_pass(pass_obj=a, by=world.user("receptionist"))
    response = world.client("supervisor").get(reverse("passes-api:kpis"), {"community": world.a.pk})
    data = response.json()
    assert data["deposits_held"] == "20.00"  # a's, returned, not yet refunded; b's forfeited
    assert (data["lost"], data["active"], data["deposits_held_count"]) == (1, 0, 1)
    page = world.client("supervisor").get(reverse("passes:kpis"))
    assert page.status_code == 200
    assert 'data-kpi="lost">1<' in page.text
    assert world.client("supervisor").get(reverse("passes:kpis"), {"start": "x"}).status_code == 400
