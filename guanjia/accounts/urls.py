from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.staff_list, name="staff-list"),
    path("new/", views.staff_create, name="staff-create"),
    path("export/", views.staff_export, name="staff-export"),
    path("<int:pk>/", views.staff_detail, name="staff-detail"),
    path("<int:pk>/history/", views.staff_history_view, name="staff-history"),
    path("<int:pk>/edit/", views.staff_edit, name="staff-edit"),
    path("<int:pk>/password/", views.staff_password, name="staff-password"),
    path("<int:pk>/deactivate/", views.staff_deactivate, name="staff-deactivate"),
    path("<int:pk>/reactivate/", views.staff_reactivate, name="staff-reactivate"),
    path("<int:pk>/memberships/new/", views.membership_add, name="membership-add"),
    path("memberships/<int:pk>/end/", views.membership_end, name="membership-end"),
    path("grants/", views.grant_request_list, name="grant-request-list"),
    path("grants/<int:pk>/approve/", views.grant_request_approve, name="grant-request-approve"),
    path("grants/<int:pk>/reject/", views.grant_request_reject, name="grant-request-reject"),
    path("lockouts/", views.lockout_list, name="lockout-list"),
    path("<int:pk>/unlock/", views.staff_unlock, name="staff-unlock"),
    path(
        "<int:pk>/tokens/<int:token_pk>/revoke/",
        views.staff_token_revoke,
        name="staff-token-revoke",
    ),
]
