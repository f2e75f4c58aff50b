"""Every visits route and its promises (see guanjia/core/tests/matrix.py)."""

from guanjia.core.tests.matrix import RouteCase
from guanjia.visits.models import Questionnaire

from .factories import complaint_visit

LIST = "a list shows the current community's rows only"
REPORT = "a report of the current community"
GENERATE = "generates in the current community"
API_LIST = "a list holds the caller's communities only"

ANSWERS = {
    "method": "phone",
    "quality": "satisfied",
    "timeliness": "satisfied",
    "attitude": "fairly",
    "conduct": "satisfied",
    "satisfaction": "satisfied",
}


def unscoped(name, allowed, denied=None, why=LIST, **kw):
    return RouteCase(name, allowed=allowed, denied=denied, scoped=False, why_unscoped=why, **kw)


def visit(w, c):
    return {"pk": complaint_visit(w, c).pk}


def recorded(w, c):
    from guanjia.visits import services

    from .factories import actor, answers

    v = complaint_visit(w, c)
    services.record_visit(visit=v, answers=answers(), by=actor(w, c, "area_manager"))
    return {"pk": v.pk}


def survey(w, c):
    from guanjia.visits.services.surveys import create_questionnaire

    from .factories import households
    from .test_surveys import QUESTIONS

    households(c, 1)
    boss = actor_of(w, c, "supervisor")
    q = create_questionnaire(
        community=c, title="年度调查", year=today().year, intro="", questions=QUESTIONS, by=boss
    )
    return {"pk": q.pk}


def sent_token(w, c):
    from guanjia.visits.models import SurveyInvite
    from guanjia.visits.services.surveys import send_survey, token_for

    pk = survey(w, c)["pk"]
    q = Questionnaire.objects.get(pk=pk)
    send_survey(
        questionnaire=q, channel="sms", base_url="https://x", by=actor_of(w, c, "supervisor")
    )
    return {"token": token_for(SurveyInvite.objects.filter(questionnaire=q).first())}


def actor_of(w, c, role):
    from .factories import actor

    return actor(w, c, role)


def today():
    from django.utils import timezone

    return timezone.localdate()


def planned_body(w, c):
    from .factories import households

    unit = households(c, 1)[0]
    return {
        "community": c.pk,
        "kind": "special",
        "unit": unit.pk,
        "due_on": today().isoformat(),
        "purpose": "家政合同中期",
    }


def entered_body(w, c):
    from guanjia.estates.models import Unit

    q = Questionnaire.objects.filter(community=c).latest("pk")
    unit = Unit.objects.filter(community=c).first()
    return {
        "unit": unit.pk,
        "answers": {str(pk): "satisfied" for pk in q.questions.values_list("pk", flat=True)},
    }


def api(name, allowed, denied=None, method="GET", **kw):
    return RouteCase(
        f"visits-api:{name}", allowed=allowed, denied=denied, method=method, api=True, **kw
    )


