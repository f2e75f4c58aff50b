"""Meetings: the list, recording one, one meeting (sign-in, action items, the items carried
over from earlier meetings), the minutes to print (PDF), and one's action items."""

from __future__ import annotations

from typing import Any, ClassVar

from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from guanjia.core.access import get_visible_or_404, has_perm_in, request_user, require_perm
from guanjia.core.documents.views import print_or_pdf
from guanjia.core.pages import CommunityListView, current_community, submit
from guanjia.core.policies.selectors import policy

from .. import forms, services
from ..filters import ActionFilter, MeetingFilter
from ..models import ActionItem, Meeting
from ._common import Step, blank_forms

VIEW = "plans.view_meeting"
ADD = "plans.add_meeting"
WRITE = "plans.change_meeting"

FORMS: dict[str, type[BaseForm]] = {
    "minutes_form": forms.MinutesForm,
    "signin_form": forms.SignInForm,
    "action_form": forms.ActionForm,
}


class MeetingList(CommunityListView):
    model = Meeting
    perm = VIEW
    filterset_class = MeetingFilter
    related = ("chair",)
    add_perm = ADD
    template_name = "plans/meeting_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["weekday"] = policy(self.community, "supervisor.weekly_meeting_weekday")
        return context


class ActionList(CommunityListView):
    """Action items of the community; `?mine=true&open=true` is one's own open tasks."""

    model = ActionItem
    perm = VIEW
    filterset_class = ActionFilter
    related = ("owner", "meeting")
    template_name = "plans/action_list.html"

    def get_queryset(self) -> Any:
        self.community = current_community(self.request, self.perm)
        base = self.base_queryset()
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=base, community=self.community, request=self.request
        )
        if self.filterset.is_bound and not self.filterset.is_valid():
            return base.none()
        return self.filterset.qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["may_write"] = has_perm_in(self.request.user, WRITE, self.community)
        return context


def meeting_create(request: HttpRequest) -> HttpResponse:
    community = current_community(request, ADD)
    form = forms.MeetingForm(request.POST or None, community=community)
    if request.method == "POST":
        made: list[Meeting] = []

        def act() -> None:
            data = form.cleaned_data
            made.append(
                services.record_meeting(
                    community=community,
                    held_on=data["held_on"],
                    topics=data["topics"],
                    kind=data["kind"],
                    review=data["review"],
                    decisions=data["decisions"],
                    by=request_user(request),
                )
            )

        if submit(request, form, act, _("Meeting recorded: sign the attendees in.")):
            return HttpResponseRedirect(made[0].get_absolute_url())
        return render(request, "plans/meeting_form.html", {"form": form}, status=400)
    return render(request, "plans/meeting_form.html", {"form": form})


def carried_over(meeting: Meeting) -> Any:
    """Action items of earlier meetings still open: they are carried to this one."""
    return ActionItem.objects.filter(
        community=meeting.community, closed_on__isnull=True, meeting__held_on__lt=meeting.held_on
    ).select_related("owner", "meeting")


def meeting_context(meeting: Meeting, user: Any, **bound: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "meeting": meeting,
        "object": meeting,
        "attendance": meeting.attendance.select_related("person"),
        "actions": meeting.actions.select_related("owner", "closed_by"),
        "carried": carried_over(meeting),
        "may_write": has_perm_in(user, WRITE, meeting.community_id),
        "user_id": user.pk,
        **blank_forms(FORMS, meeting.community),
    }
    context["minutes_form"] = forms.MinutesForm(
        prefix="minutes",
        community=meeting.community,
        initial={
            "review": meeting.review,
            "topics": meeting.topics,
            "decisions": meeting.decisions,
        },
    )
    context.update(bound)
    return context


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    base = Meeting.objects.select_related("community", "chair", "recorded_by")
    meeting: Meeting = get_visible_or_404(base, request.user, pk=pk)
    require_perm(request.user, VIEW, meeting.community)
    return meeting


@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    context = meeting_context(meeting, request_user(request))
    return render(request, "plans/meeting_detail.html", context)


@require_GET
def meeting_print(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    context = {
        "meeting": meeting,
        "attendance": meeting.attendance.select_related("person"),
        "actions": meeting.actions.select_related("owner"),
        "carried": carried_over(meeting),
    }
    name = f"minutes-{meeting.held_on:%Y%m%d}-{meeting.pk}.pdf"
    return print_or_pdf(
        request, "plans/meeting_print.html", context, filename=name, community=meeting.community
    )


class MeetingStep(Step):
    model = Meeting
    perm = VIEW  # the service checks the step's own authority
    related = ("community", "chair", "recorded_by")
    template_name = "plans/meeting_detail.html"
    forms: ClassVar[dict[str, type[BaseForm]]] = FORMS

    def page_context(self, obj: Any, user: Any, **bound: Any) -> dict[str, Any]:
        return meeting_context(obj, user, **bound)


class EditMinutes(MeetingStep):
    form_context_name = "minutes_form"
    success_message = _("Minutes saved.")

    def act(self, meeting: Meeting, data: dict[str, Any], by: Any) -> Any:
        return services.update_minutes(
            meeting=meeting,
            topics=data["topics"],
            review=data["review"],
            decisions=data["decisions"],
            by=by,
        )


class SignIn(MeetingStep):
    form_context_name = "signin_form"
    success_message = _("Signed in.")

    def act(self, meeting: Meeting, data: dict[str, Any], by: Any) -> Any:
        return services.sign_in(meeting=meeting, person=data["person"], by=by)


class AddAction(MeetingStep):
    form_context_name = "action_form"
    success_message = _("Action item added.")

    def act(self, meeting: Meeting, data: dict[str, Any], by: Any) -> Any:
        return services.add_action(
            meeting=meeting,
            title=data["title"],
            owner=data["owner"],
            due_on=data["due_on"],
            by=by,
        )


class CloseAction(Step):
    """Closing an action item (its owner or the supervisor); the page is its meeting's."""

    model = ActionItem
    perm = VIEW
    related = ("community", "meeting__community", "owner")
    template_name = "plans/meeting_detail.html"
    form_context_name = "close_form"
    success_message = _("Action item closed.")

    def get_form(self) -> BaseForm:
        return forms.CloseActionForm(self.request.POST, prefix="close", community=self.community)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        refused = kwargs.pop(self.form_context_name, None)
        meeting = self.object.meeting
        return meeting_context(meeting, request_user(self.request), refused_form=refused)

    def act(self, item: ActionItem, data: dict[str, Any], by: Any) -> Any:
        return services.close_action(item=item, outcome=data["outcome"], by=by)
