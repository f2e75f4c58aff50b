"""The scripts of the demo's service desk history: one generator per ticket, each step a call
to a public service of `guanjia.tickets.services` (see `timeline.py` for how they run).

Mixes: consultations answered on the spot, suggestions and help requests answered later,
complaints of every category (a tenth invalid, some late, a few reopened), repairs in homes
and common parts (emergencies, appointments, paid jobs with a quote, parts to wait for, a
few late, a few rejected at the first check, a few reworked) and letters with written
replies checked and approved (a few late)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from guanjia.accounts.models import User
from guanjia.core.models import Community
from guanjia.estates.models import Person, Unit
from guanjia.tickets import services as s
from guanjia.tickets.models import Complaint, RepairOrder

from .texts import (
    COMPLAINTS,
    CONSULTATIONS,
    LETTERS,
    LOBBIES,
    OTHER_REQUESTS,
    REPAIRS_COMMON,
    REPAIRS_HOME,
)
from .timeline import Script, local

# The resident's signature on the technician's phone (a 1x1 PNG: the demo has no hand).
SIGNATURE = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
MINUTE = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


@dataclass
class Desk:
    """One community's staff, residents and dice."""

    community: Community
    rnd: random.Random
    reception: User
    supervisor: User
    manager: User
    director: User
    lead: User
    technician: User
    homes: list[tuple[Unit, Person]]

    def minutes(self, low: int, high: int) -> dt.timedelta:
        return self.rnd.randint(low, high) * MINUTE

    def after(self, moment: dt.datetime | None, low: int, high: int) -> dt.datetime:
        """Between `low` and `high` minutes after `moment` (a step just taken: now)."""
        return (moment or timezone.now()) + self.minutes(low, high)

    def chance(self, p: float) -> bool:
        return self.rnd.random() < p

    def contact(self, channel: str, kind: str, content: str, subject: str = "") -> s.Contact:
        """A resident of a random home calls, comes in or writes."""
        unit, person = self.rnd.choice(self.homes)
        return s.Contact(
            channel=channel, kind=kind, content=content, unit=unit, person=person,
            requester_name=person.name, requester_phone=person.mobile, subject=subject,
        )  # fmt: skip

    def worker(self) -> User:
        """Most jobs go to the community's technician, some the lead does himself."""
        return self.technician if self.chance(0.8) else self.lead


def consultation(d: Desk) -> Script:
    channel = d.rnd.choice(["phone", "phone", "visit", "portal"])
    question, answer = d.rnd.choice(CONSULTATIONS)
    s.take_contact(
        community=d.community, contact=d.contact(channel, "consultation", question),
        by=d.reception, answer=answer,
    )  # fmt: skip
    yield from ()


def other_request(d: Desk) -> Script:
    """A suggestion, praise or help request, answered within hours."""
    kind, content, answer = d.rnd.choice(OTHER_REQUESTS)
    channel = d.rnd.choice(["phone", "visit"])
    entry = s.take_contact(
        community=d.community, contact=d.contact(channel, kind, content), by=d.reception
    )
    yield entry.received_at + d.minutes(30, 300)
    s.answer_request(entry=entry, answer=answer, by=d.manager)


def complaint(d: Desk) -> Script:
    category, department, content, result = d.rnd.choice(COMPLAINTS)
    channel = d.rnd.choice(["phone", "phone", "visit", "portal"])
    entry = s.take_contact(
        community=d.community, contact=d.contact(channel, "complaint", content), by=d.reception
    )
    received = entry.received_at
    yield received + d.minutes(15, 150)
    if d.chance(0.1):
        yield from _invalid_complaint(d, entry.complaint)
        return
    severity = "important" if d.chance(0.25) else "minor"
    cls = s.Classification(validity="valid", severity=severity, category=category,
                           department=department, handler=d.manager)  # fmt: skip
    c = s.classify_complaint(complaint=entry.complaint, classification=cls, by=d.supervisor)
    yield received + d.minutes(60, 600)
    c = s.record_progress(complaint=c, note="已联系业主，说明处理安排", by=d.manager,
                          told_requester=True)  # fmt: skip
    yield from _resolve_and_reply(d, c, result)


