"""Shift handover: pre-filled, noted, signed over, checked line by line, accepted or refused
(the supervisor told), closed only once relieved; late relief recorded; the sections registry."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guanjia.accounts.tests.factories import staff
from guanjia.core.handover import _SECTIONS as SECTIONS
from guanjia.core.handover import ItemDraft, Section, register_section, sections_for
from guanjia.core.notifications.models import Notification
from guanjia.core.workflows import WorkflowError
from guanjia.desk import services
from guanjia.desk.models import Finding, Handover, HandoverStatus, PostKind
from guanjia.tickets.tests.factories import complaint, repair

from .factories import SIGN, handover, loan, parcel, post_and_shift

pytestmark = pytest.mark.django_db
H = HandoverStatus


def _all_ok(h, override=None):
    rows = {item.pk: (Finding.OK, "") for item in h.items.all()}
    rows.update(override or {})
    return rows


def test_opened_pre_filled_with_keys_out_parcels_and_instructions(world):
    out = loan(world)
    parcel(world)
    services.add_instruction(
        community=world.a, text="3栋停水，注意解释", valid_until=timezone.localdate(),
        by=world.user("supervisor"),
    )  # fmt: skip
    h = handover(world)
    sections = set(h.items.values_list("section", flat=True))
    assert {"keys_out", "parcels", "instructions", "events"} <= sections
    keys = h.items.get(section="keys_out")
    assert out.key.cabinet_slot in keys.summary
    assert h.status == H.OPEN
    assert h.events.get().action == "created"


def test_open_repairs_and_tickets_due_come_from_tickets(world):
    order = repair(world, world.a, "dispatched")
    waiting = complaint(world, world.a)
    h = handover(world)
    refs = set(h.items.filter(section="repairs").values_list("ref", flat=True))
    assert order.number in refs
    assert h.items.filter(section="complaints", ref=waiting.number).exists()
    # Both are due long before the next shift ends? At least they are listed when due.
    due = set(h.items.filter(section="tickets_due").values_list("ref", flat=True))
    assert due <= {order.number, waiting.number}


def test_the_full_handover(world):
    h = handover(world)
    outgoing, incoming = h.outgoing, h.incoming
    h = services.save_notes(handover=h, notes="302 漏水，维修明早来", by=outgoing)
    h = services.offer_handover(handover=h, signature=SIGN, by=outgoing)
    assert h.status == H.OFFERED
    assert h.outgoing_signature.name
    assert h.offered_at
    first = h.items.first()
    findings = _all_ok(h, {first.pk: (Finding.DISCREPANCY, "钥匙少一把")})
    now = h.shift_ends_at - dt.timedelta(minutes=5)
    services.accept_handover(handover=h, findings=findings, signature=SIGN, by=incoming, now=now)
    h.refresh_from_db()
    assert (h.status, h.discrepancy_count, h.late_minutes) == (H.ACCEPTED, 1, 0)
    assert h.incoming_signature.name
    assert h.relieved_at == now
    assert Handover.objects.with_discrepancies().get() == h
    h = services.close_shift(handover=h, by=outgoing)
    assert h.status == H.CLOSED
    assert [e.to_status for e in h.events.order_by("pk")] == [
        "open",
        "offered",
        "accepted",
        "closed",
    ]


def test_late_relief_is_recorded(world):
    h = handover(world)
    h = services.offer_handover(handover=h, signature=SIGN, by=h.outgoing)
    late = h.shift_ends_at + dt.timedelta(minutes=17, seconds=30)
    services.accept_handover(
        handover=h, findings=_all_ok(h), signature=SIGN, by=h.incoming, now=late
    )
    h.refresh_from_db()
    assert h.late_minutes == 17
    assert list(Handover.objects.late()) == [h]


def test_acknowledging_when_not_the_incoming_person_is_refused(world):
    h = handover(world)
    h = services.offer_handover(handover=h, signature=SIGN, by=h.outgoing)
    someone = staff("receptionist", world.a, username="third")
    with pytest.raises(PermissionDenied) as exc:
        services.accept_handover(handover=h, findings=_all_ok(h), signature=SIGN, by=someone)
    assert "not the incoming person" in str(exc.value)
    h.refresh_from_db()
    assert h.status == H.OFFERED
    assert not h.incoming_signature


def test_closing_a_shift_nobody_relieved_is_refused(world):
    h = handover(world)
    h = services.offer_handover(handover=h, signature=SIGN, by=h.outgoing)
    with pytest.raises(ValidationError) as exc:
        h = services.close_shift(handover=h, by=h.outgoing)
    assert [e.code for e in exc.value.error_dict["status"]] == ["not_relieved"]
    h.refresh_from_db()
    assert h.status == H.OFFERED
    assert h.closed_at is None


def test_every_line_must_be_checked_and_a_discrepancy_described(world):
    parcel(world)
    h = handover(world)
    h = services.offer_handover(handover=h, signature=SIGN, by=h.outgoing)
    with pytest.raises(ValidationError) as exc:
        services.accept_handover(handover=h, findings={}, signature=SIGN, by=h.incoming)
    assert [e.code for e in exc.value.error_dict["items"]] == ["unchecked"]
    first = h.items.first()
    with pytest.raises(ValidationError) as exc:
        services.accept_handover(
            handover=h, findings=_all_ok(h, {first.pk: (Finding.DISCREPANCY, " ")}),
            signature=SIGN, by=h.incoming,
        )  # fmt: skip
    assert [e.code for e in exc.value.error_dict["items"]] == ["note_required"]
    with pytest.raises(ValidationError) as exc:
        services.accept_handover(
            handover=h, findings={**_all_ok(h), 10**9: ("ok", "")}, signature=SIGN, by=h.incoming
        )
    assert [e.code for e in exc.value.error_dict["items"]] == ["unknown_item"]
    with pytest.raises(ValidationError) as exc:
        services.accept_handover(handover=h, findings=_all_ok(h), signature="", by=h.incoming)
    assert "signature" in exc.value.error_dict
    h.refresh_from_db()
    assert h.status == H.OFFERED
    assert not h.items.exclude(finding="").exists()


def test_refusal_goes_to_the_supervisor_and_the_handover_is_offered_again(
    world, django_capture_on_commit_callbacks
):
    supervisor = world.user("supervisor")
    h = handover(world)
    with django_capture_on_commit_callbacks(execute=True):
        h = services.offer_handover(handover=h, signature=SIGN, by=h.outgoing)
    assert Notification.objects.get(recipient=h.incoming).event == "desk.handover_offered"
    with pytest.raises(ValidationError) as exc:
        h = services.refuse_handover(handover=h, reason=" ", by=h.incoming)
    assert "reason" in exc.value.error_dict
    with django_capture_on_commit_callbacks(execute=True):
        h = services.refuse_handover(handover=h, reason="备用金不符", by=h.incoming)
    assert h.status == H.REFUSED
    note = Notification.objects.get(recipient=supervisor)
    assert note.event == "desk.handover_refused"
    assert "备用金不符" in note.body
    h = services.save_notes(handover=h, notes="备用金已补齐", by=h.outgoing)
    h = services.offer_handover(handover=h, signature=SIGN, by=h.outgoing)
    assert h.status == H.OFFERED


def test_the_outgoing_person_cannot_accept_nor_the_incoming_offer(world):
    h = handover(world)
    with pytest.raises(PermissionDenied):
        h = services.offer_handover(handover=h, signature=SIGN, by=h.incoming)
    h = services.offer_handover(handover=h, signature=SIGN, by=h.outgoing)
    with pytest.raises(PermissionDenied):
        services.accept_handover(handover=h, findings=_all_ok(h), signature=SIGN, by=h.outgoing)
    with pytest.raises(WorkflowError):  # offered twice: not a move of the table
        h = services.offer_handover(handover=h, signature=SIGN, by=h.outgoing)


@pytest.mark.parametrize("bad", ["self", "no_role", "other_shift", "twice"])
def test_bad_openings(world, bad):
    post, shift = post_and_shift(world)
    outgoing = world.user("receptionist")
    incoming = staff("receptionist", world.a, username="next")
    kwargs = {"post": post, "shift": shift, "incoming": incoming, "by": outgoing}
    if bad == "self":
        kwargs["incoming"] = outgoing
    elif bad == "no_role":
        kwargs["incoming"] = world.user("technician")
    elif bad == "other_shift":
        other_post = services.add_post(
            community=world.a, name="监控", kind=PostKind.CONTROL_ROOM, by=world.user("supervisor")
        )
        kwargs["shift"] = services.add_shift(
            post=other_post,
            name="夜班",
            starts=dt.time(20),
            ends=dt.time(8),
            by=world.user("supervisor"),
        )
    else:
        services.open_handover(**kwargs)
    with pytest.raises(ValidationError):
        services.open_handover(**kwargs)
    assert Handover.objects.count() == (1 if bad == "twice" else 0)


def test_post_shift_and_instruction_fields(world):
    sup = world.user("supervisor")
    with pytest.raises(ValidationError) as exc:
        services.add_post(community=world.a, name=" ", kind=PostKind.FRONT_DESK, by=sup)
    assert "name" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.add_post(community=world.a, name="前台", kind="kitchen", by=sup)
    assert "kind" in exc.value.error_dict
    post = services.add_post(community=world.a, name="前台", kind=PostKind.FRONT_DESK, by=sup)
    with pytest.raises(ValidationError) as exc:
        services.add_post(community=world.a, name="前台", kind=PostKind.FRONT_DESK, by=sup)
    assert "name" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.add_shift(post=post, name="白班", starts=dt.time(8), ends=dt.time(8), by=sup)
    assert "ends" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.add_instruction(
            community=world.a, text="x", valid_until=dt.date(2000, 1, 1), by=sup
        )
    assert "valid_until" in exc.value.error_dict
    with pytest.raises(PermissionDenied):
        services.add_post(
            community=world.a, name="收费处", kind=PostKind.CASHIER, by=world.user("receptionist")
        )


def test_a_night_shift_ends_the_next_morning(world):
    post, _ = post_and_shift(world)
    night = services.add_shift(
        post=post, name="夜班", starts=dt.time(20), ends=dt.time(8), by=world.user("supervisor")
    )
    start, end = night.window(dt.date(2026, 5, 4))
    assert (end - start) == dt.timedelta(hours=12)
    assert end.date() == dt.date(2026, 5, 5)


def test_an_app_contributes_a_section_for_its_posts(world):
    """The mechanism the cashier's cash and receipt numbers use: a section for cashier posts."""
    section = Section(
        "test_cash",
        "Cash",
        lambda ctx: [ItemDraft("备用金 500.00", ref="float")],
        5,
        posts=(PostKind.CASHIER,),
    )
    register_section(section)
    try:
        assert section in sections_for(PostKind.CASHIER)
        assert section not in sections_for(PostKind.FRONT_DESK)
        with pytest.raises(ValueError, match="already registered"):
            register_section(section)
        post = services.add_post(
            community=world.a, name="收费处", kind=PostKind.CASHIER, by=world.user("supervisor")
        )
        shift = services.add_shift(
            post=post, name="白班", starts=dt.time(8), ends=dt.time(17), by=world.user("supervisor")
        )
        h = services.open_handover(
            post=post,
            shift=shift,
            incoming=staff("cashier", world.a, username="cas2"),
            by=world.user("cashier"),
        )
        assert h.items.filter(section="test_cash", ref="float").exists()
    finally:
        SECTIONS.pop("test_cash")
