"""Staff administration pages: accounts, their memberships and history.

Company administrators change accounts; director, supervisor, HR and auditor may look.
Every user has a security page of their own (password, API tokens, log out everywhere).
Each view: permission, scoped object, form, one service call, render or redirect.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guanjia.core.access import get_visible_or_404, has_perm_in, request_user, require_perm
from guanjia.core.imports.services import ExportFile, export_or_enqueue
from guanjia.core.models import Community
from guanjia.core.pages import apply_errors, paginate, query_without_page

from . import services
from .filters import StaffFilter
from .forms import (
    MembershipEndForm,
    MembershipForm,
    PasswordForm,
    ReasonForm,
    StaffCreateForm,
    StaffDetailsForm,
)
from .models import APPROVE_GRANT, ApiToken, Membership, RoleGrantRequest, User
from .selectors import (
    current_lockouts,
    grant_requests_of,
    pending_grant_requests,
    staff_history,
    staff_memberships,
    visible_memberships,
    with_current_memberships,
)

VIEW_USER = "accounts.view_user"
ADD_USER = "accounts.add_user"
CHANGE_USER = "accounts.change_user"
ADD_MEMBERSHIP = "accounts.add_membership"
CHANGE_MEMBERSHIP = "accounts.change_membership"


def _posted(request: HttpRequest) -> QueryDict | None:
    """The POST data (even empty, so an empty form shows its errors) or None for a GET."""
    return request.POST if request.method == "POST" else None


@require_GET
def staff_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, VIEW_USER)
    visible = User.objects.visible_to(request.user)
    filterset = StaffFilter(request.GET or None, queryset=visible, request=request)
    rows = with_current_memberships(filterset.qs, request_user(request))
    page = paginate(request, rows)
    template = "accounts/_user_table.html" if request.htmx else "accounts/user_list.html"  # type: ignore[attr-defined]
    context = {
        "filter": filterset,
        "page_obj": page,
        "query": query_without_page(request),
        "can_add": has_perm_in(request.user, ADD_USER, None),
    }
    return render(request, template, context)


@require_GET
def staff_export(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, VIEW_USER)
    params = {key: str(value) for key, value in request.GET.items() if key != "page"}
    try:
        result = export_or_enqueue(
            kind="staff", params=params, by=request_user(request), community=None
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(f"{reverse('accounts:staff-list')}?{query_without_page(request)}")
    if isinstance(result, ExportFile):
        response = HttpResponse(
            result.content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{result.name}"'
        return response
    messages.info(request, _("The export is large: it is being prepared in the background."))
    return redirect("jobs:jobrun-detail", pk=result.pk)


@require_http_methods(["GET", "POST"])
def staff_create(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, ADD_USER)
    form = StaffCreateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            new = services.create_staff(
                username=form.cleaned_data["username"],
                details=form.details(),
                password=form.cleaned_data["password"] or None,
                by=request_user(request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return render(request, "accounts/user_created.html", {"new": new, "staff": new.user})
    return render(request, "accounts/user_form.html", {"form": form, "staff": None})


@require_GET
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request.user, VIEW_USER)
    staff = get_visible_or_404(User, request.user, pk=pk)
    context = {
        "staff": staff,
        "memberships": staff_memberships(request_user(request), staff),
        "can_change": has_perm_in(request.user, CHANGE_USER, None),
        # Nobody grants themselves a role: no button on one's own page.
        "can_add_membership": staff.pk != request.user.pk
        and has_perm_in(request.user, ADD_MEMBERSHIP, None),
        "grant_requests": grant_requests_of(request_user(request), staff),
        "can_end_membership": has_perm_in(request.user, CHANGE_MEMBERSHIP, None),
        "reason_form": ReasonForm(),
        "end_form": MembershipEndForm(),
        "tokens": services.live_tokens(staff),
    }
    return render(request, "accounts/user_detail.html", context)


@require_GET
def staff_history_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request.user, VIEW_USER)
    staff = get_visible_or_404(User, request.user, pk=pk)
    context = {"staff": staff, "entries": staff_history(staff)}
    return render(request, "accounts/user_history.html", context)


@require_http_methods(["GET", "POST"])
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request.user, CHANGE_USER)
    staff = get_visible_or_404(User, request.user, pk=pk)
    initial = {n: getattr(staff, n) for n in ("full_name", "staff_no", "phone", "email")}
    form = StaffDetailsForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_staff(user=staff, details=form.details(), by=request_user(request))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The account was saved."))
            return redirect("accounts:staff-detail", pk=staff.pk)
    return render(request, "accounts/user_form.html", {"form": form, "staff": staff})


def _active_change(request: HttpRequest, pk: int, *, active: bool) -> HttpResponse:
    require_perm(request.user, CHANGE_USER)
    staff = get_visible_or_404(User, request.user, pk=pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(list(form.errors["reason"]))
        change = services.reactivate_staff if active else services.deactivate_staff
        change(user=staff, by=request_user(request), reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        done = _("The account was reactivated.") if active else _("The account was deactivated.")
        messages.success(request, done)
    return redirect("accounts:staff-detail", pk=staff.pk)


@require_POST
def staff_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _active_change(request, pk, active=False)


@require_POST
def staff_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _active_change(request, pk, active=True)


@require_http_methods(["GET", "POST"])
def staff_password(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request.user, CHANGE_USER)
    staff = get_visible_or_404(User, request.user, pk=pk)
    form = PasswordForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        password = form.cleaned_data["password"] or None
        try:
            new = services.set_staff_password(
                user=staff, password=password, by=request_user(request)
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return render(request, "accounts/user_created.html", {"new": new, "staff": staff})
    return render(request, "accounts/user_password.html", {"form": form, "staff": staff})


@require_http_methods(["GET", "POST"])
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request.user, ADD_MEMBERSHIP)
    staff = get_visible_or_404(User, request.user, pk=pk)
    communities = Community.objects.visible_to(request.user).filter(is_active=True)
    form = MembershipForm(_posted(request), communities=communities.order_by("name"))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            given = services.add_membership(
                user=staff, grant=form.grant(), by=request_user(request)
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except services.SelfGrantRefused as exc:
            form.add_error(None, str(exc))
            status = 403
        else:
            if isinstance(given, Membership):
                messages.success(request, _("The role was added."))
            else:
                messages.info(request, _(GRANT_PENDING))
            return redirect("accounts:staff-detail", pk=staff.pk)
    context = {"form": form, "staff": staff}
    return render(request, "accounts/membership_form.html", context, status=status)


GRANT_PENDING = gettext_noop(
    "This role approves money, policies or personal data: it takes effect once a second "
    "authorised person approves it."
)


@require_POST
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request.user, CHANGE_MEMBERSHIP)
    membership = get_object_or_404(visible_memberships(request_user(request)), pk=pk)
    form = MembershipEndForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(list(form.errors["ends_on"]))
        day = form.cleaned_data["ends_on"]
        services.end_membership(membership=membership, ends_on=day, by=request_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The membership was ended."))
    return redirect("accounts:staff-detail", pk=membership.user_id)


# --- Grants of sensitive roles, awaiting a second authorised person -------------------------


@require_GET
def grant_request_list(request: HttpRequest) -> HttpResponse:
    """Pending grants of sensitive roles, each with approve and reject (with a reason)."""
    require_perm(request.user, APPROVE_GRANT)
    page = paginate(request, pending_grant_requests(request_user(request)))
    context = {"page_obj": page, "query": query_without_page(request), "user_pk": request.user.pk}
    return render(request, "accounts/rolegrantrequest_list.html", context)


def _decide_grant(request: HttpRequest, pk: int, *, approve: bool) -> HttpResponse:
    require_perm(request.user, APPROVE_GRANT)
    grant = get_visible_or_404(RoleGrantRequest, request.user, pk=pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(list(form.errors["reason"]))
        reason, by = form.cleaned_data["reason"], request_user(request)
        if approve:
            services.approve_role_grant(request=grant, by=by, reason=reason)
        else:
            services.reject_role_grant(request=grant, by=by, reason=reason)
    except (ValidationError, PermissionDenied) as exc:  # refusals by rule: shown, not a 403 page
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        done = _("The role was granted.") if approve else _("The role grant was rejected.")
        messages.success(request, done)
    return redirect("accounts:grant-request-list")


@require_POST
def grant_request_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide_grant(request, pk, approve=True)


@require_POST
def grant_request_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide_grant(request, pk, approve=False)


# --- Login lockouts (helper "security") -----------------------------------------------------

UNLOCK_USER = "accounts.unlock_user"


@require_GET
def lockout_list(request: HttpRequest) -> HttpResponse:
    """Accounts locked out after too many failed logins, each with an unlock button."""
    require_perm(request.user, UNLOCK_USER)
    lockouts = current_lockouts(request_user(request))
    return render(request, "registration/lockout_list.html", {"lockouts": lockouts})


@require_POST
def staff_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    """Lift an account's lockout at once instead of waiting for the cool-off time."""
    require_perm(request.user, UNLOCK_USER)
    staff = get_visible_or_404(User, request.user, pk=pk)
    services.unlock_account(user=staff, by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("%(name)s can log in again.") % {"name": staff.display_name})
    return redirect("accounts:lockout-list")


