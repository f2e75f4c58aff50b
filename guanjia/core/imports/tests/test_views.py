"""The import pages: upload, preview with errors, commit, discard, downloads; scope and 403."""

import io

import openpyxl
import pytest
from django.urls import reverse

from guanjia.accounts.tests.factories import staff
from guanjia.core.imports import services
from guanjia.core.imports.models import ImportBatch, ImportStatus

from .factories import upload, xlsx_upload

HEADER = ["编号", "数量", "日期", "手机", "完成"]


def _client(world, role):
    client = world.client(role)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _batch(world, rows, community=None, role="director"):
    user = world.user(role) if community is None else staff(role, community, company=world.company)
    return services.upload_import(
        kind="sample", upload=xlsx_upload([HEADER, *rows]), by=user, community=community or world.a
    )


def _url(name, batch):
    return reverse(name, kwargs={"kind": batch.kind, "pk": batch.pk})


def test_the_upload_page_shows_the_columns_and_the_template_link(world, sample_importer):
    response = _client(world, "director").get(reverse("imports:upload", kwargs={"kind": "sample"}))
    page = response.content.decode()
    assert response.status_code == 200
    assert "编号" in page
    assert reverse("imports:template", kwargs={"kind": "sample"}) in page


def test_an_unknown_kind_is_404(world):
    assert (
        _client(world, "admin").get(reverse("imports:upload", kwargs={"kind": "nope"})).status_code
        == 404
    )


def test_a_file_that_is_not_a_workbook_is_refused_on_the_form_and_nothing_is_saved(
    world, sample_importer
):
    response = _client(world, "director").post(
        reverse("imports:upload", kwargs={"kind": "sample"}),
        {"file": upload(b"code,count\nA1,1\n", "data.xlsx")},
    )
    assert response.status_code == 200
    assert "not an Excel workbook" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_an_upload_without_a_file_is_refused(world, sample_importer):
    response = _client(world, "director").post(
        reverse("imports:upload", kwargs={"kind": "sample"}), {}
    )
    assert "This field is required." in response.content.decode()


def test_an_upload_leads_to_the_preview_with_every_error(world, sample_importer):
    client = _client(world, "director")
    response = client.post(
        reverse("imports:upload", kwargs={"kind": "sample"}),
        {"file": xlsx_upload([HEADER, ["A1", "many"], ["A2", 3]])},
    )
    batch = ImportBatch.objects.get()
    assert response["Location"] == _url("imports:batch-detail", batch)
    page = client.get(response["Location"]).content.decode()
    assert "Enter a number." in page
    assert "many" in page
    assert _url("imports:batch-errors", batch) in page
    assert _url("imports:batch-commit", batch) not in page  # nothing to commit with errors


def test_committing_from_the_preview_imports_and_shows_the_report(world, sample_importer):
    batch = _batch(world, [["A1", 1], ["A2", 2]])
    client = _client(world, "director")
    response = client.post(_url("imports:batch-commit", batch), follow=True)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED
    assert "The import is done." in response.content.decode()


def test_a_refused_commit_says_nothing_was_imported(world, sample_importer):
    batch = _batch(world, [["A1"], ["BOOM"]])
    response = _client(world, "director").post(_url("imports:batch-commit", batch), follow=True)
    assert "Nothing was imported" in response.content.decode()
    assert "refused now" in response.content.decode()


def test_committing_a_batch_with_errors_is_refused_with_a_message(world, sample_importer):
    batch = _batch(world, [["A1", "x"]])
    response = _client(world, "director").post(_url("imports:batch-commit", batch), follow=True)
    assert "Only a checked batch without errors can be imported." in response.content.decode()


def test_discarding_leads_back_to_the_upload_page(world, sample_importer):
    batch = _batch(world, [["A1"]])
    response = _client(world, "director").post(_url("imports:batch-discard", batch))
    assert response["Location"] == reverse("imports:upload", kwargs={"kind": "sample"})
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DISCARDED


def test_the_error_report_downloads_as_xlsx(world, sample_importer):
    batch = _batch(world, [["A1", "x"]])
    response = _client(world, "director").get(_url("imports:batch-errors", batch))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet["D2"].value == "Enter a number."


def test_the_template_downloads_with_headers_and_an_example(world):
    response = _client(world, "admin").get(reverse("imports:template", kwargs={"kind": "staff"}))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == [
        "用户名",
        "姓名",
        "工号",
        "手机",
        "邮箱",
        "角色",
        "小区代码",
    ]
    assert sheet["A2"].value == "zhangsan"


@pytest.mark.parametrize(
    "name", ["imports:batch-detail", "imports:batch-errors", "imports-api:batch-detail"]
)
def test_a_batch_of_another_community_is_404(world, sample_importer, name):
    batch = _batch(world, [["A1"]], community=world.b)
    assert _client(world, "director").get(_url(name, batch)).status_code == 404


@pytest.mark.parametrize("name", ["imports:batch-commit", "imports:batch-discard"])
def test_acting_on_a_batch_of_another_community_is_404_and_changes_nothing(
    world, sample_importer, name
):
    batch = _batch(world, [["A1"]], community=world.b)
    assert _client(world, "director").post(_url(name, batch)).status_code == 404
    batch.refresh_from_db()
    assert batch.status == ImportStatus.VALIDATED


def test_a_role_without_the_importers_permission_gets_403(world, sample_importer):
    batch = _batch(world, [["A1"]])
    client = _client(world, "receptionist")
    assert client.get(_url("imports:batch-detail", batch)).status_code == 403
    assert client.post(_url("imports:batch-commit", batch)).status_code == 403
    batch.refresh_from_db()
    assert batch.status == ImportStatus.VALIDATED


def test_the_api_gives_the_state_and_errors_of_a_batch(world, sample_importer):
    batch = _batch(world, [["A1", "x"]])
    body = _client(world, "director").get(_url("imports-api:batch-detail", batch)).json()
    assert (body["status"], body["error_count"]) == ("failed", 1)
    assert body["errors"][0]["message"] == "Enter a number."
    assert "rows" not in body
