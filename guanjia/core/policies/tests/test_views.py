import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from guanjia.core.policies.models import PolicyProposal, PolicyValue, ProposalStatus
from guanjia.core.policies.registry import all_specs
from guanjia.core.policies.selectors import policy
from guanjia.core.policies.services import propose_policy, set_policy

from .factories import value_row

OPS = "complaint.first_reply_hours"
LIST = reverse("policies:list")


def _form(value, **extra):
    return {
        "value": value,
        "effective_from": timezone.localdate().isoformat(),
        "reason": "测试",
        **extra,
    }


# --- the list ----------------------------------------------------------------------------------
def test_the_list_shows_every_key_grouped_by_section(world, client_of):
    response = client_of("director").get(LIST)
    assert response.status_code == 200
    body = response.content.decode()
    for spec in all_specs():
        assert spec.key in body
    assert "§08 Complaint handling" in body
    assert "Company finance" in body  # who may change a financial key


def test_the_list_highlights_this_communitys_override(world, client_of):
    value_row(OPS, 12, company=world.company, community=world.a)
    response = client_of("director").get(LIST, {"q": "first_reply"})
    body = response.content.decode()
    assert "<mark" in body
    assert ">12</mark>" in body
    assert "override" in body


def test_the_search_keeps_only_matching_keys(world, client_of):
    response = client_of("director").get(LIST, {"q": "deposit"})
    body = response.content.decode()
    assert "reno.deposit_owner" in body
    assert OPS not in body


def test_the_search_also_matches_the_label(world, client_of):
    response = client_of("director").get(LIST, {"q": "late fee rate"})
    assert "billing.late_fee_daily_rate" in response.content.decode()


def test_the_section_filter_keeps_one_section(world, client_of):
    body = client_of("director").get(LIST, {"section": "15"}).content.decode()
    assert "repair.emergency_arrive_min" in body
    assert OPS not in body


