"""The API's move bodies (typed from the page forms, documented in the schema) and the
corrective / preventive action steps."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from guanjia.tickets import services
from guanjia.tickets.models import ComplaintAction, RepairOrder
from guanjia.tickets.moves.complaint import BUTTONS as COMPLAINT_ACTIONS
from guanjia.tickets.moves.repair import BUTTONS as REPAIR_ACTIONS

from .factories import complaint, repair


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def _action(world, owner="director"):
    complaint_record = complaint(world, world.a, "handling")
    return services.add_complaint_action(
        complaint=complaint_record,
        kind="corrective",
        description="培训保安",
        owner=world.user(owner),
        due_on=timezone.localdate() + dt.timedelta(days=3),
        by=world.user("supervisor"),
    )


def _step(action, step):
    return reverse(f"tickets-api:complaint-action-{step}", args=[action.complaint_id, action.pk])


# --- Action steps ------------------------------------------------------------------------------


def test_the_owner_marks_done_and_someone_else_verifies_through_the_api(world):
    action = _action(world)
    done = _post(world.client("director"), _step(action, "done"), {"note": "已培训"})
    assert done.status_code == 200, done.content
    assert done.json()["done_by"] == world.user("director").pk
    ok = _post(world.client("supervisor"), _step(action, "verified"), {"note": "抽查合格"})
    assert ok.status_code == 200, ok.content
    action.refresh_from_db()
    assert (action.done_note, action.verify_note, action.verified_by) == (
        "已培训",
        "抽查合格",
        world.user("supervisor"),
    )
    shown = (
        world.client("supervisor")
        .get(reverse("tickets-api:complaint-detail", args=[action.complaint_id]))
        .json()["actions"]
    )
    assert [(x["kind"], x["description"], x["owner"], x["due_on"]) for x in shown] == [
        ("corrective", "培训保安", world.user("director").pk, action.due_on.isoformat())
    ]
    assert shown[0]["verified_by"] == world.user("supervisor").pk
    assert shown[0]["done_at"]
    assert shown[0]["verified_at"]


def test_the_owner_cannot_verify_their_own_action_403_and_nothing_changes(world):
    action = _action(world, owner="supervisor")
    services.complete_complaint_action(action=action, note="已培训", by=world.user("supervisor"))
    response = _post(world.client("supervisor"), _step(action, "verified"), {"note": "合格"})
    assert response.status_code == 403
    assert response.json()["code"] == "separation"
    assert "不能验证自己的措施" in response.json()["detail"]  # the rule's message
    assert ComplaintAction.objects.get(pk=action.pk).verified_at is None


@pytest.mark.parametrize(
    ("step", "done_first", "message"),
    [
        ("verified", False, "Record the action as done first."),
        ("done", True, "This action is already done."),
    ],
)
def test_a_step_in_the_wrong_state_is_refused_with_the_page_message(
    world, step, done_first, message
):
    world.language = "en"
    action = _action(world)
    if done_first:
        action = services.complete_complaint_action(
            action=action, note="已培训", by=world.user("director")
        )
    before = ComplaintAction.objects.filter(pk=action.pk).values().get()
    response = _post(world.client("supervisor"), _step(action, step), {"note": "再次"})
    assert response.status_code == 400
    assert response.json()["detail"] == [message]
    assert ComplaintAction.objects.filter(pk=action.pk).values().get() == before


def test_a_step_without_a_note_gives_a_field_error(world):
    action = _action(world)
    response = _post(world.client("director"), _step(action, "done"), {"note": ""})
    assert response.status_code == 400
    assert list(response.json()) == ["note"]
    assert ComplaintAction.objects.get(pk=action.pk).done_at is None


def test_an_action_of_another_complaint_is_404(world):
    action = _action(world)
    other = complaint(world, world.a, "handling")
    url = reverse("tickets-api:complaint-action-done", args=[other.pk, action.pk])
    assert _post(world.client("director"), url, {"note": "x"}).status_code == 404


def test_a_role_without_a_part_in_action_steps_gets_403(world):
    action = _action(world)
    response = _post(world.client("receptionist"), _step(action, "done"), {"note": "x"})
    assert response.status_code == 403
    assert ComplaintAction.objects.get(pk=action.pk).done_at is None


# --- Move bodies -------------------------------------------------------------------------------


def test_a_wrong_type_gives_drf_field_errors_and_changes_nothing(world):
    world.language = "en"
    order = repair(world, world.a, "on_site")
    response = _post(
        world.client("technician"),
        reverse("tickets-api:repair-quote", args=[order.pk]),
        {"amount": "十元"},
    )
    assert response.status_code == 400
    assert response.json() == {"amount": ["A valid number is required."]}
    assert RepairOrder.objects.get(pk=order.pk).status == "on_site"


def test_a_body_that_is_not_an_object_is_refused(world):
    world.language = "en"
    order = repair(world, world.a, "on_site")
    url = reverse("tickets-api:repair-quote", args=[order.pk])
    response = _post(world.client("technician"), url, ["50.00"])
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Send a JSON object."]}
    assert RepairOrder.objects.get(pk=order.pk).quote_amount is None


def test_a_missing_field_and_an_unknown_choice_are_field_errors(world):
    world.language = "en"
    complaint_record = complaint(world, world.a, "registered")
    url = reverse("tickets-api:complaint-classify", args=[complaint_record.pk])
    response = _post(
        world.client("supervisor"),
        url,
        {"severity": "huge", "category": "service", "department": "security"},
    )
    assert response.status_code == 400
    errors = response.json()
    assert errors["validity"] == ["This field is required."]
    assert errors["severity"] == ['"huge" is not a valid choice.']


def test_a_business_rule_still_answers_with_the_page_message(world):
    world.language = "en"
    complaint_record = complaint(world, world.a, "handling")
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    url = reverse("tickets-api:complaint-promise", args=[complaint_record.pk])
    response = _post(world.client("supervisor"), url, {"promise_date": yesterday})
    assert response.status_code == 400
    assert "promise_date" in response.json()
    complaint_record.refresh_from_db()
    assert complaint_record.promise_date is None


def test_the_schema_documents_each_move_body_with_the_form_fields(world):
    schema = world.client(None).get(reverse("api-schema"), {"format": "json"}).json()
    components = schema["components"]["schemas"]
    moves = [("complaints", action) for action in COMPLAINT_ACTIONS]
    moves += [("repairs", action) for action in REPAIR_ACTIONS]
    for plural, action in moves:
        post = schema["paths"][f"/api/v1/tickets/{plural}/{{id}}/{action.name}/"]["post"]
        if not action.form.base_fields:  # accept, arrive, resume: no body
            assert "requestBody" not in post
            continue
        content = post["requestBody"]["content"]
        media = "multipart/form-data" if action.name == "photo" else "application/json"
        ref = content[media]["schema"]["$ref"].rsplit("/", 1)[-1]
        assert set(components[ref].get("properties", {})) == set(action.form.base_fields), ref
    draft = schema["paths"]["/api/v1/tickets/requests/{id}/letter/draft/"]["post"]
    ref = draft["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(components[ref]["properties"]) == {"text"}
    attach = schema["paths"]["/api/v1/tickets/requests/{id}/attachments/"]["post"]["requestBody"]
    assert list(attach["content"]) == ["multipart/form-data"]
    photo = components["RepairOrderPhotoBody"]
    assert photo["properties"]["image"]["format"] == "binary"
    assert set(photo["required"]) == {"image", "kind"}
    quote = components["RepairOrderQuoteBody"]["properties"]["amount"]
    assert quote["type"] == "string"
    assert quote["format"] == "decimal"
    step = schema["paths"]["/api/v1/tickets/complaints/{id}/actions/{action_pk}/done/"]["post"]
    assert "ComplaintActionStepBody" in json.dumps(step["requestBody"])


def test_a_register_entry_is_answered_through_the_api(world):
    from guanjia.tickets.models import ServiceRequest

    from .factories import entry

    register_entry = entry(world, world.a, "suggestion")
    client = world.client("receptionist")
    url = f"/api/v1/tickets/requests/{register_entry.pk}/answer/"
    blank = client.post(url, {"answer": "   "}, content_type="application/json")
    assert blank.status_code == 400
    assert ServiceRequest.objects.get(pk=register_entry.pk).status == "open"
    done = client.post(url, {"answer": "谢谢建议，已转绿化组"}, content_type="application/json")
    assert done.status_code == 200
    assert done.json()["status"] == "closed"
    again = client.post(url, {"answer": "再次答复"}, content_type="application/json")
    assert again.status_code == 400
    assert ServiceRequest.objects.get(pk=register_entry.pk).answer == "谢谢建议，已转绿化组"


def test_the_employee_a_complaint_is_about_is_named_and_can_make_no_move(world):
    """Issue 10: classification names the employee (page and API), who then can neither
    classify, close, nor add, complete or verify the corrective actions, by any route."""
    from django.core.exceptions import PermissionDenied

    world.language = "en"
    subject = world.user("supervisor")  # a supervisor complained about
    boss = world.user("director")
    complaint_record = complaint(world, world.a, "registered")
    url = reverse("tickets-api:complaint-classify", args=[complaint_record.pk])
    body = {
        "validity": "valid",
        "severity": "minor",
        "category": "service",
        "department": "security",
        "handler": boss.pk,
        "about_employee": subject.pk,
    }
    response = _post(world.client("director"), url, body)
    assert response.status_code == 200, response.content
    complaint_record.refresh_from_db()
    assert complaint_record.about_employee == subject
    detail = world.client("director").get(
        reverse("tickets-api:complaint-detail", args=[complaint_record.pk])
    )
    assert detail.json()["about_employee_name"] == str(subject)
    page = world.client("director").get(
        reverse("tickets:complaint-detail", args=[complaint_record.pk])
    )
    assert str(subject) in page.content.decode()

    as_subject = world.client("supervisor")
    for name in ("complaint-progress", "complaint-resolve", "complaint-close"):
        response = _post(
            as_subject,
            reverse(f"tickets-api:{name}", args=[complaint_record.pk]),
            {"note": "自己处理", "result": "自己处理"},
        )
        assert response.status_code == 403, (name, response.content)
    with pytest.raises(PermissionDenied):
        services.add_complaint_action(
            complaint=complaint_record,
            kind="corrective",
            description="培训",
            owner=boss,
            due_on=timezone.localdate(),
            by=subject,
        )
    action = services.add_complaint_action(
        complaint=complaint_record,
        kind="corrective",
        description="培训",
        owner=boss,
        due_on=timezone.localdate(),
        by=boss,
    )
    with pytest.raises(PermissionDenied):
        services.complete_complaint_action(action=action, note="做完", by=subject)
    with pytest.raises(PermissionDenied):
        services.add_complaint_action(
            complaint=complaint_record,
            kind="corrective",
            description="自查",
            owner=subject,
            due_on=timezone.localdate(),
            by=boss,
        )
