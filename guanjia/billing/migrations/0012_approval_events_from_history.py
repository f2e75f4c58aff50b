"""Each existing fee standard, rate version and waiver request gets its approval history as
workflow events: from the rows' simple-history (every proposal and decision it recorded,
including the changes to approved standards), or, for a row without history, from the
columns it kept (proposed by, decided by)."""

from django.db import migrations

DECIDED = ("approved", "rejected")


def _event(row, key, actor_id, at, action, old, new, note="", data=None):
    return {
        key: row,
        "actor_id": actor_id,
        "at": at,
        "action": action,
        "from_status": old,
        "to_status": new,
        "note": (note or "")[:4000],
        "data": data or {},
    }


def _decision(row, key, h, old):
    new = h.approval_status
    reference = h.approval_ref if new == "approved" else ""
    return _event(
        row,
        key,
        h.decided_by_id or h.history_user_id,
        h.decided_at or h.history_date,
        new,
        old,
        new,
        h.rejection_reason if new == "rejected" else h.approval_ref,
        {"decision": new, "reference": reference},
    )


def _change_applied(h, pending):
    """Whether the values of a change awaiting approval became the standard's (approved)."""
    for name, value in pending.items():
        attname = "common_meter_id" if name == "common_meter" else name
        current = getattr(h, attname, None)
        if isinstance(current, list) and isinstance(value, list):
            if sorted(map(str, current)) == sorted(map(str, value)):
                return True
        elif str(current) == str(value):
            return True
    return False


def _from_history(row, key, rows):
    events, prev = [], None
    for h in rows:
        status = h.approval_status
        if prev is None:
            action = "requested" if status == "proposed" else "created"
            actor = h.proposed_by_id or h.history_user_id
            events.append(
                _event(row, key, actor, h.proposed_at or h.history_date, action, "", status)
            )
            if status in DECIDED and h.decided_by_id:
                events[-1]["action"] = "requested"
                events[-1]["to_status"] = "proposed"
                events.append(_decision(row, key, h, "proposed"))
        elif status != prev.approval_status:
            if status == "proposed":
                events.append(
                    _event(
                        row,
                        key,
                        h.proposed_by_id or h.history_user_id,
                        h.proposed_at or h.history_date,
                        "requested",
                        prev.approval_status,
                        status,
                    )
                )
            else:
                events.append(_decision(row, key, h, prev.approval_status))
        elif key == "standard":
            before, now = prev.pending_change or {}, h.pending_change or {}
            if now and now != before:
                events.append(
                    _event(
                        row,
                        key,
                        h.proposed_by_id or h.history_user_id,
                        h.proposed_at or h.history_date,
                        "change_requested",
                        status,
                        status,
                        data={"change": now},
                    )
                )
            elif before and not now:
                decided = h.decided_at != prev.decided_at
                actor = h.decided_by_id if decided else h.history_user_id
                if not decided:
                    action, note, data = "change_withdrawn", "", {"change": before}
                elif _change_applied(h, before):
                    action, note = "change_approved", h.approval_ref
                    data = {"decision": "approved", "reference": h.approval_ref, "change": before}
                else:
                    action, note = "change_rejected", h.history_change_reason or ""
                    data = {"decision": "rejected", "change": before}
                at = h.decided_at if decided else h.history_date
                events.append(_event(row, key, actor, at, action, status, status, note, data))
        prev = h
    return events


def _from_columns(row, key):
    status = row.approval_status
    if status == "approved" and row.proposed_by_id is None and row.decided_by_id is None:
        return [_event(row, key, None, row.created_at, "created", "", status)]
    events = [
        _event(row, key, row.proposed_by_id, row.proposed_at or row.created_at, "requested", "", "proposed")
    ]
    if status in DECIDED:

        class Snapshot:
            pass

        h = Snapshot()
        h.approval_status, h.approval_ref = status, row.approval_ref
        h.rejection_reason, h.decided_by_id = row.rejection_reason, row.decided_by_id
        h.decided_at, h.history_user_id, h.history_date = row.decided_at, None, row.updated_at
        events.append(_decision(row, key, h, "proposed"))
    return events


def _carry(apps, model_name, event_name, key):
    Model = apps.get_model("billing", model_name)
    History = apps.get_model("billing", f"Historical{model_name}")
    Event = apps.get_model("billing", event_name)
    made = []
    for row in Model.objects.all().iterator():
        rows = list(History.objects.filter(id=row.pk).order_by("history_date", "history_id"))
        found = _from_history(row, key, rows) if rows else _from_columns(row, key)
        made += [Event(**fields) for fields in found]
    Event.objects.bulk_create(made, batch_size=500)


def events_from_history(apps, schema_editor):
    _carry(apps, "FeeStandard", "FeeStandardEvent", "standard")
    _carry(apps, "FeeStandardVersion", "FeeStandardVersionEvent", "version")
    Waiver = apps.get_model("billing", "WaiverRequest")
    WaiverEvent = apps.get_model("billing", "WaiverRequestEvent")
    WaiverEvent.objects.bulk_create(
        [
            WaiverEvent(
                request=waiver,
                actor_id=waiver.requested_by_id,
                at=waiver.created_at,
                action="requested",
                from_status="",
                to_status=waiver.status,
                note=waiver.reason,
                data={"amount": f"{waiver.amount:.2f}"},
            )
            for waiver in Waiver.objects.all().iterator()
        ],
        batch_size=500,
    )


def drop_events(apps, schema_editor):
    for name in ("FeeStandardEvent", "FeeStandardVersionEvent", "WaiverRequestEvent"):
        apps.get_model("billing", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("billing", "0011_approval_workflow_events")]

    operations = [migrations.RunPython(events_from_history, drop_events)]
