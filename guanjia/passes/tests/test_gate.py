"""The gate: every verdict, the photo, every check logged; forged numbers, forged QR codes
and another community's passes read "not found"."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from guanjia.passes import services
from guanjia.passes.models import GateCheck, GateResult, Pass, PassKind

from .factories import group, issue

pytestmark = pytest.mark.django_db


def _check(world, text, community=None):
    return services.check_pass(community=community or world.a, text=text, by=world.user("security"))


def test_a_valid_pass_by_number_and_by_qr(world):
    p = issue(world)
    assert _check(world, p.number).result == GateResult.VALID
    assert _check(world, p.number.lower()).result == GateResult.VALID
    outcome = _check(world, p.qr_text)
    assert (outcome.result, outcome.pass_obj) == (GateResult.VALID, p)
    assert GateCheck.objects.filter(pass_obj=p, result="valid").count() == 3


def test_forged_numbers_and_qr_codes_read_not_found(world):
    p = issue(world)
    forged_qr = p.number + ".000000000000"
    for text in ["CRZ-2000-999999", forged_qr, "'; drop table passes_pass; --", p.number + "."]:
        outcome = _check(world, text)
        assert (outcome.result, outcome.pass_obj) == (GateResult.NOT_FOUND, None), text
    assert GateCheck.objects.filter(result="not_found").count() == 4


def test_another_communitys_pass_reads_not_found(world):
    other = issue(world, world.b)
    assert _check(world, other.number).result == GateResult.NOT_FOUND
    assert _check(world, other.qr_text).result == GateResult.NOT_FOUND
    mine = issue(world)  # the same number in A: B's QR code (B's token) is still not found
    assert mine.number == other.number
    assert _check(world, other.qr_text).result == GateResult.NOT_FOUND
    assert _check(world, mine.qr_text).result == GateResult.VALID


def test_suspended_site_then_resumed(world):
    g = group(world)
    p = issue(world, group=g)
    services.suspend_group(g, reason="违规施工", by=world.user("security"))
    assert _check(world, p.number).result == GateResult.SUSPENDED
    services.resume_group(g, by=world.user("security"))
    assert _check(world, p.number).result == GateResult.VALID
    services.close_group(g, by=world.user("receptionist"))
    assert _check(world, p.number).result == GateResult.EXPIRED


def test_expired_returned_and_blacklisted(world):
    p = issue(world, kind=PassKind.WORKER_SHORT)
    services.expire_passes(community=world.a, today=p.valid_to + dt.timedelta(days=1))
    assert _check(world, p.number).result == GateResult.EXPIRED
    lost = issue(world)
    services.report_lost(pass_obj=lost, by=world.user("receptionist"))
    assert _check(world, lost.number).result == GateResult.BLACKLISTED
    new = services.reissue_pass(pass_obj=lost, by=world.user("receptionist"))
    assert _check(world, lost.number).result == GateResult.BLACKLISTED  # the old number
    assert _check(world, new.number).result == GateResult.VALID
    back = issue(world)
    services.return_pass(pass_obj=back, by=world.user("receptionist"))
    assert _check(world, back.number).result == GateResult.EXPIRED


def test_a_pass_starting_tomorrow_is_not_valid_today(world):
    p = issue(world, valid_from=timezone.localdate() + dt.timedelta(days=1))
    assert _check(world, p.number).result == GateResult.EXPIRED


def test_bad_input_and_the_wrong_role(world):
    for text, code in [("", "required"), ("  ", "required"), ("X" * 81, "too_long")]:
        with pytest.raises(ValidationError) as exc:
            _check(world, text)
        assert exc.value.error_dict["number"][0].code == code
    with pytest.raises(PermissionDenied):
        services.check_pass(community=world.a, text="CRZ", by=world.user("receptionist"))
    assert not GateCheck.objects.exists()


def test_the_gate_page_shows_the_verdict_and_the_photo(world):
    g = group(world)
    p = issue(world, group=g, holder_name="赵六")
    services.suspend_group(g, reason="停工整改", by=world.user("security"))
    client = world.client("security")
    page = client.get(reverse("passes:gate"))
    assert page.status_code == 200
    assert "js/passes-gate.js" in page.text
    response = client.post(reverse("passes:gate"), {"number": p.qr_text})
    assert response.status_code == 200
    assert 'data-result="suspended"' in response.text
    assert "工地停工" in response.text
    assert "赵六" in response.text
    assert "停工整改" in response.text
    assert "/files/" in response.text  # the photo through the files view
    response = client.post(reverse("passes:gate"), {"number": "CRZ-1999-000001"})
    assert 'data-result="not_found"' in response.text
    assert "赵六" not in response.text
    response = client.post(reverse("passes:gate"), {"number": ""})
    assert response.status_code == 400
    assert GateCheck.objects.count() == 2


def test_the_gate_api(world):
    p = issue(world)
    client = world.client("security")
    url = reverse("passes-api:gate-check")
    body = {"community": world.a.pk, "number": p.number}
    data = client.post(url, body, content_type="application/json").json()
    assert (data["result"], data["number"], data["holder_name"]) == ("valid", p.number, "王师傅")
    assert data["photo"]
    issue(world, world.b)
    other = issue(world, world.b)  # its number exists in B only
    body = {"community": world.a.pk, "number": other.number}
    data = client.post(url, body, content_type="application/json").json()
    assert (data["result"], data["holder_name"], data["photo"]) == ("not_found", None, None)
    response = client.post(
        url, {"community": world.a.pk, "number": ""}, content_type="application/json"
    )
    assert response.status_code == 400
    body = {"community": world.b.pk, "number": other.number}  # a community the guard cannot see
    assert client.post(url, body, content_type="application/json").status_code == 400


def test_a_visitor_is_registered_at_the_gate(world):
    from guanjia.estates.tests.factories import UnitFactory

    from .factories import id_number

    client = world.client("security")
    unit = UnitFactory(community=world.a)
    body = {"holder_name": "访客甲", "id_number": id_number(), "unit": unit.pk}
    response = client.post(reverse("passes:gate-visitor"), body)
    assert response.status_code == 400
    assert "请先致电业主" in response.text
    body["host_called"] = "on"
    response = client.post(reverse("passes:gate-visitor"), body)
    assert response.status_code == 302
    slip = Pass.objects.get()
    assert (slip.kind, slip.valid_to) == (PassKind.VISITOR, timezone.localdate())
