"""The page and API helpers every app shares (guanjia/core/pages.py, guanjia/core/api.py)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import CharField, Form
from django.test import RequestFactory

from guanjia.core.api import HasViewPerm, exception_handler
from guanjia.core.pages import (
    PAGE_SIZE,
    apply_errors,
    current_community,
    paginate,
    query_without_page,
)


def _request(world, role=None, community=None, query=""):
    request = RequestFactory().get(f"/list/?{query}")
    request.user = world.user(role) if role else None
    request.community = community
    return request


def test_the_current_community_is_given_where_the_permission_is_held(world):
    request = _request(world, "receptionist", world.a)
    assert current_community(request) == world.a
    assert current_community(request, "estates.view_unit") == world.a
    with pytest.raises(PermissionDenied):
        current_community(request, "billing.add_monthclose")


def test_no_current_community_is_a_403(world):
    with pytest.raises(PermissionDenied):
        current_community(_request(world, "receptionist", None), "estates.view_unit")


class _NameForm(Form):
    name = CharField()


def test_a_services_errors_land_on_their_field_or_above_the_form():
    form = _NameForm({"name": "x"})
    form.is_valid()
    apply_errors(form, ValidationError({"name": "taken", "other": "no such field"}))
    assert form.errors == {"name": ["taken"], "__all__": ["no such field"]}
    form = _NameForm({"name": "x"})
    form.is_valid()
    apply_errors(form, ValidationError("refused"))
    assert form.non_field_errors() == ["refused"]


def test_pages_are_of_one_size_and_a_bad_page_number_is_no_error(world):
    rows = list(range(PAGE_SIZE * 2 + 1))
    assert list(paginate(_request(world), rows).object_list) == rows[:PAGE_SIZE]
    assert paginate(_request(world, query="page=3"), rows).object_list == rows[-1:]
    assert paginate(_request(world, query="page=99"), rows).number == 3
    assert paginate(_request(world, query="page=x"), rows).number == 1
    assert paginate(_request(world), rows, per_page=10).paginator.num_pages == 6


def test_the_query_keeps_the_filters_and_drops_the_page(world):
    request = _request(world, query="status=open&page=2&q=%E5%BC%A0")
    assert query_without_page(request) == "status=open&q=%E5%BC%A0"


def test_a_services_permission_refusal_keeps_its_message_in_the_api():
    response = exception_handler(PermissionDenied("You cannot decide on your own proposal."), {})
    assert response.status_code == 403
    assert response.data["detail"] == "You cannot decide on your own proposal."
    assert response.data["code"] == "permission_denied"
    response = exception_handler(PermissionDenied(), {})
    assert response.status_code == 403
    assert response.data["detail"]  # DRF's own message


def test_a_workflow_refusal_for_authority_keeps_its_code_in_the_api():
    from guanjia.core.workflows import Code, WorkflowDenied

    response = exception_handler(WorkflowDenied(Code.OWN_REQUEST), {})
    assert response.status_code == 403
    assert response.data["code"] == "own_request"
    assert response.data["detail"] == str(Code.OWN_REQUEST.label)


class _View:
    view_perm = "estates.view_unit"


def test_has_view_perm_needs_the_permission_in_some_community(world):
    assert HasViewPerm().has_permission(_request(world, "receptionist"), _View())
    assert not HasViewPerm().has_permission(_request(world, "hr"), _View())
