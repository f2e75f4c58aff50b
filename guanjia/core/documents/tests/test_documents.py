import datetime as dt
import shutil
import socket
import subprocess

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from guanjia.accounts.tests.factories import UserFactory, grant, staff
from guanjia.core.documents.models import Letterhead
from guanjia.core.documents.selectors import LetterheadData, contact_sheet, letterhead_for
from guanjia.core.documents.services import (
    LocalUrlFetcher,
    RefusedFetch,
    pdf_response,
    qr_svg,
    render_pdf,
)

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"
)


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(  # noqa: S603  # a fixed local tool on a file we just wrote
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607  # Debian's poppler-utils
        capture_output=True,
        check=True,
        text=True,
    )
    return result.stdout


@pytest.fixture
def cuihu(world):
    community = world.a
    community.name = "翠湖花园"
    community.office_name = "翠湖花园管理处"
    community.office_phone = "0571-88886666"
    community.office_hours = "投诉处理 8:00-20:00"
    community.address = "杭州市翠湖路 1 号"
    community.save()
    return community


@needs_pdftotext
def test_a_pdf_with_chinese_text_gives_the_same_text_back(cuihu, tmp_path):
    pdf = render_pdf(
        "documents/contactsheet_print.html", {"sheet": contact_sheet(cuihu)}, community=cuihu
    )

    text = pdf_text(pdf, tmp_path)
    assert pdf.startswith(b"%PDF-")
    assert "翠湖花园" in text
    assert "管理处" in text
    assert "投诉处理" in text
    assert "世界物业" in text  # the company's name heads the letterhead


@needs_pdftotext
def test_pages_are_numbered_in_the_footer(cuihu, tmp_path):
    with translation.override("en"):
        pdf = render_pdf(
            "documents/contactsheet_print.html", {"sheet": contact_sheet(cuihu)}, community=cuihu
        )

    assert "Page 1 of 1" in pdf_text(pdf, tmp_path)


@needs_pdftotext
def test_the_document_number_is_printed_in_the_corner(tmp_path):
    letterhead = LetterheadData("翠湖物业", "翠湖花园管理处", "翠湖路 1 号", "0571-1")
    html = render_to_string(
        "documents/base_print.html",
        {"letterhead": letterhead, "document_number": "TS-2026-0001", "for_pdf": True},
    )
    pdf = render_pdf(
        "documents/base_print.html", {"letterhead": letterhead, "document_number": "TS-2026-0001"}
    )

    assert html.count("<svg") == 1
    assert "TS-2026-0001" in pdf_text(pdf, tmp_path)


def test_a_qr_code_is_inline_svg_with_a_path():
    svg = qr_svg("TS-2026-0001", scale=2)

    assert svg.startswith("<svg")
    assert "<path" in svg
    assert svg.rstrip().endswith("</svg>")
    assert "<?xml" not in svg


def test_a_qr_code_of_nothing_is_refused():
    with pytest.raises(ValueError, match="data"):
        qr_svg("")


def test_a_pdf_response_carries_the_type_and_the_chinese_filename():
    response = pdf_response(b"%PDF-1.7 x", "小区联系表.pdf")

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert "filename*=utf-8''%E5%B0%8F%E5%8C%BA" in response["Content-Disposition"]
    assert response.content == b"%PDF-1.7 x"


def test_a_pdf_response_can_be_a_download():
    response = pdf_response(b"%PDF-", "sheet.pdf", inline=False)

    assert response["Content-Disposition"] == 'attachment; filename="sheet.pdf"'


def test_the_fetcher_refuses_an_outside_url():
    fetcher = LocalUrlFetcher()

    with pytest.raises(RefusedFetch):
        fetcher.fetch("https://example.com/logo.png")
    with pytest.raises(RefusedFetch):
        fetcher.fetch("file:///etc/passwd")
    with pytest.raises(RefusedFetch):
        fetcher.fetch("https://guanjia.invalid/accounts/login/")


def test_the_fetcher_serves_static_files_from_disk():
    response = LocalUrlFetcher().fetch("https://guanjia.invalid/static/css/print.css")

    assert response.content_type == "text/css"
    assert b"@page" in response.read()


def test_the_fetcher_refuses_paths_out_of_the_static_root():
    with pytest.raises(RefusedFetch):
        LocalUrlFetcher().fetch("https://guanjia.invalid/static/../../config/settings.py")


def test_the_fetcher_serves_media_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "logo.svg").write_text("<svg/>")

    response = LocalUrlFetcher().fetch("https://guanjia.invalid/media/logo.svg")

    assert response.read() == b"<svg/>"


def test_the_fetcher_accepts_the_requests_own_host_only():
    fetcher = LocalUrlFetcher(hosts=frozenset({"testserver"}))

    assert fetcher.fetch("http://testserver/static/css/print.css").read()
    with pytest.raises(RefusedFetch):
        fetcher.fetch("http://otherhost/static/css/print.css")


