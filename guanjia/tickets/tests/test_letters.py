"""Letters (来函): a written reply drafted, checked by another person, approved; attachments."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guanjia.core import workflows
from guanjia.tickets import services
from guanjia.tickets.models import RequestAttachment, ServiceRequest

from .factories import entry

BEIJING = dt.timezone(dt.timedelta(hours=8))


def _letter(world):
    return entry(world, world.a, "suggestion", channel="letter", subject="绿化")


def test_a_letter_received_on_friday_is_due_five_working_days_later(world):
    with time_machine.travel(dt.datetime(2026, 3, 6, 10, 0, tzinfo=BEIJING), tick=False):
        register_entry = _letter(world)
    assert register_entry.letter_due == dt.date(2026, 3, 13)


def test_a_written_reply_is_drafted_checked_approved_and_closes_the_entry(world):
    register_entry = services.draft_letter_reply(
        entry=_letter(world), text="感谢来函", by=world.user("receptionist")
    )
    register_entry = services.check_letter_reply(entry=register_entry, by=world.user("supervisor"))
    register_entry = services.approve_letter_reply(entry=register_entry, by=world.user("director"))
    assert (register_entry.status, register_entry.answer, register_entry.letter_status) == (
        "closed",
        "感谢来函",
        "approved",
    )


def test_each_step_of_a_written_reply_is_an_event_of_the_entry(world):
    register_entry = services.draft_letter_reply(
        entry=_letter(world), text="感谢来函", by=world.user("receptionist")
    )
    register_entry = services.check_letter_reply(entry=register_entry, by=world.user("supervisor"))
    register_entry = services.approve_letter_reply(entry=register_entry, by=world.user("director"))
    steps = list(register_entry.events.values_list("action", "from_status", "to_status", "actor"))
    assert steps[1:] == [
        ("letter_drafted", "", "drafted", world.user("receptionist").pk),
        ("letter_checked", "drafted", "checked", world.user("supervisor").pk),
        ("letter_approved", "open", "closed", world.user("director").pk),
    ]


def test_a_redraft_keeps_who_checked_the_earlier_draft(world):
    register_entry = services.draft_letter_reply(
        entry=_letter(world), text="初稿", by=world.user("receptionist")
    )
    register_entry = services.check_letter_reply(entry=register_entry, by=world.user("supervisor"))
    register_entry = services.draft_letter_reply(
        entry=register_entry, text="改稿", by=world.user("receptionist")
    )
    assert register_entry.letter_checked_by is None
    checked = register_entry.events.get(action="letter_checked")
    assert checked.actor == world.user("supervisor")
    redraft = register_entry.events.filter(action="letter_drafted").last()
    assert redraft.data == {"checked_by_before": world.user("supervisor").pk}
    assert (redraft.from_status, redraft.to_status) == ("checked", "drafted")
    page = world.client("receptionist").get(
        reverse("tickets:request-detail", args=[register_entry.pk])
    )
    assert str(world.user("supervisor")) in page.content.decode().split('id="letter-checks"')[1]


def test_the_written_reply_has_its_own_workflow_on_letter_status(world):
    flow = workflows.workflow_for(ServiceRequest, "letter_status")
    assert flow.field == "letter_status"
    assert workflows.workflow_for(ServiceRequest).field == "status"  # the main one is unchanged
    drafter = world.user("receptionist")
    drafted = services.draft_letter_reply(entry=_letter(world), text="初稿", by=drafter)
    field = "letter_status"
    assert not workflows.can_transition(drafted, "approved", by=world.user("director"), field=field)
    assert not workflows.can_transition(drafted, "checked", by=drafter, field=field)
    assert workflows.can_transition(drafted, "checked", by=world.user("supervisor"), field=field)


def test_the_drafter_cannot_check_their_own_reply(world):
    sup = world.user("supervisor")
    register_entry = services.draft_letter_reply(entry=_letter(world), text="感谢来函", by=sup)
    with pytest.raises(PermissionDenied):
        services.check_letter_reply(entry=register_entry, by=sup)
    assert ServiceRequest.objects.get(pk=register_entry.pk).letter_status == "drafted"


def test_an_unchecked_reply_cannot_be_approved(world):
    register_entry = services.draft_letter_reply(
        entry=_letter(world), text="感谢来函", by=world.user("receptionist")
    )
    with pytest.raises(ValidationError):
        services.approve_letter_reply(entry=register_entry, by=world.user("director"))
    assert ServiceRequest.objects.get(pk=register_entry.pk).status == "open"


def test_a_letter_cannot_be_closed_with_a_spoken_answer(world):
    with pytest.raises(ValidationError):
        services.answer_request(entry=_letter(world), answer="好的", by=world.user("receptionist"))


def test_an_attachment_of_the_wrong_type_is_refused(world):
    register_entry = _letter(world)
    upload = SimpleUploadedFile("a.exe", b"MZ", content_type="application/x-msdownload")
    response = world.client("receptionist").post(
        reverse("tickets:attachment-add", args=[register_entry.pk]), {"file": upload}
    )
    assert response.status_code == 400
    assert RequestAttachment.objects.count() == 0


def test_an_attachment_too_large_is_refused(world):
    upload = SimpleUploadedFile(
        "a.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024), content_type="application/pdf"
    )
    with pytest.raises(ValidationError) as err:
        services.add_attachment(entry=_letter(world), upload=upload, by=world.user("receptionist"))
    assert err.value.error_dict["file"][0].code == "too_large"
    assert RequestAttachment.objects.count() == 0


def test_a_pdf_is_attached(world):
    register_entry = _letter(world)
    upload = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n", content_type="application/pdf")
    response = world.client("receptionist").post(
        reverse("tickets:attachment-add", args=[register_entry.pk]), {"file": upload}
    )
    assert response.status_code == 302
    assert RequestAttachment.objects.get().original_name == "scan.pdf"
