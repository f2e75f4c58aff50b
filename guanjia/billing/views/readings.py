"""Meter readings: the list, a new reading, flagged readings and their confirmation."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from guanjia.core.access import has_perm_in, request_user
from guanjia.core.pages import (
    CommunityActionView,
    CommunityListView,
    current_community,
    paginate,
    submit,
)

from .. import filters
from ..forms import ReadingForm
from ..models import MeterReading
from ..services.meters import confirm_reading, record_reading


class ReadingList(CommunityListView):
    """The community's readings, PAGE_SIZE a page, newest month first (ReadingFilter), with
    the form of a new reading."""

    model = MeterReading
    perm = "billing.view_meterreading"
    add_perm = "billing.add_meterreading"
    filterset_class = filters.ReadingFilter
    related = ("meter__unit", "created_by")
    template_name = "billing/meterreading_list.html"
    context_object_name = "readings"

    def base_queryset(self) -> QuerySet[Any]:
        return super().base_queryset().order_by("-period", "meter__number", "pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            can_confirm=has_perm_in(
                self.request.user, "billing.change_meterreading", self.community
            ),
            form=ReadingForm(community=self.community),
        )
        return context


@require_POST
def reading_create(request: HttpRequest) -> HttpResponse:
    """Record a reading; refused, the list's first page again with the form's errors (400)."""
    community = current_community(request, "billing.add_meterreading")
    form = ReadingForm(request.POST, community=community)
    record = partial(record_reading, by=request_user(request))
    if submit(request, form, lambda: record(**form.cleaned_data), _("Reading saved.")):
        return redirect("billing:reading-list")
    rows = MeterReading.objects.in_community(community).select_related("meter__unit", "created_by")
    page = paginate(request, rows.order_by("-period", "meter__number", "pk"))
    context = {
        "readings": page.object_list,
        "page_obj": page,
        "filter": filters.ReadingFilter(None, queryset=rows, community=community),
        "can_add": True,
        "form": form,
    }
    return render(request, "billing/meterreading_list.html", context, status=400)


def _flagged(community: Any) -> QuerySet[MeterReading]:
    return (
        MeterReading.objects.in_community(community)
        .filter(flagged=True, confirmed_by__isnull=True)
        .select_related("meter__unit", "created_by")
        .order_by("-period", "meter__number", "pk")
    )


class FlaggedReadingList(ReadingList):
    """Readings far above the meter's average and not yet confirmed (not billed until then)."""

    perm = "billing.change_meterreading"
    add_perm = ""
    template_name = "billing/meterreading_flagged.html"

    def base_queryset(self) -> QuerySet[Any]:
        return _flagged(self.community)


class ReadingConfirm(CommunityActionView):
    """Confirm a flagged reading; refused, the flagged list again with the reason (400)."""

    model = MeterReading
    perm = "billing.change_meterreading"
    related = ("meter__unit",)
    template_name = "billing/meterreading_flagged.html"
    form_context_name = "confirm_form"
    success_message = gettext_lazy("Reading confirmed: it will be billed.")

    def perform(self, obj: MeterReading, form: Any) -> Any:
        return confirm_reading(reading=obj, by=request_user(self.request))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        rows = _flagged(self.community)
        page = paginate(self.request, rows)
        return {
            "readings": page.object_list,
            "page_obj": page,
            "filter": filters.ReadingFilter(None, queryset=rows, community=self.community),
            **kwargs,
        }

    def get_success_url(self) -> str:
        return reverse("billing:reading-flagged")


reading_list = ReadingList.as_view()
reading_flagged = FlaggedReadingList.as_view()
reading_confirm = ReadingConfirm.as_view()
