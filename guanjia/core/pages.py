"""What every app's page views share: the current community (with a permission), a service's
refusal shown on its form, lists cut into pages of one size, and the community-scoped list,
create, update, detail and action views built on them.

One copy here; an app's views import these rather than writing their own (docs/new-app.md,
"Page and API helpers")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.forms import BaseForm, Form
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DetailView, ListView, UpdateView, View

from guanjia.core.access import get_visible_or_404, has_perm_in, require_perm
from guanjia.core.http import community_of

from .models import Community

PAGE_SIZE = 25  # rows a list page shows, in every app


def current_community(request: HttpRequest, perm: str | None = None) -> Community:
    """The community the user works in now, where they hold `perm` (when given).

    No current community (the user has no membership anywhere) is a 403, as is a missing
    permission: there is nothing of theirs to show, rather than a page that is not there."""
    community = community_of(request)
    if community is None:
        raise PermissionDenied
    if perm:
        require_perm(request.user, perm, community)
    return community


def apply_errors(form: BaseForm, exc: ValidationError) -> None:
    """A service's ValidationError shown on the form: on its field when the form has it,
    above the form otherwise."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def submit(request: HttpRequest, form: BaseForm, act: Callable[[], Any], done: Any) -> bool:
    """A valid form handed to one service (`act`, reading `form.cleaned_data`): True when
    done (with the `done` message), False when the form or the service refused it (the
    service's ValidationError is then on the form: show the page again with status 400)."""
    if not form.is_valid():
        return False
    try:
        act()
    except ValidationError as exc:
        apply_errors(form, exc)
        return False
    messages.success(request, done)
    return True


def paginate(request: HttpRequest, rows: Any, per_page: int = PAGE_SIZE) -> Page:
    """The page `?page=` asks for (the last one past the end, the first for anything else)."""
    return Paginator(rows, per_page).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    """The list's query string (its filters) without `page`, for the pager's links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- Community-scoped page views ------------------------------------------------------------
#
# One family for every app's pages (docs/new-app.md, "Lists, details, actions and the API";
# docs/decisions/0009-lists-and-api.md). A list is the current community's rows through the
# list's FilterSet, PAGE_SIZE a page; an object (detail, update, action) is found among the
# rows the user may see (another community's: 404) and the permission is checked in its own
# community (403); every write is one service call; a service's ValidationError re-renders
# the form with its errors and status 400, its PermissionDenied is a 403.


class CommunityListView(ListView):
    """PAGE_SIZE rows a page of the current community, filtered by the list's FilterSet.

    `perm`: the view permission (in the current community); `filterset_class`: the FilterSet
    the export and the API use too (it takes `community=`); `related`: select_related paths
    of the columns shown; `add_perm`: shows the "add" button when held."""

    perm: ClassVar[str]
    filterset_class: ClassVar[Any]
    related: ClassVar[tuple[str, ...]] = ()
    add_perm: ClassVar[str] = ""
    paginate_by = PAGE_SIZE

    def base_queryset(self) -> QuerySet[Any]:
        """The rows of the current community the user may see, before the filters."""
        manager: Any = self.model._default_manager  # type: ignore[union-attr]
        base = manager.visible_to(self.request.user).in_community(self.community)
        return base.select_related(*self.related) if self.related else base  # type: ignore[no-any-return]

    def get_queryset(self) -> QuerySet[Any]:
        self.community = current_community(self.request, self.perm)
        base = self.base_queryset()
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=base, community=self.community
        )
        if self.filterset.is_bound and not self.filterset.is_valid():
            return base.none()
        return self.filterset.qs  # type: ignore[no-any-return]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            filter=self.filterset,
            query=query_without_page(self.request),
            can_add=bool(self.add_perm)
            and has_perm_in(self.request.user, self.add_perm, self.community),
        )
        return context


class CommunityObjectMixin:
    """One row the user may see (else 404), with `perm` held in its community (else 403).

    Sets `self.object` and `self.community` in `dispatch`, before the handler runs."""

    request: HttpRequest
    kwargs: dict[str, Any]
    model: Any
    object: Any
    community: Community
    perm: ClassVar[str]
    related: ClassVar[tuple[str, ...]] = ()

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.object = self.get_object()
            self.community = self.object.community
            require_perm(request.user, self.perm, self.community)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc,no-any-return]

    def get_object(self, queryset: QuerySet[Any] | None = None) -> Model:
        if getattr(self, "object", None) is not None:
            return self.object  # type: ignore[no-any-return]
        base = self.model._default_manager.select_related(*self.related)
        return get_visible_or_404(base, self.request.user, pk=self.kwargs["pk"])  # type: ignore[no-any-return]


class CommunityFormMixin:
    """Create and update views: the form works in `self.community`; one service call saves
    (`perform`); its ValidationError shows on the form (400)."""

    request: HttpRequest
    object: Any
    community: Community
    perm: ClassVar[str]
    success_message: ClassVar[Any] = ""

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["community"] = self.community
        return kwargs  # type: ignore[no-any-return]

    def perform(self, obj: Any, form: BaseForm) -> Any:
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            self.object = self.perform(form.save(commit=False), form)
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message or _("Saved."))
        return HttpResponseRedirect(self.get_success_url())  # type: ignore[attr-defined]

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)  # type: ignore[misc]
        response.status_code = 400
        return response  # type: ignore[no-any-return]


class CommunityCreateView(CommunityFormMixin, CreateView):
    """A new row in the current community (`perm`: the add permission there)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.community = current_community(request, self.perm)
        return super().dispatch(request, *args, **kwargs)