# --- API tokens and "log out everywhere" (ADR 0006) -----------------------------------------


@require_GET
def my_security(request: HttpRequest) -> HttpResponse:
    """The user's own security page: password, API tokens, log out everywhere."""
    tokens = services.live_tokens(request_user(request))
    return render(request, "accounts/my_security.html", {"tokens": tokens})


@require_POST
def my_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of one's own tokens (another user's token: 404)."""
    user = request_user(request)
    token = get_object_or_404(ApiToken, pk=pk, user=user)
    services.revoke_api_token(token=token, by=user)
    messages.success(request, _("The API token “%(name)s” was revoked.") % {"name": token})
    return redirect("account-security")


@require_POST
def logout_everywhere(request: HttpRequest) -> HttpResponse:
    """End every other session and every API token; this browser stays logged in."""
    user = request_user(request)
    count = services.log_out_everywhere(user=user)
    update_session_auth_hash(request, user)
    message = _("You were logged out everywhere else; %(count)d API tokens were revoked.")
    messages.success(request, message % {"count": count})
    return redirect("account-security")


@require_POST
def staff_token_revoke(request: HttpRequest, pk: int, token_pk: int) -> HttpResponse:
    """An administrator revokes one API token of a staff account."""
    require_perm(request.user, CHANGE_USER)
    staff = get_visible_or_404(User, request.user, pk=pk)
    token = get_object_or_404(ApiToken, pk=token_pk, user=staff)
    services.revoke_api_token(token=token, by=request_user(request))
    messages.success(request, _("The API token “%(name)s” was revoked.") % {"name": token})
    return redirect("accounts:staff-detail", pk=staff.pk)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page for changing one's own password; the API tokens end with the old one."""

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        services.revoke_all_api_tokens(user=form.user)
        return response