def _resolve_and_reply(d: Desk, c: Complaint, result: str) -> Script:
    now = timezone.now()
    due = c.resolve_due or now + DAY  # set when classified
    if d.chance(0.12):  # late
        yield max(due, now) + d.minutes(60, 2000)
    else:
        yield max(now + d.minutes(60, 300), now + (due - now) * d.rnd.uniform(0.3, 0.95))
    c = s.resolve_complaint(complaint=c, result=result, by=d.manager)
    yield d.after(c.resolved_at, 30, 600)
    method = d.rnd.choice(["phone", "phone", "visit", "sms"])
    reply = f"{result}，感谢您的监督。"
    c = s.reply_complaint(complaint=c, reply=reply, method=method, by=d.manager)
    yield d.after(c.replied_at, 600, 4000)
    if d.chance(0.06) and c.request.unit_id is not None:
        c = s.reopen_complaint(complaint=c, note="回访时业主表示问题仍未解决", by=d.supervisor)
        yield from _resolve_and_reply(d, c, "再次上门处理，问题已彻底解决")
        return
    s.close_complaint(complaint=c, by=d.supervisor, note="回访满意")


def _invalid_complaint(d: Desk, c: Complaint) -> Script:
    cls = s.Classification(validity="invalid", category="other", handler=d.manager,
                           invalid_reason="经核实不属于物业服务范围")  # fmt: skip
    c = s.classify_complaint(complaint=c, classification=cls, by=d.supervisor)
    yield c.request.received_at + d.minutes(120, 1400)
    c = s.reply_complaint(complaint=c, reply="已向业主解释：该事项由市政部门负责，已提供联系方式。",
                          method="phone", by=d.manager)  # fmt: skip
    yield d.after(c.replied_at, 60, 1400)
    s.close_complaint(complaint=c, by=d.supervisor)


def repair(d: Desk) -> Script:
    in_home = d.chance(0.7)
    category, content, fault, work, paid = d.rnd.choice(REPAIRS_HOME if in_home else REPAIRS_COMMON)
    urgency = d.rnd.choices(["ordinary", "emergency", "appointment"], [6, 2, 2])[0]
    if not in_home or category == "lift":
        urgency = "ordinary" if urgency == "appointment" else urgency
    contact = d.contact("phone", "repair", content)
    details = s.RepairDetails(
        location="home" if in_home else "common",
        category=category,
        urgency=urgency,
        place="" if in_home else d.rnd.choice(LOBBIES),
        appointment_at=_appointment(d) if urgency == "appointment" else None,
    )
    if not in_home:
        contact = s.Contact(channel=d.rnd.choice(["phone", "patrol"]), kind="repair",
                            content=content)  # fmt: skip
    entry = s.take_contact(community=d.community, contact=contact, by=d.reception, repair=details)
    yield from _job(d, entry.repair, fault, work, paid=paid and d.chance(0.5))


def _appointment(d: Desk) -> dt.datetime:
    day = timezone.localdate() + DAY * d.rnd.randint(1, 2)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(d.rnd.choice([10, 14, 16]))))


def _job(d: Desk, order: RepairOrder, fault: str, work: str, *, paid: bool) -> Script:
    """Dispatch, go, (quote, parts,) complete, and the resident's check; maybe a rework."""
    start = order.appointment_at or order.registered_at
    yield order.registered_at + d.minutes(2, 8)
    tech = d.worker()
    order = s.dispatch_repair(order=order, technician=tech, by=d.lead)
    yield d.after(order.dispatched_at, 1, 5)
    order = s.accept_repair(order=order, by=tech)
    late = d.chance(0.07)
    if order.appointment_at is not None:
        yield order.appointment_at + (d.minutes(20, 90) if late else d.minutes(-10, 10))
    else:
        span = (order.arrive_due - order.registered_at).total_seconds() // 60
        yield start + (d.minutes(int(span) + 5, int(span) + 60) if late
                       else d.minutes(int(span * 0.4), int(span * 0.95)))  # fmt: skip
    order = s.arrive_repair(order=order, by=tech)
    yield from _work(d, order, tech, fault, work, paid=paid)