class CommunityUpdateView(CommunityObjectMixin, CommunityFormMixin, UpdateView):
    """One visible row changed (`perm`: the change permission in its community)."""


class CommunityDetailView(CommunityObjectMixin, DetailView):
    """One visible row's page (`perm`: the view permission in its community)."""


class CommunityActionView(CommunityObjectMixin, View):
    """POST a form to one service on one visible row: the shared refusal behaviour.

    Subclasses set `model`, `perm`, `form_class` (None: no fields), `template_name` (the page
    re-rendered when refused, usually the row's detail page), `success_message`, and
    implement `perform(obj, form)` (the service call). Valid and done: a message and a
    redirect to `get_success_url()` (the row's page by default). The form invalid or the
    service's ValidationError: the page again with the form and its errors, status 400.
    The service's PermissionDenied: 403. Another community's row: 404. Override
    `get_context_data` to give the re-rendered page what its template needs."""

    http_method_names = ["post"]
    form_class: ClassVar[type[BaseForm] | None] = None
    form_context_name: ClassVar[str] = "form"
    template_name: ClassVar[str] = ""
    success_message: ClassVar[Any] = ""
    success_url: ClassVar[str | None] = None

    def get_form(self) -> BaseForm:
        form_class = self.form_class or Form
        return form_class(**self.get_form_kwargs())

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"data": self.request.POST, "files": self.request.FILES}

    def perform(self, obj: Any, form: BaseForm) -> Any:
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form()
        done = self.success_message or _("Saved.")
        if submit(request, form, lambda: self.perform(self.object, form), done):
            return HttpResponseRedirect(self.get_success_url())
        return self.refused(form)

    def refused(self, form: BaseForm) -> HttpResponse:
        """The page again, the form bound with its errors, status 400."""
        context = self.get_context_data(**{self.form_context_name: form})
        return render(self.request, self.template_name, context, status=400)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        name = self.object._meta.model_name
        return {"object": self.object, name: self.object, "community": self.community, **kwargs}

    def get_success_url(self) -> str:
        if self.success_url:
            return str(self.success_url)
        return self.object.get_absolute_url()  # type: ignore[no-any-return]