ROUTES = [
    unscoped("visits:plans", "supervisor", "technician", max_queries=14),
    unscoped("visits:plan-visit", "supervisor", "receptionist", max_queries=12),
    unscoped("visits:surveys", "receptionist", "technician", max_queries=12),
    RouteCase(
        "visits:survey-detail",
        allowed="receptionist",
        denied="technician",
        kwargs=survey,
        max_queries=17,
    ),
    RouteCase(
        "visits:survey-export",
        allowed="director",
        denied="technician",
        kwargs=survey,
        max_queries=15,
    ),
    RouteCase(
        "visits:survey-send",
        allowed="supervisor",
        denied="receptionist",
        method="POST",
        kwargs=survey,
        data=lambda w, c: {"channel": "sms"},
        max_queries=30,
    ),
    RouteCase(
        "visits:survey-enter",
        allowed="area_manager",
        denied="technician",
        kwargs=survey,
        max_queries=12,
    ),
    RouteCase(
        "visits:survey-answer",
        allowed=None,
        public=True,
        kwargs=sent_token,
        scoped=False,
        max_queries=6,
    ),
    unscoped("visits:visit-list", "receptionist", "technician", max_queries=12),
    unscoped("visits:review", "supervisor", "receptionist", max_queries=14),
    unscoped(
        "visits:generate", "supervisor", "receptionist", method="POST", why=GENERATE, max_queries=21
    ),
    unscoped("visits:kpis", "supervisor", "receptionist", why=REPORT, max_queries=12),
    unscoped("visits:kpis-export", "director", "technician", why=REPORT, max_queries=11),
    RouteCase(
        "visits:visit-detail",
        allowed="area_manager",
        denied="technician",
        kwargs=visit,
        max_queries=14,
    ),
    RouteCase(
        "visits:visit-record",
        allowed="area_manager",
        denied="cashier",
        method="POST",
        kwargs=visit,
        data=lambda w, c: {f"record-{k}": v for k, v in ANSWERS.items()},
        max_queries=28,
    ),
    RouteCase(
        "visits:visit-attempt",
        allowed="area_manager",
        denied="cashier",
        method="POST",
        kwargs=visit,
        data=lambda w, c: {"attempt-outcome": "no_answer"},
        max_queries=25,
    ),
    RouteCase(
        "visits:visit-decline",
        allowed="area_manager",
        denied="cashier",
        method="POST",
        kwargs=visit,
        data=lambda w, c: {"decline-note": "不需要"},
        max_queries=21,
    ),
    RouteCase(
        "visits:visit-review",
        allowed="director",
        denied="area_manager",
        method="POST",
        kwargs=recorded,
        data=lambda w, c: {"review-note": "已阅"},
        max_queries=20,
    ),
    api(
        "visit-list",
        "receptionist",
        "technician",
        scoped=False,
        why_unscoped=API_LIST,
        max_queries=11,
    ),
    api("visit-detail", "receptionist", "technician", kwargs=visit, max_queries=11),
    api(
        "visit-record",
        "area_manager",
        "cashier",
        method="POST",
        kwargs=visit,
        data=lambda w, c: ANSWERS,
        max_queries=30,
    ),
    api(
        "visit-attempt",
        "area_manager",
        "cashier",
        method="POST",
        kwargs=visit,
        data=lambda w, c: {"outcome": "no_answer"},
        max_queries=27,
    ),
    api(
        "visit-review",
        "director",
        "area_manager",
        method="POST",
        kwargs=recorded,
        data=lambda w, c: {"note": "已阅"},
        max_queries=22,
    ),
    api(
        "generate",
        "supervisor",
        "receptionist",
        method="POST",
        data=lambda w, c: {"community": c.pk},
        max_queries=22,
    ),
    api(
        "plan-list",
        "receptionist",
        "technician",
        scoped=False,
        why_unscoped=API_LIST,
        max_queries=11,
    ),
    api(
        "plan-visit",
        "supervisor",
        "receptionist",
        method="POST",
        data=planned_body,
        ok=(201,),
        max_queries=22,
    ),
    api(
        "survey-list",
        "receptionist",
        "technician",
        scoped=False,
        why_unscoped=API_LIST,
        max_queries=11,
    ),
    api("survey-detail", "receptionist", "technician", kwargs=survey, max_queries=11),
    api("survey-results", "receptionist", "technician", kwargs=survey, max_queries=15),
    api(
        "survey-send",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=survey,
        data=lambda w, c: {"channel": "sms"},
        max_queries=30,
    ),
    api(
        "survey-enter",
        "area_manager",
        "technician",
        method="POST",
        kwargs=survey,
        data=entered_body,
        ok=(201,),
        max_queries=30,
    ),
    api(
        "kpis",
        "supervisor",
        "receptionist",
        data=lambda w, c: {
            "community": c.pk,
            "start": today().isoformat(),
            "end": today().isoformat(),
        },
        max_queries=11,
    ),
]
