"""Every training route and its promises (see guanjia/core/tests/matrix.py)."""

from django.utils import timezone

from guanjia.core.tests.matrix import RouteCase

from .factories import plan, practical_test, session, written_test

LIST = "a list shows the current community's rows only"
MAKE = "creates in the current community"
OWN = "the caller's own training in the current community"
API_LIST = "a list holds the caller's communities only (and their own sessions)"
STATIC = "the manual's procedures, the same for every community"


def unscoped(name, allowed, denied="admin", why=LIST, **kw):
    return RouteCase(name, allowed=allowed, denied=denied, scoped=False, why_unscoped=why, **kw)


def api(name, allowed, denied="admin", method="GET", **kw):
    return RouteCase(
        f"training-api:{name}", allowed=allowed, denied=denied, method=method, api=True, **kw
    )


def draft(w, c):
    return {"pk": plan(w, c).pk}


def submitted(w, c):
    return {"pk": plan(w, c, "submitted").pk}


def session_pk(w, c):
    return {"pk": session(w, c).pk}


def own_session(w, c):
    """A session today to which the receptionist (the allowed role) is invited."""
    from guanjia.tickets.tests.factories import actor

    return {"pk": session(w, c, invited=[actor(w, c, "receptionist")]).pk}


def written(w, c):
    return {"pk": written_test(w, c).pk}


def practical(w, c):
    return {"pk": practical_test(w, c).pk}


def employee(w, c):
    from guanjia.tickets.tests.factories import actor

    return {"pk": actor(w, c, "receptionist").pk}


def _receptionist(w, c):
    from guanjia.tickets.tests.factories import actor

    return actor(w, c, "receptionist").pk


def _plan_body(w, c):
    return {
        "community": c.pk,
        "kind": "annual",
        "year": 2040,
        "title": "年度培训计划",
        "topics": "礼仪",
        "target_staff": "全体",
        "budget": "100.00",
    }


def _plan_form(w, c):
    return {
        "kind": "annual",
        "year": "2040",
        "title": "年度培训计划",
        "topics": "礼仪",
        "target_staff": "全体",
        "budget": "100",
    }


def _start():
    return timezone.localtime().replace(minute=0, second=0, microsecond=0)


def _session_body(w, c):
    from guanjia.tickets.tests.factories import actor

    return {
        "community": c.pk,
        "kind": "on_the_job",
        "topic": "投诉处理",
        "trainer": actor(w, c, "supervisor").pk,
        "starts_at": _start().isoformat(),
        "hours": "2",
        "invited": [_receptionist(w, c)],
    }


def _session_form(w, c):
    from guanjia.tickets.tests.factories import actor

    return {
        "kind": "on_the_job",
        "topic": "投诉处理",
        "trainer": str(actor(w, c, "supervisor").pk),
        "starts_at": _start().strftime("%Y-%m-%dT%H:%M"),
        "hours": "2",
        "invited": [str(_receptionist(w, c))],
    }


def _test_body(w, c):
    return {
        "community": c.pk,
        "title": "礼仪笔试",
        "kind": "written",
        "pass_mark": "60",
        "questions": [
            {"text": "几声铃内接听？", "choices": ["三", "十"], "answer": 0, "points": "100"}
        ],
    }


def _test_form(w, c):
    return {
        "title": "礼仪笔试",
        "kind": "written",
        "pass_mark": "60",
        "questions": "几声铃内接听？ | 三声 | 十声 | A | 100",
    }


def _answers_form(w, c):
    from guanjia.training.models import Assessment

    test = Assessment.objects.filter(community=c).order_by("-pk").first()
    return {f"q-{q.pk}": str(q.answer) for q in test.questions.all()}


def _answers_body(w, c):
    from guanjia.training.models import Assessment

    test = Assessment.objects.filter(community=c).order_by("-pk").first()
    return {"answers": [{"question": q.pk, "choice": q.answer} for q in test.questions.all()]}


def _score_form(w, c):
    return {"employee": str(_receptionist(w, c)), "score": "80"}


