from django.urls import path

from . import views

app_name = "policies"

urlpatterns = [
    path("", views.policy_list, name="list"),
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/<int:pk>/approve/", views.proposal_approve, name="proposal-approve"),
    path("proposals/<int:pk>/reject/", views.proposal_reject, name="proposal-reject"),
    path("<str:key>/", views.policy_detail, name="detail"),
    path("<str:key>/default/", views.policy_set_default, name="set-default"),
    path(
        "<str:key>/community/<int:community_pk>/",
        views.policy_set_override,
        name="set-override",
    ),
    path("<str:key>/propose/", views.policy_propose, name="propose"),
]
