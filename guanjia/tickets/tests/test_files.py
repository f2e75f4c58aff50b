"""The service desk's files through guanjia/core/files: attachments, repair photos and
signatures are checked on upload (page and API), stored under random names, and served only
by files:serve, scoped and typed from their verified content."""

import io
import re

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from guanjia.core.files.registry import file_url
from guanjia.core.files.storage import rename_stored_files
from guanjia.tickets import services
from guanjia.tickets.models import RepairOrder, RepairPhoto, RequestAttachment

from .factories import entry, repair

HTML = b"<html><body><script>fetch('/staff/').then(r => r.text())</script></body></html>"
RANDOM = r"[0-9a-f]{32}"


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), (200, 40, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()


def _letter(world, community):
    return entry(world, community, "suggestion", channel="letter", subject="绿化")


def _attachment(world, community, name="来函.pdf", content=b"%PDF-1.4\n1 0 obj\n"):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    return services.add_attachment(
        entry=_letter(world, community), upload=upload, by=world.user("receptionist")
    )


def _photo(world):
    order = repair(world, world.a, "on_site")
    image = SimpleUploadedFile("现场.jpg", jpeg(), content_type="image/jpeg")
    return services.add_photo(order=order, kind="before", image=image, by=world.user("technician"))


# --- Upload: the check, on the page and through the API --------------------------------------


def test_a_page_disguised_as_a_photo_is_refused_on_the_page_with_a_field_error(world):
    world.language = "en"
    order = repair(world, world.a, "on_site")
    fake = SimpleUploadedFile("photo.png", HTML, content_type="image/png")
    response = world.client("technician").post(
        reverse("tickets:repair-photo", args=[order.pk]), {"kind": "before", "image": fake}
    )
    assert response.status_code == 400
    assert "The file&#x27;s content is not the PNG its name says." in response.content.decode()
    assert not RepairPhoto.objects.exists()


def test_a_script_disguised_as_a_webp_attachment_is_refused_through_the_api(world):
    world.language = "en"
    letter = _letter(world, world.a)
    fake = SimpleUploadedFile("scan.webp", b"RIFF\x20\x00\x00\x00WEBPVP8 " + HTML, "image/webp")
    url = reverse("tickets-api:attachment-add", args=[letter.pk])
    response = world.client("receptionist").post(url, {"file": fake})
    assert response.status_code == 400
    assert response.json() == {"file": ["The file's content is not the WebP its name says."]}
    assert not RequestAttachment.objects.exists()


def test_a_real_picture_named_html_is_refused_through_the_api(world):
    world.language = "en"
    letter = _letter(world, world.a)
    renamed = SimpleUploadedFile("scan.html", jpeg(), content_type="text/html")
    url = reverse("tickets-api:attachment-add", args=[letter.pk])
    response = world.client("receptionist").post(url, {"file": renamed})
    assert response.status_code == 400
    assert response.json() == {"file": ["Only PDF, JPEG, PNG, WebP files are accepted."]}
    assert not RequestAttachment.objects.exists()


def test_an_attachment_sent_with_another_declared_type_is_refused_on_the_page(world):
    world.language = "en"
    letter = _letter(world, world.a)
    mismatched = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n", content_type="text/html")
    response = world.client("receptionist").post(
        reverse("tickets:attachment-add", args=[letter.pk]), {"file": mismatched}
    )
    assert response.status_code == 400
    assert "must be sent as application/pdf" in response.content.decode()
    assert not RequestAttachment.objects.exists()


def test_files_are_stored_under_random_names_and_the_given_name_is_kept(world):
    attachment = _attachment(world, world.a)
    photo = _photo(world)
    signed = repair(world, world.a, "verified")
    assert re.fullmatch(rf"tickets/attachments/\d{{4}}/\d{{2}}/{RANDOM}\.pdf", attachment.file.name)
    assert (attachment.original_name, attachment.content_type) == ("来函.pdf", "application/pdf")
    assert re.fullmatch(rf"tickets/photos/\d{{4}}/\d{{2}}/{RANDOM}\.jpg", photo.image.name)
    assert re.fullmatch(rf"tickets/signatures/\d{{4}}/\d{{2}}/{RANDOM}\.png", signed.signature.name)


# --- Serving: scope, permission, headers -----------------------------------------------------


def test_an_attachment_is_served_inline_as_its_verified_type_with_its_given_name(world):
    attachment = _attachment(world, world.a)
    response = world.client("receptionist").get(file_url(attachment, "file"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n1 0 obj\n"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == "inline; filename*=utf-8''%E6%9D%A5%E5%87%BD.pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("default-src 'none'; object-src 'self'")
    assert "script" not in response["Content-Security-Policy"]


def test_a_photo_is_served_inline_as_a_picture_in_a_sandbox(world):
    photo = _photo(world)
    response = world.client("technician").get(file_url(photo, "image"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].endswith("; sandbox")


def test_another_communitys_attachment_is_a_404_by_its_url(world):
    theirs = _attachment(world, world.b)
    response = world.client("receptionist").get(file_url(theirs, "file"))
    assert response.status_code == 404


def test_another_communitys_photo_is_a_404_by_its_url(world):
    order = repair(world, world.b, "on_site")
    photo = RepairPhoto.objects.create(
        order=order, kind="before", image=ContentFile(jpeg(), "x.jpg"), taken_by=order.technician
    )
    assert world.client("technician").get(file_url(photo, "image")).status_code == 404


def test_a_role_that_may_not_view_the_contact_gets_403(world):
    attachment = _attachment(world, world.a)
    assert world.client("technician").get(file_url(attachment, "file")).status_code == 403


def test_a_field_or_model_that_is_not_registered_is_a_404(world):
    attachment = _attachment(world, world.a)
    client = world.client("receptionist")
    for app_label, model, field in [
        ("tickets", "requestattachment", "original_name"),
        ("tickets", "servicerequest", "file"),
        ("accounts", "user", "password"),
    ]:
        kwargs = {"app_label": app_label, "model": model, "pk": attachment.pk, "field": field}
        assert client.get(reverse("files:serve", kwargs=kwargs)).status_code == 404


def test_a_row_whose_file_is_gone_is_a_404(world):
    attachment = _attachment(world, world.a)
    attachment.file.storage.delete(attachment.file.name)
    assert world.client("receptionist").get(file_url(attachment, "file")).status_code == 404


def test_a_file_stored_before_the_check_is_served_as_a_download_never_inline(world):
    attachment = _attachment(world, world.a)
    legacy = attachment.file.storage.save("tickets/attachments/evil.html", ContentFile(HTML))
    RequestAttachment.objects.filter(pk=attachment.pk).update(file=legacy)
    response = world.client("receptionist").get(file_url(attachment, "file"))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_in_production_nginx_sends_the_file_by_internal_redirect(world, settings):
    settings.FILES_X_ACCEL_PREFIX = "/_files/"
    photo = _photo(world)
    response = world.client("technician").get(file_url(photo, "image"))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_files/{photo.image.name}"
    assert response.content == b""
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"


# --- Links: pages and API point at the serving view -----------------------------------------


def test_the_repair_page_and_api_link_photo_and_signature_through_the_serving_view(world):
    photo = _photo(world)
    order = photo.order
    services.complete_repair(
        order=order,
        completion=services.Completion(fault="漏水", work_done="更换", materials=""),
        by=world.user("technician"),
    )
    from .factories import PNG

    services.verify_repair(order=order, satisfied=True, signature=PNG, by=world.user("technician"))
    order = RepairOrder.objects.get(pk=order.pk)
    page = world.client("technician").get(reverse("tickets:repair-detail", args=[order.pk]))
    html = page.content.decode()
    assert f'src="{file_url(photo, "image")}"' in html
    assert f'src="{file_url(order, "signature")}"' in html
    assert "/media/" not in html
    body = world.client("technician").get(reverse("tickets-api:repair-detail", args=[order.pk]))
    data = body.json()
    assert data["signature"] == f"http://testserver{file_url(order, 'signature')}"
    assert data["photos"][0]["image"] == f"http://testserver{file_url(photo, 'image')}"


def test_the_register_page_and_api_link_attachments_through_the_serving_view(world):
    attachment = _attachment(world, world.a)
    url = file_url(attachment, "file")
    page = world.client("receptionist").get(
        reverse("tickets:request-detail", args=[attachment.entry_id])
    )
    assert f'href="{url}"' in page.content.decode()
    body = world.client("receptionist").get(
        reverse("tickets-api:request-detail", args=[attachment.entry_id])
    )
    assert body.json()["attachments"][0]["file"] == f"http://testserver{url}"


# --- The renaming migration -----------------------------------------------------------------


def test_the_migration_renames_files_stored_under_given_names_by_their_content(world):
    attachment = _attachment(world, world.a)
    storage = attachment.file.storage
    old = storage.save("tickets/attachments/业主来函.png", ContentFile(jpeg()))
    RequestAttachment.objects.filter(pk=attachment.pk).update(file=old, content_type="image/png")
    assert rename_stored_files(RequestAttachment, "file", content_type_field="content_type") == 1
    attachment.refresh_from_db()
    assert re.fullmatch(rf"tickets/attachments/\d{{4}}/\d{{2}}/{RANDOM}\.jpg", attachment.file.name)
    assert attachment.content_type == "image/jpeg"
    assert attachment.file.read() == jpeg()
    assert not storage.exists(old)


def test_the_migration_is_idempotent_and_leaves_missing_files_alone(world):
    kept = _attachment(world, world.a)
    missing = _attachment(world, world.a)
    RequestAttachment.objects.filter(pk=missing.pk).update(file="tickets/attachments/gone.pdf")
    assert rename_stored_files(RequestAttachment, "file") == 0
    assert RequestAttachment.objects.get(pk=kept.pk).file.name == kept.file.name
    assert RequestAttachment.objects.get(pk=missing.pk).file.name == "tickets/attachments/gone.pdf"


def test_the_migration_stores_unrecognised_content_as_a_download(world):
    photo = _photo(world)
    storage = photo.image.storage
    old = storage.save("tickets/photos/avatar.png", ContentFile(HTML))
    RepairPhoto.objects.filter(pk=photo.pk).update(image=old)
    assert rename_stored_files(RepairPhoto, "image") == 1
    photo.refresh_from_db()
    assert photo.image.name.endswith(".bin")
    response = world.client("technician").get(file_url(photo, "image"))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert rename_stored_files(RepairPhoto, "image") == 0