def _score_body(w, c):
    return {"employee": _receptionist(w, c), "score": "80"}


def _sheet_form(w, c):
    return {"present": [str(_receptionist(w, c))]}


def _sheet_body(w, c):
    return {"present": [_receptionist(w, c)]}


ROUTES = [
    unscoped("training:mine", "receptionist", why=OWN, max_queries=16),
    RouteCase(
        "training:staff-file",
        allowed="supervisor",
        denied="receptionist",
        kwargs=employee,
        max_queries=18,
    ),
    unscoped("training:materials", "receptionist", why=STATIC, max_queries=10),
    unscoped("training:induction-list", "supervisor", "receptionist", max_queries=14),
    unscoped(
        "training:induction-assign",
        "supervisor",
        "receptionist",
        method="POST",
        why=MAKE,
        data=lambda w, c: {"employee": str(_receptionist(w, c))},
        max_queries=20,
    ),
    unscoped("training:plan-list", "director", "receptionist", max_queries=12),
    unscoped("training:plan-new", "supervisor", "director", why=MAKE, max_queries=10),
    unscoped(
        "training:plan-new",
        "supervisor",
        "director",
        method="POST",
        why=MAKE,
        data=_plan_form,
        max_queries=20,
    ),
    RouteCase(
        "training:plan-detail",
        allowed="director",
        denied="receptionist",
        kwargs=draft,
        max_queries=14,
    ),
    RouteCase(
        "training:plan-edit", allowed="supervisor", denied="director", kwargs=draft, max_queries=12
    ),
    RouteCase(
        "training:plan-submit",
        allowed="supervisor",
        denied="receptionist",
        method="POST",
        kwargs=draft,
        data=lambda w, c: {},
        max_queries=24,
    ),
    RouteCase(
        "training:plan-approve",
        allowed="director",
        denied="receptionist",
        method="POST",
        kwargs=submitted,
        data=lambda w, c: {},
        max_queries=26,
    ),
    RouteCase(
        "training:plan-return",
        allowed="director",
        denied="receptionist",
        method="POST",
        kwargs=submitted,
        data=lambda w, c: {"reason": "预算过高"},
        max_queries=26,
    ),
    unscoped("training:session-list", "supervisor", "receptionist", max_queries=12),
    unscoped("training:session-new", "supervisor", "receptionist", why=MAKE, max_queries=14),
    unscoped(
        "training:session-new",
        "supervisor",
        "receptionist",
        method="POST",
        why=MAKE,
        data=_session_form,
        max_queries=30,
    ),
    RouteCase(
        "training:session-detail",
        allowed="receptionist",
        denied="admin",
        kwargs=session_pk,
        max_queries=24,
    ),
    RouteCase(
        "training:session-print",
        allowed="supervisor",
        denied="receptionist",
        kwargs=session_pk,
        max_queries=14,
    ),
    RouteCase(
        "training:session-sign-in",
        allowed="receptionist",
        denied="admin",
        method="POST",
        kwargs=own_session,
        data=lambda w, c: {},
        max_queries=20,
    ),
    RouteCase(
        "training:session-sheet",
        allowed="supervisor",
        denied="receptionist",
        method="POST",
        kwargs=session_pk,
        data=_sheet_form,
        max_queries=30,
    ),
    RouteCase(
        "training:session-scan",
        allowed="supervisor",
        denied="receptionist",
        method="POST",
        kwargs=session_pk,
        data=lambda w, c: {"file": _pdf()},
        max_queries=22,
    ),
    RouteCase(
        "training:session-material",
        allowed="supervisor",
        denied="receptionist",
        method="POST",
        kwargs=session_pk,
        data=lambda w, c: {"manual_code": "QW-21-07"},
        max_queries=22,
    ),
    RouteCase(
        "training:session-move",
        allowed="supervisor",
        denied="receptionist",
        method="POST",
        kwargs=session_pk,
        data=lambda w, c: {"move-starts_at": "2040-01-02T09:00", "move-reason": "台风"},
        max_queries=26,
    ),
    RouteCase(
        "training:session-cancel",
        allowed="supervisor",
        denied="receptionist",
        method="POST",
        kwargs=session_pk,
        data=lambda w, c: {"cancel-reason": "台风"},
        max_queries=26,
    ),
    RouteCase(
        "training:session-hold",
        allowed="supervisor",
        denied="receptionist",
        method="POST",
        kwargs=session_pk,
        data=lambda w, c: {},
        max_queries=24,
    ),
    unscoped("training:test-list", "supervisor", "receptionist", max_queries=12),
    unscoped("training:test-new", "supervisor", "receptionist", why=MAKE, max_queries=12),
    unscoped(
        "training:test-new",
        "supervisor",
        "receptionist",
        method="POST",
        why=MAKE,
        data=_test_form,
        max_queries=20,
    ),
    RouteCase(
        "training:test-detail",
        allowed="receptionist",
        denied="admin",
        kwargs=written,
        max_queries=16,
    ),
    RouteCase(
        "training:test-take", allowed="receptionist", denied="admin", kwargs=written, max_queries=12
    ),
    RouteCase(
        "training:test-take",
        allowed="receptionist",
        denied="admin",
        method="POST",
        kwargs=written,
        data=_answers_form,
        max_queries=20,
    ),
    RouteCase(
        "training:test-record",
        allowed="supervisor",
        denied="receptionist",
        method="POST",
        kwargs=practical,
        data=_score_form,
        max_queries=24,
    ),
    unscoped("training:kpis", "director", "receptionist", max_queries=16),
    api(
        "plan-list", "director", "receptionist", scoped=False, why_unscoped=API_LIST, max_queries=10
    ),
    api(
        "plan-list",
        "supervisor",
        "director",
        method="POST",
        ok=(201,),
        data=_plan_body,
        max_queries=20,
    ),
    api("plan-detail", "director", kwargs=draft, max_queries=10),
    api(
        "plan-submit",
        "supervisor",
        method="POST",
        kwargs=draft,
        data=lambda w, c: {},
        max_queries=22,
    ),
    api(
        "plan-approve",
        "director",
        method="POST",
        kwargs=submitted,
        data=lambda w, c: {},
        max_queries=24,
    ),
    api(
        "plan-return",
        "director",
        method="POST",
        kwargs=submitted,
        data=lambda w, c: {"reason": "预算过高"},
        max_queries=24,
    ),
    api("session-list", "receptionist", scoped=False, why_unscoped=API_LIST, max_queries=10),
    api(
        "session-list",
        "supervisor",
        "receptionist",
        method="POST",
        ok=(201,),
        data=_session_body,
        max_queries=30,
    ),
    api("session-detail", "supervisor", kwargs=session_pk, max_queries=10),
    api(
        "session-sign-in",
        "receptionist",
        method="POST",
        kwargs=own_session,
        data=lambda w, c: {},
        max_queries=20,
    ),
    api(
        "session-sheet",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=session_pk,
        data=_sheet_body,
        max_queries=30,
    ),
    api(
        "session-cancel",
        "supervisor",
        "receptionist",
        method="POST",
        kwargs=session_pk,
        data=lambda w, c: {"reason": "台风"},
        max_queries=26,
    ),
    api("test-list", "receptionist", scoped=False, why_unscoped=API_LIST, max_queries=10),
    api(
        "test-list",
        "supervisor",
        "receptionist",
        method="POST",
        ok=(201,),
        data=_test_body,
        max_queries=20,
    ),
    api("test-detail", "receptionist", kwargs=written, max_queries=10),
    api(
        "test-take",
        "receptionist",
        method="POST",
        ok=(201,),
        kwargs=written,
        data=_answers_body,
        max_queries=20,
    ),
    api(
        "test-record",
        "supervisor",
        "receptionist",
        method="POST",
        ok=(201,),
        kwargs=practical,
        data=_score_body,
        max_queries=24,
    ),
]


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        "sheet.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf"
    )
