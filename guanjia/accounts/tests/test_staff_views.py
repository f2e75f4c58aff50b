"""Staff administration pages: list, search, filters, masking, scope, forms and exports."""

import io

import openpyxl
import pytest
from django.urls import reverse

from guanjia.accounts.models import Membership, User
from guanjia.accounts.tests.factories import UserFactory, grant, staff
from guanjia.core.tests.factories import CompanyFactory


def _client(world, role):
    client = world.client(role)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def people(world):
    """Staff of community A, of community B, and a company-wide finance user."""
    return {
        "a": staff(
            "cashier",
            world.a,
            company=world.company,
            username="cash-a",
            full_name="赵敏",
            staff_no="S004",
            phone="13800005678",
        ),
        "b": staff(
            "cashier",
            world.b,
            company=world.company,
            username="cash-b",
            full_name="钱多多",
            staff_no="S005",
            phone="13900001111",
        ),
        "fin": staff("finance", company=world.company, username="fin", full_name="周丽华"),
    }


def _names(response) -> set[str]:
    return {user.username for user in response.context["page_obj"].object_list}


def test_an_admin_sees_every_account_of_the_company(world, people):
    response = _client(world, "admin").get(reverse("accounts:staff-list"))
    assert {"cash-a", "cash-b", "fin", "admin-a"} <= _names(response)


def test_a_director_sees_only_staff_of_their_communities(world, people):
    response = _client(world, "director").get(reverse("accounts:staff-list"))
    assert "cash-a" in _names(response)
    assert not {"cash-b", "fin"} & _names(response)


def test_staff_of_another_community_answer_404_to_a_director(world, people):
    client = _client(world, "director")
    assert (
        client.get(reverse("accounts:staff-detail", kwargs={"pk": people["b"].pk})).status_code
        == 404
    )
    assert (
        client.get(reverse("accounts:staff-history", kwargs={"pk": people["b"].pk})).status_code
        == 404
    )


