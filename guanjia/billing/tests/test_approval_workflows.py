"""Fee-standard, rate and waiver approvals on core.workflows (issue 9 item 1): every proposal
and decision is an event row, the requester never decides, authority by permission, the
waiver's amount limits by policy (spec §26), and the data migration carries the history."""

import datetime as dt
import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from guanjia.billing.models import (
    FeeStandardEvent,
    FeeStandardVersionEvent,
    WaiverRequest,
    WaiverRequestEvent,
)
from guanjia.billing.services import change_rate, create_standard
from guanjia.billing.services.approvals import (
    approve_standard,
    approve_version,
    reject_standard,
    reject_version,
)
from guanjia.billing.services.standards import update_standard
from guanjia.core import workflows
from guanjia.core.policies.services import set_policy
from guanjia.core.workflows import Code, WorkflowDenied, WorkflowError
from guanjia.estates.tests.factories import UnitFactory

from .factories import FeeStandardFactory, FeeStandardVersionFactory

migration = importlib.import_module("guanjia.billing.migrations.0012_approval_events_from_history")
REF = "深价备〔2024〕12号"


@pytest.fixture(autouse=True)
def _english(world):
    world.language = "en"


def _events(row):
    return list(row.events.order_by("at", "pk").values_list("action", "from_status", "to_status"))


def _shop(world, item, by):
    return create_standard(community=world.a, fee_item=item, by=by, name="商铺", method="fixed")


def test_a_rejection_and_a_second_proposal_keep_every_decision_as_an_event(world, item):
    cashier, finance = world.user("cashier"), world.user("finance")
    standard = _shop(world, item, cashier)
    reject_standard(standard=standard, by=finance, reason="未经业主大会表决")
    update_standard(standard=standard, by=cashier, cycle="quarterly")
    approve_standard(standard=standard, by=finance, approval_ref=REF)
    assert _events(standard) == [
        ("requested", "", "proposed"),
        ("rejected", "proposed", "rejected"),
        ("requested", "rejected", "proposed"),
        ("approved", "proposed", "approved"),
    ]
    rejected = standard.events.get(action="rejected")
    assert (rejected.actor, rejected.note) == (finance, "未经业主大会表决")
    approved = standard.events.get(action="approved")
    assert (approved.actor, approved.data["reference"]) == (finance, REF)
    standard.refresh_from_db()
    # the columns hold the latest decision only; the rejection lives on in its event
    assert (standard.approval_status, standard.rejection_reason) == ("approved", "")


def test_a_change_to_an_approved_standard_is_requested_and_decided_as_events(world, item):
    cashier, finance = world.user("cashier"), world.user("finance")
    standard = FeeStandardFactory(community=world.a, fee_item=item, name="住宅")
    update_standard(standard=standard, by=cashier, rounding="jiao")
    reject_standard(standard=standard, by=finance, reason="文号不符")
    update_standard(standard=standard, by=cashier, cycle="quarterly")
    update_standard(standard=standard, by=cashier, cycle="monthly")  # withdrawn
    update_standard(standard=standard, by=cashier, vacant_discount=True)
    approve_standard(standard=standard, by=finance, approval_ref=REF)
    actions = [(e.action, e.data.get("change"), e.actor) for e in standard.events.all()]
    assert actions == [
        ("change_requested", {"rounding": "jiao"}, cashier),
        ("change_rejected", {"rounding": "jiao"}, finance),
        ("change_requested", {"cycle": "quarterly"}, cashier),
        ("change_withdrawn", {"cycle": "quarterly"}, cashier),
        ("change_requested", {"vacant_discount": True}, cashier),
        ("change_approved", {"vacant_discount": True}, finance),
    ]
    assert {e.to_status for e in standard.events.all()} == {"approved"}


