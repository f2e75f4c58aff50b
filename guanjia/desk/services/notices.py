"""Notices (spec §03, §04): drafted (an outage notice from its template), sent for approval,
approved by someone else (posted: the households in its aim are told by SMS / WeChat), taken
down. A period that ends before it starts is refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core import workflows
from guanjia.core.access import User, require_perm
from guanjia.core.models import Community
from guanjia.core.notifications.services import Channel, notify_address
from guanjia.estates.models import Building, Occupancy, Ownership, Person, Unit

from ..models import Notice, NoticeKind, NoticeStatus
from ._common import field_error, required

N = NoticeStatus


def outage_text(
    kind: str, *, area: str, starts_at: dt.datetime, ends_at: dt.datetime, reason: str
) -> tuple[str, str]:
    """The title and text of a water or power outage notice (停水/停电通知)."""
    what = _("water") if kind == NoticeKind.WATER_OUTAGE else _("power")
    start = timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M")
    end = timezone.localtime(ends_at).strftime("%Y-%m-%d %H:%M")
    title = _("Notice of %(what)s outage") % {"what": what}
    body = _(
        "Dear residents: because of %(reason)s, the %(what)s supply of %(area)s will be cut "
        "from %(start)s to %(end)s. Please store what you need in advance. We apologise for "
        "the inconvenience."
    ) % {"reason": reason, "what": what, "area": area, "start": start, "end": end}
    return title, body


@transaction.atomic
def draft_notice(
    *,
    community: Community,
    title: str,
    body: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    by: User,
    kind: str = NoticeKind.GENERAL,
    buildings: Sequence[Building] = (),
    units: Sequence[Unit] = (),
    send_sms: bool = False,
    send_wechat: bool = False,
) -> Notice:
    require_perm(by, "desk.add_notice", community)
    if kind not in NoticeKind.values:
        raise field_error("kind", _("Choose the kind of notice."), "invalid")
    if ends_at <= starts_at:
        raise field_error(
            "ends_at", _("The notice's period must end after it starts."), "ends_before_start"
        )
    for name, rows in (("buildings", buildings), ("units", units)):
        if any(row.community_id != community.pk for row in rows):
            raise field_error(
                name, _("Aim at this community's buildings and units only."), "other_community"
            )
    notice = Notice.objects.create(
        community=community,
        kind=kind,
        title=required(title, "title", _("Give the notice a title.")),
        body=required(body, "body", _("Write the notice.")),
        starts_at=starts_at,
        ends_at=ends_at,
        send_sms=send_sms,
        send_wechat=send_wechat,
        drafted_by=by,
    )
    notice.buildings.set(buildings)
    notice.units.set(units)
    workflows.record_creation(notice, by=by)
    return notice


@transaction.atomic
def submit_notice(*, notice: Notice, by: User) -> Notice:
    workflows.request_approval(notice, by=by)
    return notice


def households(notice: Notice) -> list[str]:
    """The mobiles of the current owners and occupants the notice is aimed at."""
    units = Unit.objects.filter(community_id=notice.community_id)
    building_ids = list(notice.buildings.values_list("pk", flat=True))
    unit_ids = list(notice.units.values_list("pk", flat=True))
    if building_ids or unit_ids:
        from django.db.models import Q

        units = units.filter(Q(building_id__in=building_ids) | Q(pk__in=unit_ids))
    ids = set(
        Ownership.objects.filter(unit__in=units).current().values_list("person_id", flat=True)
    )
    ids |= set(
        Occupancy.objects.filter(unit__in=units).current().values_list("person_id", flat=True)
    )
    phones = Person.objects.filter(pk__in=ids).exclude(mobile="").values_list("mobile", flat=True)
    return sorted(set(phones))


@transaction.atomic
def decide_notice(*, notice: Notice, approve: bool, by: User, reason: str = "") -> Notice:
    """Approved by someone other than the drafter and requester: posted, and the households
    in its aim are told on the channels chosen. Rejected (with a reason): back to draft."""
    locked = workflows.lock(notice)
    workflows.decide(locked, approve, by=by, reason=reason)
    if approve and (locked.send_sms or locked.send_wechat):
        context = {"title": locked.title, "body": locked.body, "community": locked.community.name}
        channels = [
            c
            for c, on in ((Channel.SMS, locked.send_sms), (Channel.WECHAT, locked.send_wechat))
            if on
        ]
        sent = 0
        for phone in households(locked):
            for channel in channels:
                # WeChat has no resident binding yet: its rows are kept as skipped.
                to = phone if channel == Channel.SMS else ""
                notify_address(
                    to, "desk.notice_posted", context, channel=channel, community=locked.community
                )
                sent += 1
        locked.messages_sent = sent
        locked.save(update_fields=["messages_sent", "updated_at"])
    return locked


@transaction.atomic
def take_down_notice(*, notice: Notice, by: User) -> Notice:
    workflows.transition(notice, N.TAKEN_DOWN, by=by, taken_down_at=timezone.now())
    return notice
