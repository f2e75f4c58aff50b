"""People pages, revealing personal data with a reason, the access log, and search."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from guanjia.core.access import get_visible_or_404, request_user, require_perm
from guanjia.core.http import community_of
from guanjia.core.pages import (
    CommunityCreateView,
    CommunityListView,
    CommunityUpdateView,
    apply_errors,
)

from .. import filters, forms, services
from ..models import Person, PersonalDataAccess, Unit
from ..selectors import search as search_registry


class PersonList(CommunityListView):
    model = Person
    perm = "estates.view_person"
    add_perm = "estates.add_person"
    filterset_class = filters.PersonFilter
    template_name = "estates/person_list.html"


class PersonFormMixin:
    request: HttpRequest

    def perform(self, obj: Person, form: Any) -> Person:
        return services.save_person(
            person=obj, by=request_user(self.request), id_number=form.id_number_change()
        )

    def get_success_url(self) -> str:
        target = self.request.GET.get("next", "")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}
        ):
            return target
        return reverse("estates:person-list")


class PersonCreate(PersonFormMixin, CommunityCreateView):
    model = Person
    form_class = forms.PersonForm
    perm = "estates.add_person"
    template_name = "estates/person_form.html"


class PersonEdit(PersonFormMixin, CommunityUpdateView):
    model = Person
    form_class = forms.PersonForm
    perm = "estates.change_person"
    template_name = "estates/person_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:  # an area manager: the people of their zones only
            services.require_person_in_zone(request.user, self.get_object())  # type: ignore[arg-type]
        return super().dispatch(request, *args, **kwargs)


def person_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the small reason form (htmx). POST: the value, once the reveal is logged."""
    person = get_visible_or_404(Person, request.user, pk=pk)
    require_perm(request.user, "estates.reveal_personal_data", person.community)
    form = forms.RevealForm(request.POST or None, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        unit_id = form.cleaned_data["unit"]
        unit = (
            Unit.objects.filter(pk=unit_id, community=person.community).first() if unit_id else None
        )
        try:
            value = services.reveal_personal_data(
                person=person,
                field=form.cleaned_data["field"],
                reason=form.cleaned_data["reason"],
                by=request_user(request),
                unit=unit,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return render(request, "estates/_revealed.html", {"value": value, "person": person})
    return render(request, "estates/_reveal_form.html", {"form": form, "person": person})


class AccessLog(CommunityListView):
    """The personal data access log a director reviews."""

    model = PersonalDataAccess
    perm = "estates.view_personaldataaccess"
    filterset_class = filters.AccessLogFilter
    related = ("person", "unit__building", "unit__entrance", "accessed_by")
    template_name = "estates/personaldataaccess_list.html"


def search_page(request: HttpRequest) -> HttpResponse:
    """One box for rooms, names, pinyin, phones and plates; results as you type."""
    require_perm(request.user, "estates.view_unit")
    q = request.GET.get("q", "")[:50]
    hits = search_registry(request_user(request), q, community_of(request)) if q else []
    return render(request, "estates/search.html", {"q": q, "hits": hits})


def search_results(request: HttpRequest) -> HttpResponse:
    """The results partial the search box asks for while the user types.

    Rendered without the request: the page shell's context processors (menu, communities)
    are not needed by the fragment and cost more than the search itself (docs/estates.md).
    """
    require_perm(request.user, "estates.view_unit")
    q = request.GET.get("q", "")[:50]
    hits = search_registry(request_user(request), q, community_of(request)) if q else []
    return HttpResponse(render_to_string("estates/_search_results.html", {"q": q, "hits": hits}))