def test_an_unknown_section_is_explained_and_everything_is_listed(world, client_of):
    response = client_of("director").get(LIST, {"section": "99"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Select a valid choice" in body
    assert OPS in body


def test_htmx_gets_only_the_table(world, client_of):
    response = client_of("director").get(LIST, {"q": "reno"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert "reno.max_days" in body


def test_the_list_costs_the_same_few_queries_with_many_values(
    world, client_of, django_assert_max_num_queries
):
    client = client_of("director")
    client.get(LIST)
    for spec in all_specs()[:40]:
        value_row(spec.key, spec.default, company=world.company, community=world.a)
    with django_assert_max_num_queries(12):
        assert client.get(LIST).status_code == 200


def test_the_nav_shows_policies_to_viewers_only(world, client_of):
    assert LIST in client_of("auditor").get(reverse("core:home")).content.decode()
    assert LIST not in client_of("receptionist").get(reverse("core:home")).content.decode()


# --- one key -----------------------------------------------------------------------------------
def test_the_detail_page_shows_values_history_and_proposals(world, client_of):
    director = world.user("director")
    set_policy(key=OPS, value=12, community=world.a, reason="提速", by=director)
    set_policy(key=OPS, value=10, community=world.a, reason="再提速", by=director)
    propose_policy(key=OPS, value=8, community=world.a, reason="建议", by=world.user("supervisor"))
    body = client_of("director").get(reverse("policies:detail", args=[OPS])).content.decode()
    assert "再提速" in body
    assert "<td>12</td>" in body  # the old value of the second change
    assert "建议" in body
    assert reverse("policies:set-override", args=[OPS, world.a.pk]) in body
    assert "Approve" in body


def test_the_detail_page_hides_other_communities(world, client_of):
    body = client_of("director").get(reverse("policies:detail", args=[OPS])).content.decode()
    assert world.a.name in body
    assert world.b.name not in body


def test_an_unknown_key_is_404(world, client_of):
    assert (
        client_of("director").get(reverse("policies:detail", args=["no.such"])).status_code == 404
    )


# --- setting values ----------------------------------------------------------------------------
def test_the_director_sets_an_override_through_the_form(world, client_of):
    url = reverse("policies:set-override", args=[OPS, world.a.pk])
    response = client_of("director").post(url, _form("12"))
    assert response.status_code == 302
    assert policy(world.a, OPS) == 12


def test_the_form_shows_the_value_in_force(world, client_of):
    value_row(OPS, 36, company=world.company)
    url = reverse("policies:set-override", args=[OPS, world.a.pk])
    body = client_of("director").get(url).content.decode()
    assert 'value="36"' in body


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("500", "The value must be at most 168."),
        ("abc", "Enter a whole number."),
        ("", "This field is required."),
    ],
)
def test_a_bad_value_is_explained_and_nothing_is_saved(world, client_of, value, message):
    url = reverse("policies:set-override", args=[OPS, world.a.pk])
    response = client_of("director").post(url, _form(value))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PolicyValue.objects.exists()


def test_a_past_effective_date_is_refused(world, client_of):
    url = reverse("policies:set-override", args=[OPS, world.a.pk])
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client_of("director").post(url, _form("12", effective_from=past))
    assert response.status_code == 400
    assert "The effective date cannot be in the past." in response.content.decode()
    assert not PolicyValue.objects.exists()


def test_a_missing_reason_and_a_bad_date_are_refused(world, client_of):
    url = reverse("policies:set-override", args=[OPS, world.a.pk])
    response = client_of("director").post(url, _form("12", reason="", effective_from="31.02"))
    body = response.content.decode()
    assert response.status_code == 400
    assert "Enter a valid date." in body
    assert body.count("This field is required.") == 1
    assert not PolicyValue.objects.exists()


def test_finance_sets_a_money_default_and_sees_too_many_decimals(world, client_of):
    url = reverse("policies:set-default", args=["reno.deposit_owner"])
    client = client_of("finance")
    bad = client.post(url, _form("2000.555"))
    assert "Enter an amount in yuan with at most 2 decimal places." in bad.content.decode()
    assert client.post(url, _form("2500")).status_code == 302
    assert str(policy(world.a, "reno.deposit_owner")) == "2500.00"


def test_a_list_key_is_set_with_checkboxes(world, client_of):
    url = reverse("policies:set-override", args=["calendar.workdays", world.a.pk])
    data = _form(["MON", "TUE", "WED", "THU", "FRI", "SAT"])
    assert client_of("director").post(url, data).status_code == 302
    assert policy(world.a, "calendar.workdays")[-1] == "SAT"


def test_a_time_window_key_refuses_a_reversed_window(world, client_of):
    url = reverse("policies:set-override", args=["reno.hours", world.a.pk])
    response = client_of("director").post(url, _form("18:00-08:00"))
    assert "Each time window must end after it starts." in response.content.decode()


def test_a_boolean_key_is_set_with_yes_or_no(world, client_of):
    url = reverse("policies:set-override", args=["reno.noisy_work_weekend", world.a.pk])
    assert client_of("director").post(url, _form("true")).status_code == 302
    assert policy(world.a, "reno.noisy_work_weekend") is True


def test_an_hr_key_cannot_be_overridden_for_a_community(world, client_of):
    url = reverse("policies:set-override", args=["att.late_threshold_min", world.a.pk])
    assert client_of("hr").get(url).status_code == 403


# --- proposals ---------------------------------------------------------------------------------
def test_the_supervisor_proposes_and_the_director_approves(world, client_of):
    url = reverse("policies:propose", args=[OPS])
    response = client_of("supervisor").post(url, _form("12", community=world.a.pk))
    assert response.status_code == 302
    proposal = PolicyProposal.objects.get()
    approve = reverse("policies:proposal-approve", args=[proposal.pk])
    assert client_of("director").post(approve, {"note": "同意"}).status_code == 302
    assert policy(world.a, OPS) == 12


def test_the_supervisor_proposes_a_company_default(world, client_of):
    url = reverse("policies:propose", args=[OPS])
    assert client_of("supervisor").post(url, _form("36")).status_code == 302
    assert PolicyProposal.objects.get().community is None


def test_a_bad_proposal_is_explained_and_nothing_is_saved(world, client_of):
    url = reverse("policies:propose", args=[OPS])
    response = client_of("supervisor").post(url, _form("0", community=world.a.pk))
    assert response.status_code == 400
    assert "The value must be at least 1." in response.content.decode()
    assert not PolicyProposal.objects.exists()


def test_a_proposal_for_an_unknown_community_is_404(world, client_of):
    url = reverse("policies:propose", args=[OPS])
    response = client_of("supervisor").post(url, _form("12", community="abc"))
    assert response.status_code == 404
    assert not PolicyProposal.objects.exists()


def test_the_proposer_cannot_approve_through_the_page(world, client_of):
    supervisor = world.user("supervisor")
    proposal = propose_policy(key=OPS, value=12, community=world.a, reason="x", by=supervisor)
    response = client_of("supervisor").post(
        reverse("policies:proposal-approve", args=[proposal.pk])
    )
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED


def test_htmx_approval_answers_with_the_row(world, client_of):
    proposal = propose_policy(
        key=OPS, value=12, community=world.a, reason="x", by=world.user("supervisor")
    )
    response = client_of("director").post(
        reverse("policies:proposal-approve", args=[proposal.pk]), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert f'id="proposal-{proposal.pk}"' in body
    assert "Approved" in body
    assert "<html" not in body


def test_a_rejection_without_a_note_is_explained_and_changes_nothing(world, client_of):
    proposal = propose_policy(
        key=OPS, value=12, community=world.a, reason="x", by=world.user("supervisor")
    )
    url = reverse("policies:proposal-reject", args=[proposal.pk])
    response = client_of("director").post(url, {"note": ""}, HTTP_HX_REQUEST="true")
    assert "Say why the proposal is rejected." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED


def test_approving_twice_is_explained(world, client_of):
    proposal = propose_policy(
        key=OPS, value=12, community=world.a, reason="x", by=world.user("supervisor")
    )
    url = reverse("policies:proposal-approve", args=[proposal.pk])
    client = client_of("director")
    client.post(url)
    response = client.post(url, follow=True)
    assert "This has already been decided." in response.content.decode()
    assert PolicyValue.objects.count() == 1


def test_the_proposals_list_filters_by_status_and_explains_a_bad_one(
    world, client_of, django_assert_max_num_queries
):
    supervisor = world.user("supervisor")
    for hours in range(10, 20):
        propose_policy(key=OPS, value=hours, community=world.a, reason="x", by=supervisor)
    client = client_of("director")
    client.get(reverse("policies:proposals"))
    with django_assert_max_num_queries(15):
        response = client.get(reverse("policies:proposals"), {"status": "proposed"})
    assert response.content.decode().count(">Approve</button>") == 10
    bad = client.get(reverse("policies:proposals"), {"status": "maybe"})
    assert bad.status_code == 200
    assert "Select a valid choice" in bad.content.decode()


def test_the_detail_page_costs_the_same_few_queries_with_a_long_history(
    world, client_of, django_assert_max_num_queries
):
    director, supervisor = world.user("director"), world.user("supervisor")
    client = client_of("director")
    url = reverse("policies:detail", args=[OPS])
    client.get(url)
    for hours in range(10, 30):
        set_policy(key=OPS, value=hours, community=world.a, reason="x", by=director)
        propose_policy(key=OPS, value=hours, community=world.a, reason="x", by=supervisor)
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200


def test_the_list_varies_on_htmx(world, client_of):
    assert "HX-Request" in client_of("director").get(LIST)["Vary"]
