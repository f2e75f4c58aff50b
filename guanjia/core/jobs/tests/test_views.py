import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guanjia.accounts.tests.factories import staff
from guanjia.core.jobs.models import JobRun, JobStatus
from guanjia.core.jobs.tests.tasks import TASKS


def make_run(world, *, by=None, community=None, key="k", **fields) -> JobRun:
    return JobRun.objects.create(
        key=key,
        task=f"{TASKS}.echo",
        label=fields.pop("label", "Export staff"),
        created_by=by,
        community=community,
        **fields,
    )


def detail(run) -> str:
    return reverse("jobs:jobrun-detail", kwargs={"pk": run.pk})


def test_the_starter_sees_label_status_and_progress(world):
    user = world.user("receptionist")
    run = make_run(
        world,
        by=user,
        community=world.a,
        status=JobStatus.RUNNING,
        progress_done=25,
        progress_total=100,
        message="Writing rows",
    )
    response = world.client("receptionist").get(detail(run))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Export staff" in content
    assert 'aria-valuenow="25"' in content
    assert "Writing rows" in content
    assert 'hx-trigger="every 1s"' in content


def test_htmx_polls_get_the_partial_until_the_run_finishes(world):
    user = world.user("receptionist")
    run = make_run(world, by=user, status=JobStatus.RUNNING)
    client = world.client("receptionist")
    running = client.get(detail(run), headers={"HX-Request": "true"})
    assert running.status_code == 200
    assert "<html" not in running.content.decode()
    assert 'hx-trigger="every 1s"' in running.content.decode()
    JobRun.objects.filter(pk=run.pk).update(status=JobStatus.SUCCEEDED)
    done = client.get(detail(run), headers={"HX-Request": "true"})
    assert "hx-trigger" not in done.content.decode()
    assert 'aria-valuenow="100"' in done.content.decode()
    assert "HX-Request" in done["Vary"]


def test_a_finished_export_offers_its_file(world):
    user = world.user("receptionist")
    run = make_run(
        world,
        by=user,
        status=JobStatus.SUCCEEDED,
        result={"file_url": "/media/exports/staff.xlsx", "rows": 12},
    )
    content = world.client("receptionist").get(detail(run)).content.decode()
    assert 'href="/media/exports/staff.xlsx"' in content


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "//evil.example/x.xlsx", "/\\evil.example", "", 42]
)
def test_an_unsafe_file_address_is_not_linked(world, url):
    user = world.user("receptionist")
    run = make_run(world, by=user, status=JobStatus.SUCCEEDED, result={"file_url": url})
    content = world.client("receptionist").get(detail(run)).content.decode()
    assert run.file_url == ""
    assert "download>" not in content


def test_a_failed_run_shows_its_error(world):
    user = world.user("receptionist")
    run = make_run(world, by=user, status=JobStatus.FAILED, error="Row 3: unknown community.")
    content = world.client("receptionist").get(detail(run)).content.decode()
    assert "Row 3: unknown community." in content
    assert "alert-danger" in content


def test_another_staff_member_without_the_permission_gets_404(world):
    run = make_run(world, by=world.user("receptionist"), community=world.a)
    other = staff("receptionist", world.a, username="reception-2", company=world.company)
    world.users["other"] = other
    assert world.client("other").get(detail(run)).status_code == 404


def test_a_director_sees_runs_of_their_community_but_not_of_another(world):
    mine = make_run(world, by=world.user("receptionist"), community=world.a, key="a")
    theirs = make_run(world, community=world.b, key="b")
    client = world.client("director")
    assert client.get(detail(mine)).status_code == 200
    assert client.get(detail(theirs)).status_code == 404


def test_a_company_wide_run_is_visible_to_the_administrator_only(world):
    run = make_run(world, key="company", label="Daily clean-up of finished jobs")
    assert world.client("admin").get(detail(run)).status_code == 200
    assert world.client("director").get(detail(run)).status_code == 404


def _queries(client, url, data=None) -> int:
    client.get(url, data)  # the first request of a session does extra bookkeeping
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, data).status_code == 200
    return len(context)


def test_the_list_shows_my_runs_only(world):
    me = world.user("receptionist")
    make_run(world, by=world.user("director"), community=world.a, key="theirs", label="Theirs")
    client = world.client("receptionist")
    url = reverse("jobs:jobrun-list")
    make_run(world, by=me, community=world.a, key="first", label="First")
    few = _queries(client, url)
    for n in range(30):
        make_run(world, by=me, community=world.a, key=f"mine-{n}", label=f"Mine {n}")
    assert _queries(client, url) == few  # the query count does not grow with rows
    response = client.get(url)
    content = response.content.decode()
    assert "Mine 29" in content
    assert "Theirs" not in content
    assert len(response.context["page_obj"].object_list) == 25


def test_a_director_may_list_every_run_of_their_communities(world):
    client = world.client("director")
    url = reverse("jobs:jobrun-list")
    make_run(world, community=world.b, key="b", label="Elsewhere")
    make_run(world, by=world.user("receptionist"), community=world.a, key="a", label="First")
    few = _queries(client, url, {"all": "1"})
    for n in range(30):
        make_run(
            world,
            by=world.user("receptionist"),
            community=world.a,
            key=f"a-{n}",
            label=f"Reception {n}",
        )
    assert _queries(client, url, {"all": "1"}) == few
    content = client.get(url, {"all": "1"}).content.decode()
    assert "Reception 29" in content
    assert world.user("receptionist").display_name in content
    assert "Elsewhere" not in content


def test_listing_everyone_s_runs_without_the_permission_is_refused(world):
    response = world.client("receptionist").get(reverse("jobs:jobrun-list"), {"all": "1"})
    assert response.status_code == 403


def test_a_page_number_that_is_not_a_number_shows_the_first_page(world):
    make_run(world, by=world.user("receptionist"), label="Only one")
    response = world.client("receptionist").get(reverse("jobs:jobrun-list"), {"page": "abc"})
    assert response.status_code == 200
    assert "Only one" in response.content.decode()


def test_the_api_gives_status_and_progress(world):
    run = make_run(
        world,
        by=world.user("receptionist"),
        status=JobStatus.RUNNING,
        progress_done=5,
        progress_total=20,
        message="Reading",
    )
    response = world.client("receptionist").get(
        reverse("jobs-api:jobrun-detail", kwargs={"pk": run.pk})
    )
    body = response.json()
    assert response.status_code == 200
    assert (body["status"], body["progress_done"], body["progress_total"]) == ("running", 5, 20)
    assert (body["percent"], body["is_finished"], body["message"]) == (25, False, "Reading")


def test_the_api_hides_other_people_s_runs(world):
    run = make_run(world, by=world.user("director"), community=world.b)
    response = world.client("receptionist").get(
        reverse("jobs-api:jobrun-detail", kwargs={"pk": run.pk})
    )
    assert response.status_code == 404
    assert "detail" in response.json()
