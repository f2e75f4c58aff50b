"""Approving fee standards and rate versions: finance approves what the cashier (or another
finance user) proposes, with the approval reference; runs bill approved rows only."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from guanjia.accounts.tests.factories import staff
from guanjia.billing.models import FeeStandard, FeeStandardVersion, LedgerEntry, Meter
from guanjia.billing.services import change_rate, create_standard, post_run, preview_run
from guanjia.billing.services.approvals import approve_version, reject_version
from guanjia.billing.services.standards import update_standard
from guanjia.core.notifications.models import Notification
from guanjia.core.tests.factories import CommunityFactory
from guanjia.estates.models import Person
from guanjia.estates.tests.factories import OwnershipFactory, UnitFactory

from .factories import FeeItemFactory, FeeStandardFactory, FeeStandardVersionFactory

FEB = dt.date(2024, 2, 1)
REF = "深价备〔2024〕12号"


@pytest.fixture(autouse=True)
def _english_pages(world):
    world.language = "en"


@pytest.fixture
def billable(world, item):
    """An approved standard at 2.5 a m² and one owned unit of 89.50 m² in community A."""
    standard = FeeStandardFactory(community=world.a, fee_item=item, name="住宅")
    FeeStandardVersionFactory(standard=standard, rate=Decimal("2.5"))
    OwnershipFactory(unit=UnitFactory(community=world.a, building_area=Decimal("89.50")))
    return standard


@pytest.fixture
def proposed(world, item):
    """A new standard the cashier proposed, with a proposed rate."""
    standard = create_standard(
        community=world.a, fee_item=item, by=world.user("cashier"), name="商铺", method="fixed"
    )
    change_rate(
        standard=standard, rate="30", effective_from=dt.date(2020, 1, 1), by=world.user("cashier")
    )
    return standard


def _state(standard):
    standard.refresh_from_db()
    return standard.approval_status, standard.decided_by_id, standard.approval_ref


# The approval itself


def test_finance_approves_what_the_cashier_proposed_and_both_are_told(world, item):
    cashier, finance = world.user("cashier"), world.user("finance")
    response = world.client("cashier").post(
        reverse("billing:standard-create"),
        {
            "fee_item": item.pk,
            "name": "商铺",
            "method": "fixed",
            "cycle": "monthly",
            "billed_in": "advance",
            "rounding": "half_up",
            "payer_rule": "owner",
        },
    )
    standard = FeeStandard.objects.get(name="商铺")
    assert response.status_code == 302
    assert (standard.approval_status, standard.proposed_by) == ("proposed", cashier)
    told = Notification.objects.get(event="billing.standard_proposed")
    assert told.recipient == finance
    assert "商铺" in told.subject

    response = world.client("finance").post(
        reverse("billing:standard-approve", args=[standard.pk]), {"approval_ref": REF}
    )
    assert response.status_code == 302
    assert _state(standard) == ("approved", finance.pk, REF)
    assert standard.decided_at is not None
    decided = Notification.objects.get(event="billing.standard_decided")
    assert decided.recipient == cashier
    assert REF in decided.body


def test_the_proposer_cannot_approve_their_own_standard(world, item):
    finance = world.user("finance")
    standard = create_standard(
        community=world.a, fee_item=item, by=finance, name="车位", method="fixed"
    )
    response = world.client("finance").post(
        reverse("billing:standard-approve", args=[standard.pk]), {"approval_ref": REF}
    )
    assert response.status_code == 403
    assert (
        "The person who proposed a fee standard or rate cannot approve or reject it."
        in response.content.decode()
    )
    assert _state(standard) == ("proposed", None, "")


def test_the_cashier_without_the_approve_permission_gets_403(world, proposed):
    client = world.client("cashier")
    version = proposed.versions.get()
    assert (
        client.post(
            reverse("billing:standard-approve", args=[proposed.pk]), {"approval_ref": REF}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("billing:version-approve", args=[version.pk]), {"approval_ref": REF}
        ).status_code
        == 403
    )
    assert _state(proposed) == ("proposed", None, "")
    version.refresh_from_db()
    assert version.approval_status == "proposed"


def test_a_rejection_needs_a_reason(world, proposed):
    client = world.client("finance")
    url = reverse("billing:standard-reject", args=[proposed.pk])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400
    assert "Give a reason for the rejection." in response.content.decode()
    assert _state(proposed) == ("proposed", None, "")
    client.post(url, {"reason": "未经业主大会表决"})
    proposed.refresh_from_db()
    assert (proposed.approval_status, proposed.rejection_reason) == ("rejected", "未经业主大会表决")


def test_an_approval_needs_the_approval_reference(world, proposed):
    response = world.client("finance").post(
        reverse("billing:standard-approve", args=[proposed.pk]), {"approval_ref": ""}
    )
    assert response.status_code == 400
    assert "Give the approval reference" in response.content.decode()
    assert _state(proposed) == ("proposed", None, "")


def test_a_decided_proposal_cannot_be_decided_again(world, proposed):
    client = world.client("finance")
    client.post(reverse("billing:standard-approve", args=[proposed.pk]), {"approval_ref": REF})
    response = client.post(
        reverse("billing:standard-reject", args=[proposed.pk]), {"reason": "重复"}
    )
    assert response.status_code == 400
    assert "already been approved or rejected" in response.content.decode()
    assert _state(proposed)[0] == "approved"


# Runs use approved standards and rates only


def test_the_preview_ignores_a_proposed_rate_with_a_warning_and_posts_the_approved_one(
    world, item, billable, clock
):
    new = change_rate(
        standard=billable, rate="3.0", effective_from=dt.date(2024, 2, 16), by=world.user("cashier")
    )
    preview = preview_run(community=world.a, period=FEB, fee_item=item)
    assert "住宅: the rate from 2024-02-16 awaits approval and is not used." in preview.warnings
    assert [line.amount for line in preview.lines] == [Decimal("223.75")]  # 89.50 × 2.5
    post_run(community=world.a, period=FEB, fee_item=item, by=world.user("cashier"))
    assert [e.amount for e in LedgerEntry.objects.all()] == [Decimal("223.75")]

    approve_version(version=new, by=world.user("finance"), approval_ref=REF)
    old = billable.versions.get(effective_from=dt.date(2020, 1, 1))
    assert old.effective_to == dt.date(2024, 2, 15)
    march = preview_run(community=world.a, period=dt.date(2024, 3, 1), fee_item=item)
    assert [line.amount for line in march.lines] == [Decimal("268.50")]  # 89.50 × 3.0
    assert not march.warnings


def test_a_standard_with_only_a_proposed_rate_has_no_rate(world, item, clock):
    standard = FeeStandardFactory(community=world.a, fee_item=item, name="住宅")
    change_rate(
        standard=standard, rate="2.5", effective_from=dt.date(2020, 1, 1), by=world.user("cashier")
    )
    OwnershipFactory(unit=UnitFactory(community=world.a))
    preview = preview_run(community=world.a, period=FEB, fee_item=item)
    assert preview.errors == ["Standard “住宅” has no rate."]
    with pytest.raises(ValidationError):
        post_run(community=world.a, period=FEB, fee_item=item, by=world.user("cashier"))
    assert not LedgerEntry.objects.exists()


def test_a_change_to_an_approved_standard_waits_and_the_approved_terms_go_on_billing(
    world, item, billable, clock
):
    response = world.client("cashier").post(
        reverse("billing:standard-edit", args=[billable.pk]),
        {**_edit_body(billable), "rounding": "jiao"},
    )
    assert response.status_code == 302
    billable.refresh_from_db()
    assert (billable.approval_status, billable.rounding) == ("approved", "half_up")
    assert billable.pending_change == {"rounding": "jiao"}
    preview = preview_run(community=world.a, period=FEB, fee_item=item)
    assert preview.errors == []
    assert preview.warnings == [
        "A change to “住宅” awaits approval: its approved terms are billed."
    ]
    assert [line.amount for line in preview.lines] == [Decimal("223.75")]

    world.client("finance").post(
        reverse("billing:standard-approve", args=[billable.pk]), {"approval_ref": REF}
    )
    billable.refresh_from_db()
    assert (billable.rounding, billable.pending_change, billable.approval_ref) == ("jiao", {}, REF)
    preview = preview_run(community=world.a, period=FEB, fee_item=item)
    assert (preview.errors, preview.warnings) == ([], [])
    assert [line.amount for line in preview.lines] == [Decimal("223.80")]


def test_a_rejected_change_is_dropped_and_the_proposer_is_told(world, item, billable):
    cashier = world.user("cashier")
    update_standard(standard=billable, by=cashier, cycle="quarterly")
    response = world.client("finance").post(
        reverse("billing:standard-reject", args=[billable.pk]), {"reason": "未经业主大会表决"}
    )
    assert response.status_code == 302
    billable.refresh_from_db()
    assert (billable.cycle, billable.pending_change, billable.approval_status) == (
        "monthly",
        {},
        "approved",
    )
    told = Notification.objects.get(recipient=cashier, event="billing.standard_decided")
    assert "未经业主大会表决" in told.body
    history = world.client("finance").get(reverse("billing:standard-detail", args=[billable.pk]))
    assert "Change rejected: 未经业主大会表决" in history.content.decode()


def test_the_proposer_cannot_approve_their_own_change(world, billable):
    finance = world.user("finance")
    update_standard(standard=billable, by=finance, cycle="quarterly")
    response = world.client("finance").post(
        reverse("billing:standard-approve", args=[billable.pk]), {"approval_ref": REF}
    )
    assert response.status_code == 403
    billable.refresh_from_db()
    assert (billable.cycle, billable.pending_change) == ("monthly", {"cycle": "quarterly"})


def test_an_edit_back_to_the_approved_values_withdraws_the_change(world, billable):
    cashier = world.user("cashier")
    update_standard(standard=billable, by=cashier, cycle="quarterly", vacant_discount=True)
    billable.refresh_from_db()
    assert billable.pending_change == {"cycle": "quarterly", "vacant_discount": True}
    page = world.client("cashier").get(reverse("billing:standard-edit", args=[billable.pk]))
    assert page.context["form"]["cycle"].value() == "quarterly"  # the edit amends the change
    update_standard(standard=billable, by=cashier, cycle="monthly", vacant_discount=False)
    billable.refresh_from_db()
    assert billable.pending_change == {}


def test_a_standard_not_yet_approved_takes_the_edit_at_once(world, proposed):
    update_standard(standard=proposed, by=world.user("cashier"), cycle="quarterly")
    proposed.refresh_from_db()
    assert (proposed.cycle, proposed.pending_change, proposed.approval_status) == (
        "quarterly",
        {},
        "proposed",
    )


def test_a_change_that_does_not_move_amounts_stays_approved(world, billable):
    world.client("cashier").post(
        reverse("billing:standard-edit", args=[billable.pk]),
        {**_edit_body(billable), "name": "住宅（高层）"},
    )
    billable.refresh_from_db()
    assert (billable.name, billable.approval_status) == ("住宅（高层）", "approved")


def test_the_method_is_fixed_once_a_run_billed_the_standard(world, item, billable, clock):
    post_run(community=world.a, period=FEB, fee_item=item, by=world.user("cashier"))
    response = world.client("cashier").post(
        reverse("billing:standard-edit", args=[billable.pk]),
        {**_edit_body(billable), "method": "fixed"},
    )
    assert response.status_code == 302  # the method field is disabled: its value is ignored
    billable.refresh_from_db()
    assert (billable.method, billable.approval_status) == ("building_area", "approved")
    with pytest.raises(ValidationError) as info:
        update_standard(standard=billable, by=world.user("cashier"), method="fixed")
    assert info.value.code == "method_locked"
    billable.refresh_from_db()
    assert billable.method == "building_area"


def test_a_rejected_rate_does_not_block_a_new_one_from_the_same_day(world, billable):
    cashier, finance = world.user("cashier"), world.user("finance")
    day = dt.date(2030, 1, 1)
    first = change_rate(standard=billable, rate="3", effective_from=day, by=cashier)
    reject_version(version=first, by=finance, reason="文号不符")
    again = change_rate(standard=billable, rate="2.9", effective_from=day, by=cashier)
    assert again.approval_status == "proposed"
    assert billable.versions.filter(effective_from=day).count() == 2
    with pytest.raises(ValidationError) as info:
        change_rate(standard=billable, rate="2.8", effective_from=day, by=cashier)
    assert info.value.code == "overlapping_versions"


# The pages


def test_the_standard_page_shows_the_approval_buttons_and_the_history(world, billable):
    world.client("cashier").post(
        reverse("billing:standard-edit", args=[billable.pk]),
        {**_edit_body(billable), "cycle": "quarterly"},
    )
    page = world.client("finance").get(reverse("billing:standard-detail", args=[billable.pk]))
    html = page.content.decode()
    card = html[html.index('id="standard-change"') :]
    assert "<td>Monthly</td>" in card
    assert ">Quarterly</td>" in card
    assert reverse("billing:standard-approve", args=[billable.pk]) in card
    assert "change awaiting approval: — → cycle: Quarterly" in html  # the history
    assert world.user("cashier").display_name in html
    own = world.client("cashier").get(reverse("billing:standard-detail", args=[billable.pk]))
    own_html = own.content.decode()
    assert 'id="standard-change"' in own_html
    assert reverse("billing:standard-approve", args=[billable.pk]) not in own_html


def test_the_waiting_list_shows_only_what_awaits_approval(world, billable, proposed):
    FeeStandardVersionFactory(
        standard=FeeStandardFactory(community=world.b), approval_status="proposed"
    )
    client = world.client("finance")
    session = client.session
    session["community_id"] = world.a.pk  # finance works company-wide: look at community A
    session.save()
    page = client.get(reverse("billing:standard-waiting"))
    assert [s.pk for s in page.context["standards"]] == [proposed.pk]
    listing = client.get(reverse("billing:standard-list"))
    assert listing.context["waiting_count"] == 1
    assert 'id="waiting-count">1<' in listing.content.decode()


def _edit_body(standard):
    return {
        "name": standard.name,
        "method": standard.method,
        "cycle": standard.cycle,
        "billed_in": standard.billed_in,
        "rounding": standard.rounding,
        "payer_rule": standard.payer_rule,
        "is_active": "on",
    }


def _bad_developer(world):
    return Person.objects.create(community=world.b, name="乙开发商", kind="organisation").pk


def _bad_meter(world):
    return Meter.objects.create(community=world.b, kind="electric", number="E-b").pk


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("name", "长" * 61),
        ("method", "by_weight"),
        ("cycle", "weekly"),
        ("billed_in", "someday"),
        ("rounding", "banker"),
        ("unit_kinds", ["castle"]),
        ("unit_statuses", ["haunted"]),
        ("payer_rule", "neighbour"),
        ("developer", _bad_developer),
        ("developer", "abc"),
        ("meter_kind", "steam"),
        ("common_meter", _bad_meter),
        ("common_meter", "999999"),
    ],
)
def test_each_bad_field_of_the_edit_form_is_refused_and_nothing_changes(
    world, billable, field, value
):
    value = value(world) if callable(value) else value
    before = FeeStandard.history.count(), _state(billable), billable.name
    response = world.client("cashier").post(
        reverse("billing:standard-edit", args=[billable.pk]), {**_edit_body(billable), field: value}
    )
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    billable.refresh_from_db()
    assert (FeeStandard.history.count(), _state(billable), billable.name) == before


def test_a_name_taken_by_another_standard_of_the_fee_item_is_refused(world, item, billable):
    FeeStandardFactory(community=world.a, fee_item=item, name="商铺")
    response = world.client("cashier").post(
        reverse("billing:standard-edit", args=[billable.pk]),
        {**_edit_body(billable), "name": "商铺"},
    )
    assert response.status_code == 400
    assert "This fee item already has a standard of this name." in response.content.decode()
    billable.refresh_from_db()
    assert billable.name == "住宅"


# The API


def _api(client, name, pk, body):
    return client.post(
        reverse(f"billing-api:{name}", args=[pk]), body, content_type="application/json"
    )


def test_the_api_approves_a_rate_and_ends_the_open_one(world, billable):
    new = change_rate(
        standard=billable, rate="3", effective_from=dt.date(2030, 1, 1), by=world.user("cashier")
    )
    response = _api(world.client("finance"), "version-approve", new.pk, {"approval_ref": REF})
    assert response.status_code == 200
    assert (response.json()["approval_status"], response.json()["approval_ref"]) == (
        "approved",
        REF,
    )
    old = billable.versions.get(effective_from=dt.date(2020, 1, 1))
    assert old.effective_to == dt.date(2029, 12, 31)


def test_the_api_refuses_the_proposer_the_cashier_and_bad_bodies(world, item, proposed):
    finance = world.user("finance")
    own = create_standard(community=world.a, fee_item=item, by=finance, name="车位", method="fixed")
    response = _api(world.client("finance"), "standard-approve", own.pk, {"approval_ref": REF})
    assert response.status_code == 403
    assert "cannot approve or reject it" in response.json()["detail"]
    assert (
        _api(
            world.client("cashier"), "standard-approve", proposed.pk, {"approval_ref": REF}
        ).status_code
        == 403
    )
    response = _api(world.client("finance"), "standard-reject", proposed.pk, {"reason": ""})
    assert (response.status_code, response.json()["detail"]) == (
        400,
        ["Give a reason for the rejection."],
    )
    version = proposed.versions.get()
    response = _api(
        world.client("finance"), "version-approve", version.pk, {"approval_ref": "x" * 61}
    )
    assert response.status_code == 400
    assert _state(own)[0] == _state(proposed)[0] == "proposed"
    assert FeeStandardVersion.objects.get(pk=version.pk).approval_status == "proposed"


def test_another_companys_standard_is_a_404_for_finance(world):
    other = CommunityFactory()
    cashier = staff("cashier", other)
    standard = create_standard(
        community=other,
        fee_item=FeeItemFactory(company=other.company),
        by=cashier,
        name="x",
        method="fixed",
    )
    response = _api(world.client("finance"), "standard-approve", standard.pk, {"approval_ref": REF})
    assert response.status_code == 404
    assert (
        world.client("finance")
        .post(reverse("billing:standard-approve", args=[standard.pk]), {"approval_ref": REF})
        .status_code
        == 404
    )
    assert _state(standard) == ("proposed", None, "")


def test_the_standard_page_and_list_keep_a_fixed_number_of_queries(
    world, item, billable, django_assert_max_num_queries
):
    for n in range(5):
        change_rate(
            standard=billable,
            rate=f"3.{n}",
            effective_from=dt.date(2030 + n, 1, 1),
            by=world.user("cashier"),
        )
        FeeStandardFactory(community=world.a, fee_item=item, name=f"标准{n}")
    client = world.client("cashier")
    with django_assert_max_num_queries(18):
        page = client.get(reverse("billing:standard-detail", args=[billable.pk]))
    assert len(page.context["versions"]) == 6
    with django_assert_max_num_queries(12):
        listing = client.get(reverse("billing:standard-list"))
    assert len(listing.context["standards"]) == 6


def test_an_edit_that_moves_amounts_needs_a_new_approval_reference(world, billable):
    billable.approval_ref = "旧文号"
    billable.save()
    world.client("cashier").post(
        reverse("billing:standard-edit", args=[billable.pk]),
        {**_edit_body(billable), "unit_kinds": ["shop", "flat"]},
    )
    billable.refresh_from_db()
    assert (billable.approval_status, billable.approval_ref) == ("approved", "旧文号")
    assert sorted(billable.pending_change["unit_kinds"]) == ["flat", "shop"]
    response = world.client("finance").post(
        reverse("billing:standard-approve", args=[billable.pk]), {"approval_ref": ""}
    )
    assert response.status_code == 400
    billable.refresh_from_db()
    assert (billable.unit_kinds, billable.approval_ref) == ([], "旧文号")
    assert billable.pending_change


def test_the_same_unit_types_in_another_order_are_no_change(world, billable):
    billable.unit_kinds = ["flat", "shop"]
    billable.save()
    world.client("cashier").post(
        reverse("billing:standard-edit", args=[billable.pk]),
        {**_edit_body(billable), "unit_kinds": ["shop", "flat"]},
    )
    billable.refresh_from_db()
    assert billable.approval_status == "approved"


def test_the_waiting_list_shows_a_change_awaiting_approval(world, billable):
    update_standard(standard=billable, by=world.user("cashier"), rounding="jiao")
    client = world.client("finance")
    session = client.session
    session["community_id"] = world.a.pk
    session.save()
    page = client.get(reverse("billing:standard-waiting"))
    assert [s.pk for s in page.context["standards"]] == [billable.pk]
    assert "Change awaiting approval" in page.content.decode()