def test_an_admin_gets_404_for_staff_of_another_company_and_nothing_changes(world):
    other = UserFactory(company=CompanyFactory(name="别家物业"))
    client = _client(world, "admin")
    assert client.get(reverse("accounts:staff-detail", kwargs={"pk": other.pk})).status_code == 404
    response = client.post(
        reverse("accounts:staff-deactivate", kwargs={"pk": other.pk}), {"reason": "x"}
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.is_active


def test_phones_are_masked_on_the_list(world, people):
    response = _client(world, "admin").get(reverse("accounts:staff-list"))
    assert "138****5678" in response.content.decode()
    assert "13800005678" not in response.content.decode()


@pytest.mark.parametrize("q", ["cash-a", "赵", "S004", "5678"])
def test_search_finds_by_username_name_staff_number_or_phone_last_four(world, people, q):
    response = _client(world, "admin").get(reverse("accounts:staff-list"), {"q": q})
    assert _names(response) == {"cash-a"}


def test_a_middle_part_of_a_phone_number_finds_nothing(world, people):
    response = _client(world, "admin").get(reverse("accounts:staff-list"), {"q": "0000"})
    assert "cash-a" not in _names(response)


def test_filters_by_role_community_and_state(world, people):
    client = _client(world, "admin")
    list_url = reverse("accounts:staff-list")
    assert _names(client.get(list_url, {"role": "cashier", "community": world.b.pk})) == {"cash-b"}
    assert _names(client.get(list_url, {"role": "finance"})) == {"fin"}
    people["fin"].is_active = False
    people["fin"].save()
    assert _names(client.get(list_url, {"is_active": "false"})) == {"fin"}


def test_a_bad_filter_value_shows_a_message_rather_than_failing(world, people):
    response = _client(world, "admin").get(
        reverse("accounts:staff-list"), {"community": "abc", "role": "x"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_the_list_has_25_rows_a_page(world):
    for number in range(30):
        staff("receptionist", world.a, company=world.company, username=f"r{number:02}")
    response = _client(world, "admin").get(reverse("accounts:staff-list"))
    assert len(response.context["page_obj"].object_list) == 25
    assert response.context["page_obj"].paginator.num_pages == 2


def test_the_list_costs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    client = _client(world, "admin")
    client.get(reverse("accounts:staff-list"))  # warm up sessions and caches
    for number in range(30):
        user = staff("receptionist", world.a, company=world.company, username=f"r{number:02}")
        grant(user, "cashier", world.b)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("accounts:staff-list"))
    assert response.status_code == 200


def test_an_htmx_request_gets_only_the_table(world, people):
    response = _client(world, "admin").get(reverse("accounts:staff-list"), HTTP_HX_REQUEST="true")
    assert "<html" not in response.content.decode()
    assert "cash-a" in response.content.decode()


def test_creating_an_account_shows_the_generated_password_once(world):
    client = _client(world, "admin")
    response = client.post(
        reverse("accounts:staff-create"),
        {"username": "newbie", "full_name": "新人", "phone": "138 0000 9999"},
    )
    assert response.status_code == 200
    password = response.context["new"].password
    assert password in response.content.decode()
    user = User.objects.get(username="newbie")
    assert user.phone == "13800009999"
    assert user.check_password(password)
    detail = client.get(reverse("accounts:staff-detail", kwargs={"pk": user.pk}))
    assert password not in detail.content.decode()


def test_a_duplicate_username_gets_a_clear_message_on_the_form(world, people):
    response = _client(world, "admin").post(
        reverse("accounts:staff-create"), {"username": "CASH-A", "full_name": "重名"}
    )
    assert response.status_code == 200
    assert "A staff account with the username “CASH-A” already exists." in response.content.decode()
    assert User.objects.filter(username__iexact="cash-a").count() == 1


def test_a_bad_phone_on_the_edit_form_changes_nothing(world, people):
    url = reverse("accounts:staff-edit", kwargs={"pk": people["a"].pk})
    response = _client(world, "admin").post(url, {"full_name": "改名", "phone": "12345"})
    assert response.status_code == 200
    assert "mainland China mobile number" in response.content.decode()
    people["a"].refresh_from_db()
    assert people["a"].full_name == "赵敏"


def test_deactivating_without_a_reason_is_refused_with_a_message(world, people):
    url = reverse("accounts:staff-deactivate", kwargs={"pk": people["a"].pk})
    response = _client(world, "admin").post(url, {"reason": ""}, follow=True)
    assert "Give a reason." in response.content.decode()
    people["a"].refresh_from_db()
    assert people["a"].is_active


def test_deactivate_then_reactivate_from_the_account_page(world, people):
    client = _client(world, "admin")
    pk = people["a"].pk
    client.post(reverse("accounts:staff-deactivate", kwargs={"pk": pk}), {"reason": "离职"})
    page = client.get(reverse("accounts:staff-detail", kwargs={"pk": pk})).content.decode()
    assert "Deactivated: cannot log in" in page
    client.post(reverse("accounts:staff-reactivate", kwargs={"pk": pk}), {"reason": ""})
    people["a"].refresh_from_db()
    assert people["a"].is_active


def test_a_company_role_with_a_community_is_refused_on_the_form(world, people):
    url = reverse("accounts:membership-add", kwargs={"pk": people["a"].pk})
    response = _client(world, "admin").post(
        url, {"role": "finance", "community": world.a.pk, "starts_on": "2026-01-01"}
    )
    assert response.status_code == 200
    assert "company-wide role: leave the community empty" in response.content.decode()
    assert people["a"].memberships.count() == 1


def test_a_bad_date_on_the_form_is_refused(world, people):
    url = reverse("accounts:membership-add", kwargs={"pk": people["a"].pk})
    response = _client(world, "admin").post(
        url, {"role": "cashier", "community": world.b.pk, "starts_on": "2026-13-01"}
    )
    assert "Enter a valid date." in response.content.decode()


def test_an_acting_assignment_is_added_and_shown_with_a_badge(world, people):
    client = _client(world, "admin")
    url = reverse("accounts:membership-add", kwargs={"pk": people["a"].pk})
    response = client.post(
        url,
        {
            "role": "supervisor",
            "community": world.a.pk,
            "starts_on": "2026-01-01",
            "ends_on": "2099-01-31",
            "is_acting": "on",
        },
    )
    assert response.status_code == 302
    page = client.get(
        reverse("accounts:staff-detail", kwargs={"pk": people["a"].pk})
    ).content.decode()
    assert "Acting" in page


def test_ending_a_membership_from_the_account_page(world, people):
    membership = people["a"].memberships.get()
    response = _client(world, "admin").post(
        reverse("accounts:membership-end", kwargs={"pk": membership.pk}), {"ends_on": ""}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.ends_on is not None


def test_the_history_tab_shows_who_changed_what_with_phones_masked(world, people):
    client = _client(world, "admin")
    pk = people["a"].pk
    client.post(
        reverse("accounts:staff-edit", kwargs={"pk": pk}),
        {"full_name": "赵敏敏", "phone": "13700002222"},
    )
    client.post(reverse("accounts:staff-deactivate", kwargs={"pk": pk}), {"reason": "调岗"})
    page = client.get(reverse("accounts:staff-history", kwargs={"pk": pk})).content.decode()
    assert "赵敏敏" in page
    assert "调岗" in page
    assert "137****2222" in page
    assert "13700002222" not in page
    assert world.user("admin").display_name in page
    assert "Membership: Cashier" in page


def test_the_history_tab_costs_a_fixed_number_of_queries(
    world, people, django_assert_max_num_queries
):
    client = _client(world, "admin")
    pk = people["a"].pk
    for number in range(10):
        client.post(reverse("accounts:staff-edit", kwargs={"pk": pk}), {"full_name": f"名{number}"})
    with django_assert_max_num_queries(14):
        client.get(reverse("accounts:staff-history", kwargs={"pk": pk}))


def _sheet(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]


def test_the_export_follows_the_filters_and_masks_phones(world, people):
    response = _client(world, "admin").get(reverse("accounts:staff-export"), {"role": "cashier"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = _sheet(response.content)
    assert [c.value for c in sheet[1]] == [
        "用户名",
        "姓名",
        "工号",
        "手机",
        "邮箱",
        "角色",
        "小区代码",
    ]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"cash-a", "cash-b"}
    assert rows["cash-a"][3] == "138****5678"
    assert rows["cash-a"][5:] == ("Cashier", "a")


def test_a_director_exports_only_visible_staff_and_visible_roles(world, people):
    grant(people["a"], "receptionist", world.b)
    response = _client(world, "director").get(reverse("accounts:staff-export"))
    rows = list(_sheet(response.content).iter_rows(min_row=2, values_only=True))
    assert {row[0] for row in rows} == {"cash-a", "director-a"}
    assert ("cash-a", "Receptionist") not in {(row[0], row[5]) for row in rows}


def test_a_large_export_runs_as_a_job_and_its_file_goes_to_its_owner_only(
    world, people, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(
        "guanjia.core.imports.services.export_or_enqueue.__kwdefaults__", {"max_direct_rows": 1}
    )
    client = _client(world, "admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("accounts:staff-export"))
    from guanjia.core.jobs.models import JobRun, JobStatus

    run = JobRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:jobrun-detail", kwargs={"pk": run.pk})
    assert run.status == JobStatus.SUCCEEDED
    assert run.result["rows"] >= 3
    assert run.progress_done == run.progress_total == run.result["rows"]
    download = client.get(run.result["file_url"])
    assert download.status_code == 200
    sheet = _sheet(b"".join(download.streaming_content))
    assert sheet["A1"].value == "用户名"
    other = _client(world, "hr")
    assert other.get(run.result["file_url"]).status_code == 404


def test_an_export_job_of_a_deactivated_user_fails_without_a_file(world, people):
    from guanjia.core.imports.services import run_export
    from guanjia.core.jobs.models import JobRun

    admin = world.user("admin")
    run = JobRun.objects.create(key="k", task="t", label="l", created_by=admin)
    User.objects.filter(pk=admin.pk).update(is_active=False)
    with pytest.raises(Exception, match="not active"):
        run_export(run, kind="staff", params={}, user_id=admin.pk, community_id=None)


def test_staff_are_never_deleted_there_is_no_delete_route(world):
    from django.urls import get_resolver

    names = {name for name in get_resolver().reverse_dict if isinstance(name, str)}
    assert not any("delete" in name for name in names if name.startswith("staff"))
    assert Membership  # memberships are ended, see test_memberships.py


def test_the_export_link_carries_the_current_filters(world, people):
    response = _client(world, "admin").get(
        reverse("accounts:staff-list"), {"role": "cashier", "page": "1"}, HTTP_HX_REQUEST="true"
    )
    assert f'{reverse("accounts:staff-export")}?role=cashier"' in response.content.decode()


def test_an_export_with_a_bad_filter_exports_nothing_and_says_why(world, people):
    response = _client(world, "admin").get(
        reverse("accounts:staff-export"), {"community": "abc"}, follow=True
    )
    assert response["Content-Type"].startswith("text/html")
    assert "Community: Select a valid choice" in response.content.decode()