def _work(d: Desk, order: RepairOrder, tech: User, fault: str, work: str, *, paid: bool) -> Script:
    if paid:
        yield d.after(order.arrived_at, 10, 30)
        amount = Decimal(d.rnd.choice([50, 80, 120, 150, 200, 260, 380]))
        order = s.quote_repair(order=order, amount=amount, by=tech)
        yield d.after(order.arrived_at, 40, 90)
        accepted = d.chance(0.88)
        order = s.decide_quote(order=order, accepted=accepted, by=tech)
        if not accepted:
            return
    if d.chance(0.08):
        promised = timezone.localdate() + DAY * d.rnd.randint(1, 3)
        order = s.wait_for_parts(order=order, promised_on=promised, by=tech)
        yield timezone.make_aware(dt.datetime.combine(promised, dt.time(10)))
        order = s.resume_repair(order=order, by=tech)
    yield from _complete(d, order, tech, fault, work)


def _complete(d: Desk, order: RepairOrder, tech: User, fault: str, work: str) -> Script:
    now = timezone.now()
    if d.chance(0.06) and order.complete_due is not None:  # late: the job took too long
        yield max(order.complete_due + d.minutes(60, 1500), now + d.minutes(30, 90))
    else:
        yield now + d.minutes(20, 150)
    completion = s.Completion(fault=fault, work_done=work, labour_minutes=d.rnd.randint(20, 180))
    order = s.complete_repair(order=order, completion=completion, by=tech)
    yield d.after(order.completed_at, 1, 20)
    if d.chance(0.05):  # the resident is not satisfied: back to work
        order = s.verify_repair(order=order, satisfied=False, signature="", by=tech,
                                note="业主反映问题未完全解决")  # fmt: skip
        yield from _complete(d, order, tech, fault, "返工处理：" + work)
        return
    order = s.verify_repair(order=order, satisfied=True, signature=SIGNATURE, by=tech)
    # (an appointment's rework needs a new appointment, which open_rework does not take)
    if d.chance(0.04) and order.rework_of_id is None and order.appointment_at is None:
        yield d.after(order.verified_at, 3 * 1440, 20 * 1440)
        rework = s.open_rework(order=order, note="同一故障再次出现：" + order.description[:60],
                               by=d.supervisor)  # fmt: skip
        yield from _job(d, rework, fault, "彻底更换：" + work, paid=False)


def letter(d: Desk) -> Script:
    """A letter: the manager drafts, the supervisor checks, the director approves."""
    kind, subject, content, reply = d.rnd.choice(LETTERS)
    entry = s.take_contact(
        community=d.community,
        contact=d.contact("letter", kind, content, subject=subject),
        by=d.reception,
    )
    due = entry.letter_due or timezone.localdate()  # every letter gets its due day
    late = d.chance(0.12)
    yield entry.received_at + DAY * d.rnd.randint(1, 2)
    entry = s.draft_letter_reply(entry=entry, text=reply, by=d.manager)
    yield entry.updated_at + d.minutes(60, 600)
    entry = s.check_letter_reply(entry=entry, by=d.supervisor)
    if late:  # approved after the due day: the reply is marked missed
        yield local(due + DAY * d.rnd.randint(1, 4), d.rnd.randint(9, 16))
    else:
        yield min(d.after(entry.updated_at, 60, 1500), local(due, 16))
    s.approve_letter_reply(entry=entry, by=d.director)
