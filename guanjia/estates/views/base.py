"""What every estates page shares: community-scoped list, create and update views (the
current community, the permission and form errors come from guanjia.core.pages)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.generic import CreateView, ListView, UpdateView

from guanjia.core.access import get_visible_or_404, has_perm_in, require_perm
from guanjia.core.models import Community
from guanjia.core.pages import PAGE_SIZE, apply_errors, current_community, query_without_page


class CommunityListView(ListView):
    """25 rows a page of the current community, filtered by a FilterSet."""

    perm: ClassVar[str]
    filterset_class: ClassVar[Any]
    related: ClassVar[tuple[str, ...]] = ()
    add_perm: ClassVar[str] = ""
    paginate_by = PAGE_SIZE

    def get_queryset(self) -> QuerySet[Any]:
        self.community = current_community(self.request, self.perm)
        manager: Any = self.model._default_manager  # type: ignore[union-attr]
        base = manager.visible_to(self.request.user).in_community(self.community)
        base = base.select_related(*self.related) if self.related else base
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=base, community=self.community
        )
        if self.filterset.is_bound and not self.filterset.is_valid():
            return base.none()
        return self.filterset.qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            filter=self.filterset,
            query=query_without_page(self.request),
            can_add=bool(self.add_perm)
            and has_perm_in(self.request.user, self.add_perm, self.community),
        )
        return context


class CommunityFormMixin:
    """Create and update views: the form works in `self.community`; one service call saves."""

    request: HttpRequest
    object: Any
    community: Community
    perm: ClassVar[str]
    success_message: ClassVar[Any] = ""

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["community"] = self.community
        return kwargs

    def perform(self, obj: Any, form: BaseForm) -> Any:
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            self.object = self.perform(form.save(commit=False), form)
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)  # type: ignore[attr-defined]
        messages.success(self.request, self.success_message or _("Saved."))
        return HttpResponseRedirect(self.get_success_url())  # type: ignore[attr-defined]


class CommunityCreateView(CommunityFormMixin, CreateView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.community = current_community(request, self.perm)
        return super().dispatch(request, *args, **kwargs)


class CommunityUpdateView(CommunityFormMixin, UpdateView):
    related: ClassVar[tuple[str, ...]] = ()

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.object = self.get_object()
            self.community = self.object.community
            require_perm(request.user, self.perm, self.community)
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset: QuerySet[Any] | None = None) -> Model:
        if getattr(self, "object", None) is not None:
            return self.object  # type: ignore[no-any-return]
        base = self.model._default_manager.select_related(*self.related)  # type: ignore[union-attr]
        return get_visible_or_404(base, self.request.user, pk=self.kwargs["pk"])  # type: ignore[no-any-return]
