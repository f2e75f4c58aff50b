from django.urls import path

from . import views

app_name = "passes"

urlpatterns = [
    path("", views.PassList.as_view(), name="pass-list"),
    path("new/", views.pass_create, name="pass-create"),
    path("<int:pk>/", views.pass_detail, name="pass-detail"),
    path("<int:pk>/print/", views.pass_print, name="pass-print"),
    path("<int:pk>/renew/", views.PassRenew.as_view(), name="pass-renew"),
    path("<int:pk>/change/", views.PassChange.as_view(), name="pass-change"),
    path("<int:pk>/return/", views.PassReturn.as_view(), name="pass-return"),
    path("<int:pk>/refund/", views.PassRefund.as_view(), name="pass-refund"),
    path("<int:pk>/forfeit/", views.PassForfeit.as_view(), name="pass-forfeit"),
    path("<int:pk>/lost/", views.PassLost.as_view(), name="pass-lost"),
    path("<int:pk>/reissue/", views.PassReissue.as_view(), name="pass-reissue"),
    path("<int:pk>/confiscate/", views.PassConfiscate.as_view(), name="pass-confiscate"),
    path("groups/", views.GroupList.as_view(), name="group-list"),
    path("groups/new/", views.group_create, name="group-create"),
    path("groups/<int:pk>/", views.group_detail, name="group-detail"),
    path("groups/<int:pk>/suspend/", views.GroupSuspend.as_view(), name="group-suspend"),
    path("groups/<int:pk>/resume/", views.GroupResume.as_view(), name="group-resume"),
    path("groups/<int:pk>/close/", views.GroupClose.as_view(), name="group-close"),
    path("gate/", views.gate, name="gate"),
    path("gate/visitor/", views.gate_visitor, name="gate-visitor"),
    path("gate/log/", views.GateLog.as_view(), name="gate-log"),
    path("slips/", views.SlipList.as_view(), name="slip-list"),
    path("slips/new/", views.slip_create, name="slip-create"),
    path("slips/<int:pk>/", views.slip_detail, name="slip-detail"),
    path("slips/<int:pk>/release/", views.SlipRelease.as_view(), name="slip-release"),
    path("slips/<int:pk>/cancel/", views.SlipCancel.as_view(), name="slip-cancel"),
    path("kpis/", views.kpis, name="kpis"),
]
