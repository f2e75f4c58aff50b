"""Photos and the resident's signature through the API (multipart/form-data), with the
page's limits: size, type checked on the file's content, nothing saved on error."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from guanjia.tickets.models import RepairOrder, RepairPhoto

from .factories import PNG, repair


def _picture(fmt="JPEG", size=(32, 24)):
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buf, format=fmt)
    return buf.getvalue()


def _photo_url(order):
    return reverse("tickets-api:repair-photo", args=[order.pk])


def test_a_real_jpeg_is_uploaded_as_a_before_photo(world):
    order = repair(world, world.a, "on_site")
    upload = SimpleUploadedFile("前.jpg", _picture(), content_type="image/jpeg")
    response = world.client("technician").post(
        _photo_url(order), {"kind": "before", "image": upload}
    )
    assert response.status_code == 200, response.content
    photo = RepairPhoto.objects.get(order=order)
    assert (photo.kind, photo.taken_by) == ("before", world.user("technician"))
    assert photo.image.read() == _picture()
    assert [p["kind"] for p in response.json()["photos"]] == ["before"]


def test_a_png_named_and_sent_as_jpeg_is_refused(world):
    world.language = "en"
    order = repair(world, world.a, "on_site")
    upload = SimpleUploadedFile("后.jpg", _picture("PNG"), content_type="image/jpeg")
    response = world.client("technician").post(
        _photo_url(order), {"kind": "after", "image": upload}
    )
    assert response.status_code == 400
    assert response.json() == {"image": ["The file's content is not the JPEG its name says."]}
    assert not RepairPhoto.objects.exists()


def test_a_photo_larger_than_8_mb_is_refused_and_nothing_is_saved(world):
    world.language = "en"
    order = repair(world, world.a, "on_site")
    big = _picture() + b"\0" * (8 * 1024 * 1024)  # a valid JPEG, padded past the limit
    upload = SimpleUploadedFile("big.jpg", big, content_type="image/jpeg")
    response = world.client("technician").post(
        _photo_url(order), {"kind": "before", "image": upload}
    )
    assert response.status_code == 400
    assert response.json() == {"image": ["The photo is larger than 8 MB."]}
    assert not RepairPhoto.objects.exists()


def test_a_text_file_renamed_jpg_is_refused_and_nothing_is_saved(world):
    world.language = "en"
    order = repair(world, world.a, "on_site")
    fake = SimpleUploadedFile("photo.jpg", b"not a picture at all\n", content_type="image/jpeg")
    response = world.client("technician").post(_photo_url(order), {"kind": "before", "image": fake})
    assert response.status_code == 400
    assert response.json() == {"image": ["The file's content is not the JPEG its name says."]}
    assert not RepairPhoto.objects.exists()


def test_a_photo_without_a_file_or_with_an_unknown_kind_gives_field_errors(world):
    order = repair(world, world.a, "on_site")
    upload = SimpleUploadedFile("a.jpg", _picture(), content_type="image/jpeg")
    response = world.client("technician").post(
        _photo_url(order), {"kind": "during", "image": upload}
    )
    assert response.status_code == 400
    assert list(response.json()) == ["kind"]
    response = world.client("technician").post(_photo_url(order), {"kind": "before"})
    assert list(response.json()) == ["image"]
    assert not RepairPhoto.objects.exists()


def _verify(world, order, body, **kw):
    url = reverse("tickets-api:repair-verify", args=[order.pk])
    return world.client("technician").post(url, body, **kw)


def test_the_signature_as_a_png_file_verifies_the_job(world):
    order = repair(world, world.a, "completed")
    sign = SimpleUploadedFile("sign.png", _picture("PNG", (120, 40)), content_type="image/png")
    response = _verify(world, order, {"satisfied": "yes", "signature": sign})
    assert response.status_code == 200, response.content
    order = RepairOrder.objects.get(pk=order.pk)
    assert order.status == "verified"
    assert order.signature.read() == _picture("PNG", (120, 40))


def test_the_signature_as_a_data_url_in_json_verifies_the_job(world):
    order = repair(world, world.a, "completed")
    response = _verify(
        world, order, {"satisfied": "yes", "signature": PNG}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert RepairOrder.objects.get(pk=order.pk).status == "verified"


def test_a_signature_that_is_not_a_png_or_missing_is_refused(world):
    world.language = "en"
    order = repair(world, world.a, "completed")
    jpeg = SimpleUploadedFile("sign.png", _picture(), content_type="image/png")
    response = _verify(world, order, {"satisfied": "yes", "signature": jpeg})
    assert response.status_code == 400
    assert response.json() == {"signature": ["The file's content is not the PNG its name says."]}
    response = _verify(world, order, {"satisfied": "yes"})
    assert response.status_code == 400
    assert response.json() == {"signature": ["The resident must sign on the screen."]}
    order = RepairOrder.objects.get(pk=order.pk)
    assert (order.status, order.signature.name) == ("completed", "")


def test_a_signature_file_over_300_kb_is_refused(world):
    world.language = "en"
    order = repair(world, world.a, "completed")
    big = SimpleUploadedFile(
        "sign.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 310_000, content_type="image/png"
    )
    response = _verify(world, order, {"satisfied": "yes", "signature": big})
    assert response.status_code == 400
    assert response.json() == {"signature": ["The signature is larger than 300 KB."]}
    assert RepairOrder.objects.get(pk=order.pk).status == "completed"


def test_a_letter_attachment_whose_content_is_not_its_type_is_refused(world):
    from .factories import entry

    register_entry = entry(world, world.a, "suggestion", channel="letter", subject="绿化")
    url = reverse("tickets:attachment-add", args=[register_entry.pk])
    fake = SimpleUploadedFile("来函.pdf", b"hello, not a pdf", content_type="application/pdf")
    response = world.client("receptionist").post(url, {"file": fake})
    assert response.status_code == 400
    assert not register_entry.attachments.exists()
    real = SimpleUploadedFile("来函.pdf", b"%PDF-1.4\n%...", content_type="application/pdf")
    assert world.client("receptionist").post(url, {"file": real}).status_code == 302
    assert register_entry.attachments.count() == 1


def test_a_letter_is_replied_and_gets_its_attachment_through_the_api(world):
    from .factories import entry

    register_entry = entry(world, world.a, "suggestion", channel="letter", subject="绿化")
    url = lambda name: reverse(f"tickets-api:{name}", args=[register_entry.pk])  # noqa: E731
    scan = SimpleUploadedFile("来函.png", _picture("PNG"), content_type="image/png")
    attached = world.client("receptionist").post(url("attachment-add"), {"file": scan})
    assert attached.status_code == 200, attached.content
    assert [action["original_name"] for action in attached.json()["attachments"]] == ["来函.png"]
    fake = SimpleUploadedFile("x.png", b"text", content_type="image/png")
    assert (
        world.client("receptionist").post(url("attachment-add"), {"file": fake}).status_code == 400
    )
    assert register_entry.attachments.count() == 1
    draft = world.client("receptionist").post(
        url("letter-draft"), {"text": "感谢来函"}, content_type="application/json"
    )
    assert draft.json()["letter_status"] == "drafted"
    own = world.client("receptionist").post(url("letter-check"))  # no checking role: 403
    assert own.status_code == 403
    assert world.client("supervisor").post(url("letter-check")).status_code == 200
    not_director = world.client("supervisor").post(url("letter-approve"))
    assert not_director.status_code == 403
    done = world.client("director").post(url("letter-approve"))
    assert (done.json()["status"], done.json()["letter_status"]) == ("closed", "approved")
    again = world.client("director").post(url("letter-approve"))
    assert again.status_code == 400  # closed: the page's message
