"""Training rows for tests: a plan in a state, a session today with invited staff, a test."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from guanjia.core.models import Community
from guanjia.tickets.tests.factories import actor
from guanjia.training import services
from guanjia.training.models import Assessment, TrainingPlan, TrainingSession


def content(**kw: Any) -> services.PlanContent:
    base = {
        "title": "年度培训计划",
        "topics": "服务礼仪\n投诉处理\n收费规定",
        "target_staff": "客服中心全体员工",
        "schedule": "每月一次",
        "trainer": "客服主管",
        "method": "授课、演练",
        "assessment_standard": "笔试60分合格",
        "budget": Decimal("3000.00"),
    }
    return services.PlanContent(**{**base, **kw})


def plan(world: Any, community: Community, state: str = "draft", **kw: Any) -> TrainingPlan:
    """A plan written by the community's supervisor; `submitted` or `approved` on request."""
    author = actor(world, community, "supervisor")
    made = services.create_plan(
        community=community,
        kind=kw.pop("kind", "annual"),
        year=kw.pop("year", timezone.localdate().year + 1),
        month=kw.pop("month", 0),
        content=content(**kw),
        by=author,
    )
    if state in ("submitted", "approved"):
        services.submit_plan(plan=made, by=author)
    if state == "approved":
        services.decide_plan(plan=made, approve=True, by=actor(world, community, "director"))
    return made


def session(
    world: Any,
    community: Community,
    *,
    invited: list[Any] | None = None,
    starts_at: dt.datetime | None = None,
    plan_row: TrainingPlan | None = None,
    hours: str = "2",
) -> TrainingSession:
    """A session today at the next full hour (or `starts_at`), given by the supervisor."""
    trainer = actor(world, community, "supervisor")
    people = invited if invited is not None else [actor(world, community, "receptionist")]
    start = starts_at or timezone.localtime().replace(minute=0, second=0, microsecond=0)
    return services.schedule_session(
        community=community,
        data=services.SessionData(
            topic="服务礼仪与用语",
            kind="on_the_job",
            trainer=trainer,
            starts_at=start,
            hours=Decimal(hours),
            place="会议室",
        ),
        invited=people,
        plan=plan_row,
        by=trainer,
    )


def written_test(world: Any, community: Community, **kw: Any) -> Assessment:
    """Two questions of 50 points, pass mark 60."""
    questions = [
        services.QuestionData("接听电话应在几声铃内？", ["三声", "五声", "十声"], 0, Decimal("50")),
        services.QuestionData("对业主应使用的称呼？", ["喂", "您好，先生/女士"], 1, Decimal("50")),
    ]
    return services.create_test(
        community=community,
        data=services.TestData(
            title=kw.pop("title", "礼仪笔试"),
            kind="written",
            pass_mark=Decimal(kw.pop("pass_mark", "60")),
            is_induction=kw.pop("is_induction", False),
        ),
        questions=questions,
        session=kw.pop("session", None),
        by=actor(world, community, "supervisor"),
    )


def practical_test(world: Any, community: Community) -> Assessment:
    return services.create_test(
        community=community,
        data=services.TestData(
            title="收费实操", kind="practical", pass_mark=Decimal("60"), max_score=Decimal("100")
        ),
        by=actor(world, community, "supervisor"),
    )