def test_refusals_speak_the_workflow_vocabulary_in_billings_words(world, item):
    cashier, finance = world.user("cashier"), world.user("finance")
    own = _shop(world, item, finance)
    with pytest.raises(WorkflowDenied) as denied:
        approve_standard(standard=own, by=finance, approval_ref=REF)
    assert denied.value.code == Code.OWN_REQUEST
    assert "cannot approve or reject it" in str(denied.value)
    standard = create_standard(
        community=world.a, fee_item=item, by=cashier, name="车位", method="fixed"
    )
    with pytest.raises(WorkflowDenied) as denied:
        approve_standard(standard=standard, by=world.user("director"), approval_ref=REF)
    assert (denied.value.code, str(denied.value)) == (
        Code.NOT_PERMITTED,
        "Only finance may approve or reject fee standards and rates.",
    )
    for kwargs, code in [
        ({"approval_ref": ""}, Code.REFERENCE_REQUIRED),
        ({"approval_ref": "号" * 61}, Code.TOO_LONG),
    ]:
        with pytest.raises(WorkflowError) as error:
            approve_standard(standard=standard, by=finance, **kwargs)
        assert error.value.code == code
    with pytest.raises(WorkflowError) as error:
        reject_standard(standard=standard, by=finance, reason="因" * 201)
    assert (error.value.code, error.value.messages) == (
        Code.TOO_LONG,
        ["A reason has at most 200 characters."],
    )
    approve_standard(standard=standard, by=finance, approval_ref=REF)
    with pytest.raises(WorkflowError) as error:
        reject_standard(standard=standard, by=finance, reason="重复")
    assert error.value.code == Code.ALREADY_DECIDED
    assert _events(standard) == [
        ("requested", "", "proposed"),
        ("approved", "proposed", "approved"),
    ]


def test_the_proposer_of_a_change_cannot_decide_it_and_nothing_is_recorded(world, item):
    finance = world.user("finance")
    standard = FeeStandardFactory(community=world.a, fee_item=item, name="住宅")
    update_standard(standard=standard, by=finance, rounding="jiao")
    with pytest.raises(WorkflowDenied) as denied:
        reject_standard(standard=standard, by=finance, reason="撤回")
    assert denied.value.code == Code.OWN_REQUEST
    assert [e.action for e in standard.events.all()] == ["change_requested"]


def test_a_rate_is_proposed_and_decided_as_events(world, item):
    cashier, finance = world.user("cashier"), world.user("finance")
    standard = FeeStandardFactory(community=world.a, fee_item=item, name="住宅")
    first = change_rate(standard=standard, rate="3", effective_from=dt.date(2030, 1, 1), by=cashier)
    reject_version(version=first, by=finance, reason="文号不符")
    second = change_rate(
        standard=standard, rate="2.9", effective_from=dt.date(2030, 1, 1), by=cashier
    )
    with pytest.raises(WorkflowDenied):
        approve_version(version=second, by=cashier, approval_ref=REF)
    approve_version(version=second, by=finance, approval_ref=REF)
    assert _events(first) == [("requested", "", "proposed"), ("rejected", "proposed", "rejected")]
    assert _events(second) == [("requested", "", "proposed"), ("approved", "proposed", "approved")]
    assert FeeStandardVersionEvent.objects.filter(actor=finance).count() == 2


# The waiver request: the table, the authority and the limits (spec §26)


@pytest.fixture
def waiver(world, item):
    """A late-fee waiver of 300.00 requested by the cashier (created directly: its amount
    check against the late fees owed is test_late_fees' business)."""
    unit = UnitFactory(community=world.a)
    row = WaiverRequest.objects.create(
        community=world.a,
        unit=unit,
        fee_item=item,
        amount=Decimal("300.00"),
        reason="困难户",
        requested_by=world.user("cashier"),
    )
    workflows.record_creation(row, by=world.user("cashier"), action="requested")
    return row


def test_a_waiver_above_the_supervisors_limit_needs_the_director(world, waiver):
    with pytest.raises(WorkflowDenied) as denied:
        workflows.decide(waiver, True, by=world.user("supervisor"))
    assert denied.value.code == Code.OVER_LIMIT
    assert "300.00 is above 200.00" in str(denied.value)
    workflows.decide(waiver, True, by=world.user("director"))
    waiver.refresh_from_db()
    assert waiver.status == "approved"
    assert list(waiver.events.values_list("action", "actor", "data")) == [
        ("requested", world.user("cashier").pk, {}),
        (
            "approved",
            world.user("director").pk,
            {"amount": "300.00", "decision": "approved", "reference": ""},
        ),
    ]


