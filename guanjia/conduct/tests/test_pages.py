"""The pages: refusals shown on their forms (400, nothing saved), 403s, the employee's own
view, the printable card, the KPIs and their Excel, photos served only to those who may see."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from guanjia.accounts.tests.factories import staff
from guanjia.conduct.models import ConductRecord, SpotCheck, StandardItem
from guanjia.conduct.services import ItemResult, submit_check
from guanjia.core.templatetags.files import file_url

from .factories import level, open_check, photo, record, submitted

pytestmark = pytest.mark.django_db


def test_the_standards_page_and_the_printable_card(world):
    client = world.client("receptionist")
    page = client.get(reverse("conduct:standards")).content.decode()
    assert "服务禁语" in page
    assert "不知道" in page
    card = client.get(reverse("conduct:standards-print")).content.decode()
    assert "服务规范卡" in card
    assert "来有迎声" in card


def test_a_bad_standard_is_shown_again_with_its_message(world):
    before = StandardItem.objects.count()
    response = world.client("supervisor").post(
        reverse("conduct:standard-add"), {"kind": "forbidden", "text": "别烦我"}
    )
    assert response.status_code == 400
    assert "请填写应改说的用语" in response.content.decode()
    assert StandardItem.objects.count() == before


def test_a_bad_position_is_refused_on_the_edit_page(world):
    item = StandardItem.objects.filter(company=world.company).first()
    response = world.client("supervisor").post(
        reverse("conduct:standard-edit", args=[item.pk]),
        {"text": item.text, "position": "0", "is_active": "on"},
    )
    assert response.status_code == 400


def test_a_check_for_someone_elsewhere_is_refused_on_the_form(world):
    outsider = staff("receptionist", world.b, company=world.company)
    response = world.client("supervisor").post(
        reverse("conduct:check-new"),
        {"employee": outsider.pk, "cadence": "daily", "kinds": ["appearance"]},
    )
    assert response.status_code == 400
    assert not SpotCheck.objects.exists()


def test_unticked_items_are_shown_again_with_their_messages(world):
    check = open_check(world, kinds=["three_voices"])
    first = check.items.first()
    response = world.client("supervisor").post(
        reverse("conduct:check-submit", args=[check.pk]), {f"item-{first.pk}-result": "fail"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "请选择合格或不合格" in body
    assert "请说明不合格情况" in body
    check.refresh_from_db()
    assert check.status == "open"


def test_a_disguised_photo_is_refused_on_the_page(world):
    check = open_check(world, kinds=["three_voices"])
    data = {f"item-{i.pk}-result": "pass" for i in check.items.all()}
    first = check.items.first()
    data[f"item-{first.pk}-result"] = "fail"
    data[f"item-{first.pk}-photo"] = photo("x.png", b"GIF89a not a png")
    response = world.client("supervisor").post(
        reverse("conduct:check-submit", args=[check.pk]), data
    )
    assert response.status_code == 400
    assert not check.items.exclude(photo="").exists()


def test_a_bad_penalty_level_is_refused_on_the_page(world):
    check = open_check(world, kinds=["three_voices"])
    data = {f"item-{i.pk}-result": "pass" for i in check.items.all()}
    data["propose_level"] = "abc"
    response = world.client("supervisor").post(
        reverse("conduct:check-submit", args=[check.pk]), data
    )
    assert response.status_code == 400


def test_the_photo_is_served_to_those_who_may_see_the_check(world):
    check = open_check(world, kinds=["home_entry"])
    items = list(check.items.all())
    results = {i.pk: ItemResult("pass") for i in items}
    results[items[0].pk] = ItemResult("fail", "", photo())
    submit_check(check=check, results=results, by=check.inspector)
    url = file_url(check.items.get(pk=items[0].pk), "photo")
    assert world.client("supervisor").get(url).status_code == 200
    assert world.client("director").get(url).status_code == 200
    # the employee sees the check but not the inspector's photos; someone else not even it
    assert world.client("receptionist").get(url).status_code == 403
    assert world.client("cashier").get(url).status_code == 404
    other = open_check(world, world.b, kinds=["home_entry"])
    other_items = list(other.items.all())
    other_results = {i.pk: ItemResult("pass") for i in other_items}
    other_results[other_items[0].pk] = ItemResult("fail", "", photo())
    submit_check(check=other, results=other_results, by=other.inspector)
    assert (
        world.client("supervisor").get(file_url(other.items.get(pk=other_items[0].pk), "photo"))
    ).status_code == 404


def test_someone_else_cannot_acknowledge_on_the_page(world):
    check = submitted(world)
    response = world.client("cashier").post(reverse("conduct:check-acknowledge", args=[check.pk]))
    assert response.status_code in (403, 404)
    check.refresh_from_db()
    assert check.status == "submitted"


def test_a_bad_proposal_is_shown_again(world):
    response = world.client("supervisor").post(
        reverse("conduct:record-new"),
        {
            "employee": world.user("receptionist").pk,
            "level": level(world, "written_warning").pk,
            "event_date": timezone.localdate().isoformat(),
            "facts": "迟到",
            "source": "complaint",
            "evidence_ref": "TS-1999-0001",
            "amount": "50",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "请填写月工资" in body or "本小区没有此记录" in body
    assert not ConductRecord.objects.exists()


def test_a_penalty_above_the_approvers_authority_is_a_403_on_the_page(world):
    rec = record(world, "proposed", code="major_demerit", employee=world.user("cashier"))
    ConductRecord.objects.filter(pk=rec.pk).update(proposed_by=world.user("director"))
    client = world.client("director")
    client.post(reverse("conduct:record-act", args=[rec.pk, "confirm"]), {"confirm-note": ""})
    world.client("cashier").post(reverse("conduct:record-act", args=[rec.pk, "sign"]), {})
    rec.refresh_from_db()
    assert rec.status == "acknowledged"
    response = world.client("supervisor").post(
        reverse("conduct:record-act", args=[rec.pk, "approve"]), {"approve-reason": ""}
    )
    assert response.status_code == 403
    rec.refresh_from_db()
    assert rec.status == "acknowledged"


def test_an_appeal_after_the_window_is_shown_with_its_message(world):
    rec = record(world, "effective")
    ConductRecord.objects.filter(pk=rec.pk).update(
        appeal_until=timezone.localdate() - dt.timedelta(days=1)
    )
    response = world.client("receptionist").post(
        reverse("conduct:record-act", args=[rec.pk, "appeal"]), {"appeal-grounds": "不服"}
    )
    assert response.status_code == 400
    assert "申诉期已于" in response.content.decode()


def test_an_unknown_step_is_a_404(world):
    rec = record(world)
    response = world.client("director").post(reverse("conduct:record-act", args=[rec.pk, "burn"]))
    assert response.status_code == 404


def test_the_employee_sees_only_their_own(world):
    mine = record(world)
    theirs = record(world, employee=world.user("cashier"))
    client = world.client("receptionist")
    page = client.get(reverse("conduct:mine")).content.decode()
    assert mine.number in page
    assert theirs.number not in page
    assert client.get(reverse("conduct:record-detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("conduct:record-list")).status_code == 403


def test_the_team_board_shows_public_records_in_force(world):
    public = record(world, "effective", is_public=True)
    private = record(world, "effective")
    page = world.client("cashier").get(reverse("conduct:board")).content.decode()
    assert public.facts in page
    assert private.number not in page


def test_a_bad_list_filter_shows_no_rows(world):
    record(world)
    response = world.client("supervisor").get(reverse("conduct:record-list"), {"status": "zzz"})
    assert response.status_code == 200
    assert "没有奖惩记录" in response.content.decode()


def test_the_kpis_and_their_excel(world):
    record(world, "effective")
    submitted(world)
    client = world.client("director")
    page = client.get(reverse("conduct:kpis"))
    assert page.status_code == 200
    assert "书面警告" in page.content.decode()
    export = client.get(reverse("conduct:kpis-export"))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    bad = client.get(reverse("conduct:kpis"), {"start": "2026-12-01", "end": "2026-01-01"})
    assert bad.status_code == 400
    assert client.get(reverse("conduct:kpis"), {"start": "nope"}).status_code == 400
