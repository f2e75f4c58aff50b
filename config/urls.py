from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from guanjia.accounts import language
from guanjia.accounts import views as account_views
from guanjia.core import views as core_views

api_v1 = [
    path("accounts/", include("guanjia.accounts.api")),
    path("policies/", include("guanjia.core.policies.api")),
    path("calendars/", include("guanjia.core.calendars.api")),
    path("jobs/", include("guanjia.core.jobs.api")),
    path("notifications/", include("guanjia.core.notifications.api")),
    path("documents/", include("guanjia.core.documents.api")),
    path("imports/", include("guanjia.core.imports.api")),
    path("estates/", include("guanjia.estates.api")),
    path("tickets/", include("guanjia.tickets.api")),
    path("billing/", include("guanjia.billing.api")),
    path("cashier/", include("guanjia.cashier.api")),
    path("visits/", include("guanjia.visits.api")),
    path("desk/", include("guanjia.desk.api")),
    path("movein/", include("guanjia.movein.api")),
    path("vacant/", include("guanjia.vacant.api")),
    path("passes/", include("guanjia.passes.api")),
    path("violations/", include("guanjia.violations.api")),
    path("attendance/", include("guanjia.attendance.api")),
    path("renovation/", include("guanjia.renovation.api")),
    path("conduct/", include("guanjia.conduct.api")),
    path("patrols/", include("guanjia.patrols.api")),
    path("training/", include("guanjia.training.api")),
    path("sanctions/", include("guanjia.sanctions.api")),
    path("plans/", include("guanjia.plans.api")),
    path("appraisal/", include("guanjia.appraisal.api")),
]

login_urls = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("security/", account_views.my_security, name="account-security"),
    path(
        "security/tokens/<int:pk>/revoke/",
        account_views.my_token_revoke,
        name="account-token-revoke",
    ),
    path("security/logout-everywhere/", account_views.logout_everywhere, name="logout-everywhere"),
]

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    # The language switch works before logging in too (it is on the login page).
    path("i18n/setlang/", login_not_required(language.set_language), name="set_language"),
    path("accounts/", include(login_urls)),
    path("staff/", include("guanjia.accounts.urls")),
    path("settings/policies/", include("guanjia.core.policies.urls")),
    path("calendar/", include("guanjia.core.calendars.urls")),
    path("jobs/", include("guanjia.core.jobs.urls")),
    path("inbox/", include("guanjia.core.notifications.urls")),
    path("documents/", include("guanjia.core.documents.urls")),
    path("imports/", include("guanjia.core.imports.urls")),
    # Uploaded files, only through the view that checks community and permission. There is
    # no public /media/ route in any setting (docs/files.md).
    path("files/", include("guanjia.core.files.urls")),
    path("estates/", include("guanjia.estates.urls")),
    path("billing/", include("guanjia.billing.urls")),
    path("cashier/", include("guanjia.cashier.urls")),
    path("tickets/", include("guanjia.tickets.urls")),
    path("visits/", include("guanjia.visits.urls")),
    path("desk/", include("guanjia.desk.urls")),
    path("movein/", include("guanjia.movein.urls")),
    path("vacant/", include("guanjia.vacant.urls")),
    path("passes/", include("guanjia.passes.urls")),
    path("violations/", include("guanjia.violations.urls")),
    path("attendance/", include("guanjia.attendance.urls")),
    path("renovation/", include("guanjia.renovation.urls")),
    path("conduct/", include("guanjia.conduct.urls")),
    path("patrols/", include("guanjia.patrols.urls")),
    path("training/", include("guanjia.training.urls")),
    path("sanctions/", include("guanjia.sanctions.urls")),
    path("plans/", include("guanjia.plans.urls")),
    path("appraisal/", include("guanjia.appraisal.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", login_not_required(SpectacularAPIView.as_view()), name="api-schema"),
    path(
        "api/docs/",
        login_not_required(SpectacularSwaggerView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("django-admin/", admin.site.urls),
    path("", include("guanjia.core.urls")),
]

handler404 = "guanjia.core.views.page_not_found"
handler500 = "guanjia.core.views.server_error"