def test_a_waiver_above_the_directors_limit_needs_finance(world, waiver):
    set_policy(
        key="approval.waiver_dir_max",
        value="250",
        company=world.company,
        reason="测试",
        by=world.user("admin"),
    )
    with pytest.raises(WorkflowDenied) as denied:
        workflows.decide(waiver, True, by=world.user("director"))
    assert denied.value.code == Code.OVER_LIMIT
    workflows.decide(waiver, True, by=world.user("finance"))
    assert WaiverRequest.objects.get().status == "approved"


def test_a_waiver_is_never_decided_by_its_requester_or_without_the_permission(world, waiver):
    with pytest.raises(WorkflowDenied) as denied:
        workflows.decide(waiver, False, by=world.user("cashier"), reason="x")
    assert denied.value.code == Code.OWN_REQUEST
    with pytest.raises(WorkflowDenied) as denied:
        workflows.decide(waiver, False, by=world.user("area_manager"), reason="x")
    assert denied.value.code == Code.NOT_PERMITTED
    with pytest.raises(WorkflowError) as error:
        workflows.decide(waiver, False, by=world.user("supervisor"))
    assert error.value.code == Code.REASON_REQUIRED
    workflows.decide(waiver, False, by=world.user("supervisor"), reason="证明不全")
    with pytest.raises(WorkflowError) as error:
        workflows.decide(waiver, True, by=world.user("director"))
    assert error.value.code == Code.ALREADY_DECIDED
    assert WaiverRequestEvent.objects.filter(action="rejected").get().note == "证明不全"


# The data migration


def test_the_migration_carries_every_proposal_and_decision_from_the_history(world, item):
    cashier, finance = world.user("cashier"), world.user("finance")
    standard = _shop(world, item, cashier)
    reject_standard(standard=standard, by=finance, reason="未经业主大会表决")
    update_standard(standard=standard, by=cashier, cycle="quarterly")
    approve_standard(standard=standard, by=finance, approval_ref=REF)
    update_standard(standard=standard, by=cashier, rounding="jiao")
    reject_standard(standard=standard, by=finance, reason="文号不符")
    update_standard(standard=standard, by=cashier, vacant_discount=True)
    approve_standard(standard=standard, by=finance, approval_ref="二号")
    rate = change_rate(standard=standard, rate="30", effective_from=dt.date(2030, 1, 1), by=cashier)
    approve_version(version=rate, by=finance, approval_ref=REF)
    plain = FeeStandardVersionFactory(standard=FeeStandardFactory(community=world.a))
    columns = ("action", "from_status", "to_status", "actor", "data__change")
    expected = {row: list(row.events.values_list(*columns)) for row in (standard, rate)}
    FeeStandardEvent.objects.all().delete()
    FeeStandardVersionEvent.objects.all().delete()
    migration.events_from_history(apps, None)
    for row, events in expected.items():
        assert list(row.events.values_list(*columns)) == events, row
    notes = dict(standard.events.filter(action__endswith="rejected").values_list("action", "note"))
    assert notes == {"rejected": "未经业主大会表决", "change_rejected": "Change rejected: 文号不符"}
    assert _events(plain) == [("created", "", "approved")]


def test_the_migration_gives_a_row_without_history_its_decision_from_the_columns(world, item):
    finance = world.user("finance")
    standard = FeeStandardFactory(
        community=world.a,
        fee_item=item,
        approval_status="rejected",
        proposed_by=world.user("cashier"),
        decided_by=finance,
        rejection_reason="未经业主大会表决",
    )
    standard.history.all().delete()
    migration.events_from_history(apps, None)
    assert list(standard.events.values_list("action", "to_status", "actor", "note")) == [
        ("requested", "proposed", world.user("cashier").pk, ""),
        ("rejected", "rejected", finance.pk, "未经业主大会表决"),
    ]