def test_rendering_never_opens_a_network_connection(db, monkeypatch, settings, tmp_path):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    (tmp_path / "outside.html").write_text(
        '{% extends "documents/base_print.html" %}{% block document %}'
        '<img src="https://example.com/tracker.png">'
        '<link rel="stylesheet" href="http://example.com/x.css">'
        "<p>正文</p>{% endblock %}"
    )
    attempts = []

    def no_network(*args, **kwargs):
        attempts.append(args)
        raise AssertionError("documents must not reach the network")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)

    pdf = render_pdf("outside.html", {})

    assert pdf.startswith(b"%PDF-")
    assert attempts == []


def test_the_letterhead_falls_back_to_the_community_and_company(cuihu):
    letterhead = letterhead_for(cuihu)

    assert letterhead == LetterheadData(
        company_name="世界物业",
        office_name="翠湖花园管理处",
        address="杭州市翠湖路 1 号",
        phone="0571-88886666",
    )


def test_a_saved_letterhead_overrides_the_community_fields(cuihu):
    Letterhead.objects.create(community=cuihu, company_name="翠湖物业服务有限公司", phone="96345")

    letterhead = letterhead_for(cuihu)

    assert letterhead.company_name == "翠湖物业服务有限公司"
    assert letterhead.phone == "96345"
    assert letterhead.office_name == "翠湖花园管理处"


def test_a_letterhead_change_is_kept_in_history(cuihu):
    letterhead = Letterhead.objects.create(community=cuihu, phone="1")
    letterhead.phone = "2"
    letterhead.save()

    assert [h.phone for h in letterhead.history.order_by("history_id")] == ["1", "2"]


def test_the_contact_sheet_lists_todays_staff_of_the_community_by_role(world):
    director = staff("director", world.a, full_name="李主任")
    staff("receptionist", world.a, full_name="张前台")
    acting = UserFactory(full_name="赵代理")
    grant(
        acting,
        "receptionist",
        world.a,
        ends_on=timezone.localdate() + dt.timedelta(days=3),
        is_acting=True,
    )
    staff("receptionist", world.b, full_name="乙小区前台")
    former = UserFactory(full_name="离职员工", is_active=False)
    grant(former, "cashier", world.a)

    sheet = contact_sheet(world.a)

    assert [(g.role, [s.name for s in g.staff]) for g in sheet.roles] == [
        ("director", ["李主任"]),
        ("receptionist", ["张前台", "赵代理"]),
    ]
    assert sheet.roles[1].staff[1].is_acting
    assert director.display_name == "李主任"


def test_the_contact_sheet_print_view_shows_the_page(world, cuihu):
    staff("security", world.a, full_name="钱保安")

    response = world.client("technician").get(reverse("documents:contact-sheet"))

    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "翠湖花园管理处" in html
    assert "钱保安" in html
    assert "?format=pdf" in html
    assert "data-print" in html
    assert "<svg" in html  # the office phone's QR code


def test_the_contact_sheet_as_pdf(world, cuihu):
    response = world.client("technician").get(reverse("documents:contact-sheet"), {"format": "pdf"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert ".pdf" in response["Content-Disposition"]
    assert "%E7%BF%A0%E6%B9%96" in response["Content-Disposition"]  # 翠湖, RFC 5987 encoded


def test_an_unknown_format_is_a_clear_400(world):
    response = world.client("technician").get(
        reverse("documents:contact-sheet"), {"format": "docx"}
    )

    assert response.status_code == 400
    assert "docx" in response.content.decode()


def test_someone_working_in_no_community_gets_404(db):
    from django.test import Client

    client = Client()
    client.force_login(UserFactory())

    response = client.get(reverse("documents:contact-sheet"))

    assert response.status_code == 404


def test_the_contact_sheet_follows_the_community_switch(world):
    manager = staff("area_manager", world.a, company=world.company)
    grant(manager, "area_manager", world.b)
    staff("receptionist", world.b, full_name="乙小区前台")
    from django.test import Client

    client = Client()
    client.force_login(manager)
    client.post(reverse("core:switch-community"), {"community": world.b.pk})

    response = client.get(reverse("documents:contact-sheet"))

    assert "乙小区前台" in response.content.decode()


def test_the_signature_line_has_label_name_and_date_blanks():
    html = render_to_string(
        "documents/_signature_line.html", {"label": "业主签字", "name": "", "date": None}
    )

    assert "业主签字" in html
    assert html.count("sig-blank") == 2


def test_the_print_view_helper_renders_for_a_plain_request(world, cuihu):
    from guanjia.core.documents.views import print_or_pdf

    request = RequestFactory().get("/documents/contact-sheet/", {"format": "pdf"})
    request.user = world.user("technician")

    response = print_or_pdf(
        request,
        "documents/contactsheet_print.html",
        {"sheet": contact_sheet(cuihu)},
        filename="x.pdf",
        community=cuihu,
    )

    assert response["Content-Type"] == "application/pdf"
