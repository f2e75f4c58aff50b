from django.urls import path

from . import kpis
from .views import people, plans, sessions, tests

app_name = "training"

urlpatterns = [
    path("mine/", people.mine, name="mine"),
    path("staff/<int:pk>/", people.staff_file, name="staff-file"),
    path("materials/", people.materials, name="materials"),
    path("inductions/", people.InductionList.as_view(), name="induction-list"),
    path("inductions/assign/", people.induction_assign, name="induction-assign"),
    path("plans/", plans.PlanList.as_view(), name="plan-list"),
    path("plans/new/", plans.plan_new, name="plan-new"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/submit/", plans.plan_submit, name="plan-submit"),
    path("plans/<int:pk>/approve/", plans.plan_approve, name="plan-approve"),
    path("plans/<int:pk>/return/", plans.plan_return, name="plan-return"),
    path("sessions/", sessions.SessionList.as_view(), name="session-list"),
    path("sessions/new/", sessions.session_new, name="session-new"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session-detail"),
    path("sessions/<int:pk>/print/", sessions.session_print, name="session-print"),
    path("sessions/<int:pk>/sign-in/", sessions.session_sign_in, name="session-sign-in"),
    path("sessions/<int:pk>/sheet/", sessions.session_sheet, name="session-sheet"),
    path("sessions/<int:pk>/scan/", sessions.session_scan, name="session-scan"),
    path("sessions/<int:pk>/material/", sessions.session_material, name="session-material"),
    path("sessions/<int:pk>/move/", sessions.session_move, name="session-move"),
    path("sessions/<int:pk>/cancel/", sessions.session_cancel, name="session-cancel"),
    path("sessions/<int:pk>/held/", sessions.session_hold, name="session-hold"),
    path("tests/", tests.TestList.as_view(), name="test-list"),
    path("tests/new/", tests.test_new, name="test-new"),
    path("tests/<int:pk>/", tests.test_detail, name="test-detail"),
    path("tests/<int:pk>/take/", tests.test_take, name="test-take"),
    path("tests/<int:pk>/record/", tests.test_record, name="test-record"),
    path("kpis/", kpis.kpi_page, name="kpis"),
]
