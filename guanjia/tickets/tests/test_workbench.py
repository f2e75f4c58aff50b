"""The service desk's tasks and figures on the workbench: each kind for its roles, not for
others, never another community's; counts that lead to the same filtered list; a query bound."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from guanjia.core.workbench.registry import figure_groups, task_kinds
from guanjia.core.workbench.selectors import (
    ROWS_PER_KIND,
    visible_figure_groups,
    visible_task_kinds,
    workbench,
)
from guanjia.tickets import services as s
from guanjia.tickets.tests.factories import actor, complaint, entry, repair

pytestmark = pytest.mark.django_db


def _codes(user: Any, community: Any) -> dict[str, int]:
    return {c.kind.code: c.total for c in workbench(user, community).counts}


def _letter(world: Any, community: Any, step: str) -> Any:
    e = entry(world, community, "suggestion", channel="letter", content="关于绿化的来函")
    if step in ("drafted", "checked"):
        desk = actor(world, community, "receptionist")
        e = s.draft_letter_reply(entry=e, text="您好，已安排。", by=desk)
    if step == "checked":
        e = s.check_letter_reply(entry=e, by=actor(world, community, "supervisor"))
    return e


TASK_ROLES = {
    # kind: (how to make one in a community, roles that see it, a role that does not)
    "complaint.classify": (
        lambda w, c: complaint(w, c),
        {"supervisor", "director"},
        "receptionist",
    ),
    "repair.dispatch": (lambda w, c: repair(w, c), {"engineering_lead"}, "technician"),
    "letter.check": (lambda w, c: _letter(w, c, "drafted"), {"supervisor"}, "director"),
    "letter.approve": (lambda w, c: _letter(w, c, "checked"), {"director"}, "supervisor"),
    "letter.reply": (lambda w, c: _letter(w, c, "none"), {"receptionist"}, "technician"),
    "complaint.reply": (
        lambda w, c: complaint(w, c, "resolved"),
        {"supervisor", "area_manager"},
        "engineering_lead",
    ),
}


@pytest.mark.parametrize("code", sorted(TASK_ROLES))
def test_each_task_kind_reaches_its_roles_and_nobody_else(world: Any, code: str) -> None:
    make, roles, outsider = TASK_ROLES[code]
    make(world, world.a)
    make(world, world.b)  # another community's task never counts
    for role in roles:
        assert _codes(world.user(role), world.a).get(code) == 1, role
    assert code not in _codes(world.user(outsider), world.a)


def test_a_technician_sees_his_own_jobs_and_their_verification_only(world: Any) -> None:
    repair(world, world.a, "accepted")
    repair(world, world.a, "completed")
    repair(world, world.b, "accepted")  # another community's technician
    counts = _codes(world.user("technician"), world.a)
    assert counts["repair.job"] == 1
    assert counts["repair.verify"] == 1
    colleague = actor(world, world.b, "technician")
    assert _codes(colleague, world.a) == {}  # sees nothing of community A


def test_my_complaints_to_resolve_are_the_handlers_only(world: Any) -> None:
    complaint(world, world.a, "handling")  # the factory makes the supervisor the handler
    assert _codes(world.user("supervisor"), world.a)["complaint.resolve"] == 1
    assert _codes(world.user("director"), world.a)["complaint.resolve"] == 0


def test_overdue_tasks_come_first_with_their_count(world: Any) -> None:
    with time_machine.travel(timezone.now() - dt.timedelta(days=5), tick=False):
        late = complaint(world, world.a)
    fresh = complaint(world, world.a)
    bench = workbench(world.user("supervisor"), world.a)
    classify = [t for t in bench.tasks if t.kind.code == "complaint.classify"]
    assert [t.title.split()[0] for t in classify] == [late.number, fresh.number]
    assert classify[0].overdue
    assert not classify[1].overdue
    count = next(c for c in bench.counts if c.kind.code == "complaint.classify")
    assert (count.total, count.overdue) == (2, 1)
    assert bench.tasks[0].overdue  # overdue first across all kinds


def test_each_count_links_to_a_list_showing_the_same_rows(world: Any) -> None:
    complaint(world, world.a)
    repair(world, world.a)
    _letter(world, world.a, "drafted")
    _letter(world, world.a, "checked")
    _letter(world, world.a, "none")
    complaint(world, world.a, "resolved")
    complaint(world, world.a, "handling")  # the supervisor's own (the factory's handler)
    repair(world, world.a, "completed")  # the technician's, to verify with the resident
    repair(world, world.b, "completed")
    counted = set()
    for role in ("supervisor", "engineering_lead", "director", "receptionist", "technician"):
        client = world.client(role)
        for count in workbench(world.user(role), world.a).counts:
            if not count.kind.code.startswith(("complaint.", "repair.", "letter.")):
                continue  # other apps' kinds are tested in their apps
            if count.kind.code == "repair.job":
                continue  # the technician's own page (my jobs), not a filtered list
            page = client.get(count.url)
            assert page.status_code == 200, count.url
            assert page.context["page_obj"].paginator.count == count.total, count.url
            if count.total:
                counted.add(count.kind.code)
    assert counted == {
        "complaint.classify",
        "complaint.resolve",
        "complaint.reply",
        "repair.dispatch",
        "repair.verify",
        "letter.reply",
        "letter.check",
        "letter.approve",
    }


def _all_tasks(world: Any, n: int) -> None:
    for _ in range(n):
        complaint(world, world.a)
        complaint(world, world.a, "handling")
        complaint(world, world.a, "resolved")
        repair(world, world.a)
        repair(world, world.a, "accepted")
        repair(world, world.a, "completed")
        _letter(world, world.a, "none")
        _letter(world, world.a, "drafted")
        _letter(world, world.a, "checked")


def _queries(user: Any, community: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        workbench(user, community)
    return len(ctx)


def test_the_workbench_costs_one_query_per_kind_and_figure_group_whatever_the_rows(
    world: Any,
) -> None:
    """The bound: one query per task kind plus one per figure group the user sees (with
    the user's access already computed), the same for 1 or ROWS_PER_KIND + 2 rows a kind."""
    supervisor = world.user("supervisor")
    _all_tasks(world, 1)
    few = _queries(supervisor, world.a)
    _all_tasks(world, ROWS_PER_KIND + 1)
    many = _queries(supervisor, world.a)
    bound = len(visible_task_kinds(supervisor, world.a)) + len(
        visible_figure_groups(supervisor, world.a)
    )
    assert few == many == bound
    assert bound <= len(task_kinds()) + len(figure_groups())
    bench = workbench(supervisor, world.a)
    assert len([t for t in bench.tasks if t.kind.code == "complaint.classify"]) == ROWS_PER_KIND


def test_today_s_figures_are_the_role_s(world: Any) -> None:
    entry(world, world.a, "complaint")
    entry(world, world.b, "complaint")
    with translation.override("zh-hans"):
        desk = workbench(world.user("receptionist"), world.a).figures
        assert [str(block.label) for block in desk] == ["前台今日"]
        assert [f.value for f in desk[0].figures] == [1, 1, 0, 1]
        lead = [str(b.label) for b in workbench(world.user("engineering_lead"), world.a).figures]
        tech = [str(b.label) for b in workbench(world.user("technician"), world.a).figures]
    assert "维修队列与时限" in lead
    assert "投诉队列与时限" not in lead
    assert tech == ["我的今日工作"]


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("zh-hans", ["工作台", "待分类投诉", "逾期"]),
        ("en", ["Workbench", "Complaints to classify", "Overdue by"]),
    ],
)
def test_the_home_page_is_the_workbench_in_both_languages(
    world: Any, language: str, words: list[str]
) -> None:
    with time_machine.travel(timezone.now() - dt.timedelta(days=5), tick=False):
        complaint(world, world.a)
    world.language = language
    page = world.client("supervisor").get(reverse("core:home"))
    assert page.status_code == 200
    text = page.content.decode()
    for word in words:
        assert word in text
    assert reverse("tickets:complaint-list") + "?status=registered" in text
    assert "<script>" not in text.split("<main", 1)[-1].split("</main>", 1)[0]
