"""The front desk's pages on the core pattern (guanjia.core.pages): lists through the
FilterSets, one service call per write, refusals shown on the form (400)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy

from guanjia.core import workflows
from guanjia.core.access import has_perm_in, request_user
from guanjia.core.handover import section_label
from guanjia.core.pages import (
    CommunityActionView,
    CommunityCreateView,
    CommunityDetailView,
    CommunityListView,
    current_community,
    paginate,
)

from . import filters, forms, selectors, services
from .models import (
    FoundItem,
    Handover,
    HandoverStatus,
    Instruction,
    Key,
    KeyLoan,
    Notice,
    NoticeStatus,
    Parcel,
    Post,
    Shift,
)
from .services.parcels import household

# --- Console --------------------------------------------------------------------------------


def console(request: HttpRequest) -> HttpResponse:
    """The receptionist's one page: register links, keys out, parcels held, the handover."""
    community = current_community(request, "desk.view_parcel")
    user = request_user(request)
    return render(
        request,
        "desk/console.html",
        {
            "console": selectors.console(community, user),
            "can_keys": has_perm_in(user, "desk.view_key", community),
            "can_handover": has_perm_in(user, "desk.view_handover", community),
        },
    )


# --- Keys ------------------------------------------------------------------------------------


class KeyList(CommunityListView):
    model, perm, filterset_class = Key, "desk.view_key", filters.KeyFilter
    related = ("unit",)
    add_perm = "desk.add_key"
    template_name = "desk/key_list.html"
    context_object_name = "keys"


class KeyCreate(CommunityCreateView):
    model, perm, form_class = Key, "desk.add_key", forms.KeyForm
    template_name = "desk/form.html"
    title = gettext_lazy("Register a key")
    success_message = gettext_lazy("Key registered.")

    def perform(self, obj: Key, form: BaseForm) -> Key:
        data = form.cleaned_data
        return services.register_key(
            community=self.community,
            unit=data["unit"],
            holding=data["holding"],
            cabinet_slot=data["cabinet_slot"],
            kind=data["kind"],
            description=data["description"],
            count=data["count"],
            envelope_no=data["envelope_no"],
            deposited_by=data["deposited_by"],
            by=request_user(self.request),
        )


def _key_context(view: Any, key: Key, **forms_given: Any) -> dict[str, Any]:
    user = request_user(view.request)
    open_loan = key.loans.filter(returned_at__isnull=True).select_related("collector").first()
    return {
        "object": key,
        "key": key,
        "community": key.community,
        "collectors": key.collectors.filter(removed_at__isnull=True),
        "loans": key.loans.select_related("lent_by", "received_by", "overnight_approved_by")[:20],
        "open_loan": open_loan,
        "can_lend": has_perm_in(user, "desk.add_keyloan", key.community_id),
        "can_approve": has_perm_in(user, "desk.approve_key_overnight", key.community_id),
        "collector_form": forms_given.get("collector_form") or forms.CollectorForm(),
        "lend_form": forms_given.get("lend_form") or forms.LendForm(key=key),
        "return_form": forms_given.get("return_form") or forms.SignForm(),
        "overnight_form": forms_given.get("overnight_form") or forms.OvernightForm(),
    }


class KeyDetail(CommunityDetailView):
    model, perm, template_name = Key, "desk.view_key", "desk/key_detail.html"
    related = ("unit", "deposited_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **_key_context(self, self.object)}


class KeyAction(CommunityActionView):
    model = Key
    template_name = "desk/key_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return _key_context(self, self.object, **kwargs)


class KeyAddCollector(KeyAction):
    perm, form_class, form_context_name = "desk.add_key", forms.CollectorForm, "collector_form"
    success_message = gettext_lazy("Collector added.")

    def perform(self, obj: Key, form: BaseForm) -> Any:
        return services.add_collector(key=obj, by=request_user(self.request), **form.cleaned_data)


class KeyLend(KeyAction):
    perm, form_class, form_context_name = "desk.add_keyloan", forms.LendForm, "lend_form"
    success_message = gettext_lazy("Key signed out.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "key": self.object}

    def perform(self, obj: Key, form: BaseForm) -> Any:
        return services.lend_key(key=obj, by=request_user(self.request), **form.cleaned_data)


class LoanAction(CommunityActionView):
    model = KeyLoan
    template_name = "desk/key_detail.html"
    related = ("key",)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return _key_context(self, self.object.key, **kwargs)

    def get_success_url(self) -> str:
        return reverse("desk:key-detail", args=[self.object.key_id])


class LoanReturn(LoanAction):
    perm, form_class, form_context_name = "desk.add_keyloan", forms.SignForm, "return_form"
    success_message = gettext_lazy("Key back in the cabinet.")

    def perform(self, obj: KeyLoan, form: BaseForm) -> Any:
        return services.return_key(loan=obj, by=request_user(self.request), **form.cleaned_data)


class LoanOvernight(LoanAction):
    perm, form_class, form_context_name = (
        "desk.approve_key_overnight",
        forms.OvernightForm,
        "overnight_form",
    )
    success_message = gettext_lazy("The key may stay out.")

    def perform(self, obj: KeyLoan, form: BaseForm) -> Any:
        return services.approve_overnight(
            loan=obj, by=request_user(self.request), **form.cleaned_data
        )


class LoanList(CommunityListView):
    """Loans; `?overdue=true` is the supervisor's list of keys past due."""

    model, perm, filterset_class = KeyLoan, "desk.view_keyloan", filters.KeyLoanFilter
    related = ("key__unit", "lent_by")
    template_name = "desk/keyloan_list.html"
    context_object_name = "loans"


# --- Mail and parcels -----------------------------------------------------------------------


class ParcelList(CommunityListView):
    model, perm, filterset_class = Parcel, "desk.view_parcel", filters.ParcelFilter
    related = ("unit", "collected_by")
    add_perm = "desk.add_parcel"
    template_name = "desk/parcel_list.html"
    context_object_name = "parcels"


def parcels_overdue(request: HttpRequest) -> HttpResponse:
    """Held longer than `parcel.hold_days`: to be returned."""
    community = current_community(request, "desk.view_parcel")
    page = paginate(
        request, selectors.parcels_held_too_long(community).order_by("received_at", "pk")
    )
    return render(
        request, "desk/parcel_overdue.html", {"page_obj": page, "parcels": page.object_list}
    )


class ParcelCreate(CommunityCreateView):
    model, perm, form_class = Parcel, "desk.add_parcel", forms.ParcelForm
    template_name = "desk/form.html"
    title = gettext_lazy("Register mail or a parcel")
    success_message = gettext_lazy("Registered; the household has been told.")

    def perform(self, obj: Parcel, form: BaseForm) -> Parcel:
        return services.register_parcel(
            community=self.community, by=request_user(self.request), **form.cleaned_data
        )

    def get_success_url(self) -> str:
        return reverse("desk:parcel-create")


def _parcel_context(parcel: Parcel, **given: Any) -> dict[str, Any]:
    people = household(parcel.unit)
    from guanjia.estates.models import Person

    qs = Person.objects.filter(pk__in=[p.pk for p in people])
    return {
        "object": parcel,
        "parcel": parcel,
        "community": parcel.community,
        "household": people,
        "collect_form": given.get("collect_form") or forms.CollectForm(people=qs),
        "return_form": given.get("return_form") or forms.ReturnForm(),
    }


class ParcelDetail(CommunityDetailView):
    model, perm, template_name = Parcel, "desk.view_parcel", "desk/parcel_detail.html"
    related = ("unit", "collected_by", "received_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **_parcel_context(self.object)}


class ParcelCollect(CommunityActionView):
    model, perm, form_class = Parcel, "desk.change_parcel", forms.CollectForm
    template_name, form_context_name = "desk/parcel_detail.html", "collect_form"
    success_message = gettext_lazy("Collected.")

    def get_form_kwargs(self) -> dict[str, Any]:
        from guanjia.estates.models import Person

        # Any person of the community: the service refuses one of another household.
        return {
            **super().get_form_kwargs(),
            "people": Person.objects.in_community(self.object.community),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return _parcel_context(self.object, **kwargs)

    def perform(self, obj: Parcel, form: BaseForm) -> Any:
        data = form.cleaned_data
        return services.collect_parcel(
            parcel=obj,
            person=data["collected_by"],
            signature=data["signature"],
            by=request_user(self.request),
        )


class ParcelReturn(ParcelCollect):
    form_class, form_context_name = forms.ReturnForm, "return_form"  # type: ignore[assignment]
    success_message = gettext_lazy("Returned.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"data": self.request.POST}

    def perform(self, obj: Parcel, form: BaseForm) -> Any:
        return services.return_parcel(
            parcel=obj, note=form.cleaned_data["return_note"], by=request_user(self.request)
        )


# --- Posts, shifts, instructions -------------------------------------------------------------


class PostList(CommunityListView):
    model, perm, filterset_class = Post, "desk.view_post", filters.PostFilter
    template_name = "desk/post_list.html"
    context_object_name = "posts"
    add_perm = "desk.add_post"

    def get_queryset(self) -> Any:
        return super().get_queryset().prefetch_related("shifts")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["instructions"] = selectors.current_instructions(self.community)
        return context


class PostCreate(CommunityCreateView):
    model, perm, form_class = Post, "desk.add_post", forms.PostForm
    template_name = "desk/form.html"
    title = gettext_lazy("New post")

    def perform(self, obj: Post, form: BaseForm) -> Post:
        return services.add_post(
            community=self.community, by=request_user(self.request), **form.cleaned_data
        )

    def get_success_url(self) -> str:
        return reverse("desk:post-list")


class ShiftCreate(CommunityCreateView):
    model, perm, form_class = Shift, "desk.add_post", forms.ShiftForm
    template_name = "desk/form.html"
    title = gettext_lazy("New shift")

    def perform(self, obj: Shift, form: BaseForm) -> Shift:
        return services.add_shift(by=request_user(self.request), **form.cleaned_data)

    def get_success_url(self) -> str:
        return reverse("desk:post-list")


class InstructionCreate(CommunityCreateView):
    model, perm, form_class = Instruction, "desk.add_instruction", forms.InstructionForm
    template_name = "desk/form.html"
    title = gettext_lazy("New instruction")

    def perform(self, obj: Instruction, form: BaseForm) -> Instruction:
        return services.add_instruction(
            community=self.community, by=request_user(self.request), **form.cleaned_data
        )

    def get_success_url(self) -> str:
        return reverse("desk:post-list")


# --- Handovers ------------------------------------------------------------------------------


class HandoverList(CommunityListView):
    """Handovers; `?discrepancies=true` and `?late=true` are the supervisor's reports."""

    model, perm, filterset_class = Handover, "desk.view_handover", filters.HandoverFilter
    related = ("post", "shift", "outgoing", "incoming")
    add_perm = "desk.add_handover"
    template_name = "desk/handover_list.html"
    context_object_name = "handovers"


class HandoverCreate(CommunityCreateView):
    model, perm, form_class = Handover, "desk.add_handover", forms.HandoverForm
    template_name = "desk/form.html"
    title = gettext_lazy("Open the handover of my shift")
    success_message = gettext_lazy(
        "Handover opened with today's open items: add your notes and sign."
    )

    def perform(self, obj: Handover, form: BaseForm) -> Handover:
        data = form.cleaned_data
        return services.open_handover(
            post=data["post"],
            shift=data["shift"],
            incoming=data["incoming"],
            by=request_user(self.request),
        )


def _handover_context(request: HttpRequest, handover: Handover, **given: Any) -> dict[str, Any]:
    user = request_user(request)
    check_form = given.get("check_form") or forms.CheckForm(handover=handover)
    rows = check_form.rows()
    sections: list[tuple[str, list[Any]]] = []
    for item, finding, note in rows:
        if not sections or sections[-1][0] != section_label(item.section):
            sections.append((section_label(item.section), []))
        sections[-1][1].append((item, finding, note))
    H = HandoverStatus
    return {
        "object": handover,
        "handover": handover,
        "community": handover.community,
        "sections": sections,
        "events": handover.events.select_related("actor").order_by("at", "pk"),
        "is_outgoing": user.pk == handover.outgoing_id,
        "is_incoming": user.pk == handover.incoming_id,
        "may_offer": workflows.can_transition(handover, H.OFFERED, by=user),
        "may_check": workflows.can_transition(handover, H.ACCEPTED, by=user),
        "may_close": user.pk == handover.outgoing_id and handover.status == H.ACCEPTED,
        "notes_form": given.get("notes_form")
        or forms.NotesForm(initial={"notes": handover.notes, "equipment": handover.equipment}),
        "offer_form": given.get("offer_form") or forms.OfferForm(),
        "check_form": check_form,
        "close_form": given.get("close_form") or forms.CloseForm(),
    }


class HandoverDetail(CommunityDetailView):
    model, perm, template_name = Handover, "desk.view_handover", "desk/handover_detail.html"
    related = ("post", "shift", "outgoing", "incoming")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            **_handover_context(self.request, self.object),
        }


class HandoverAction(CommunityActionView):
    model, perm = Handover, "desk.add_handover"
    template_name = "desk/handover_detail.html"
    related: ClassVar[tuple[str, ...]] = ("post", "shift", "outgoing", "incoming")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return _handover_context(self.request, self.object, **kwargs)


class HandoverNotes(HandoverAction):
    form_class, form_context_name = forms.NotesForm, "notes_form"

    def perform(self, obj: Handover, form: BaseForm) -> Any:
        return services.save_notes(handover=obj, by=request_user(self.request), **form.cleaned_data)


class HandoverOffer(HandoverAction):
    form_class, form_context_name = forms.OfferForm, "offer_form"
    success_message = gettext_lazy("Signed over: the incoming person checks and accepts.")

    def perform(self, obj: Handover, form: BaseForm) -> Any:
        return services.offer_handover(
            handover=obj, by=request_user(self.request), **form.cleaned_data
        )


class HandoverCheck(HandoverAction):
    """The incoming person's check: accept (with the signature) or refuse (with a reason)."""

    form_class, form_context_name = forms.CheckForm, "check_form"
    success_message = gettext_lazy("Recorded.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "handover": self.object}

    def perform(self, obj: Handover, form: BaseForm) -> Any:
        check: forms.CheckForm = form  # type: ignore[assignment]
        by = request_user(self.request)
        if self.request.POST.get("go") == "refuse":
            return services.refuse_handover(
                handover=obj, reason=check.cleaned_data["reason"], findings=check.findings(), by=by
            )
        return services.accept_handover(
            handover=obj,
            findings=check.findings(),
            signature=check.cleaned_data["signature"],
            by=by,
        )


class HandoverClose(HandoverAction):
    form_class, form_context_name = forms.CloseForm, "close_form"
    success_message = gettext_lazy("Shift closed.")

    def perform(self, obj: Handover, form: BaseForm) -> Any:
        return services.close_shift(handover=obj, by=request_user(self.request))


# --- Lost and found ----------------------------------------------------------------------


class FoundItemList(CommunityListView):
    model, perm, filterset_class = FoundItem, "desk.view_founditem", filters.FoundItemFilter
    add_perm = "desk.add_founditem"
    template_name = "desk/founditem_list.html"
    context_object_name = "items"


class FoundItemCreate(CommunityCreateView):
    model, perm, form_class = FoundItem, "desk.add_founditem", forms.FoundItemForm
    template_name = "desk/form.html"
    title = gettext_lazy("Register a found item")
    success_message = gettext_lazy("Found item registered.")

    def perform(self, obj: FoundItem, form: BaseForm) -> FoundItem:
        return services.register_found_item(
            community=self.community, by=request_user(self.request), **form.cleaned_data
        )


class FoundItemDetail(CommunityDetailView):
    model, perm, template_name = FoundItem, "desk.view_founditem", "desk/founditem_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("claim_form", forms.ClaimForm())
        context["item"] = self.object
        return context


class FoundItemClaim(CommunityActionView):
    model, perm, form_class = FoundItem, "desk.change_founditem", forms.ClaimForm
    template_name, form_context_name = "desk/founditem_detail.html", "claim_form"
    success_message = gettext_lazy("Handed to its owner.")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "item": self.object}

    def perform(self, obj: FoundItem, form: BaseForm) -> Any:
        return services.claim_found_item(
            item=obj, by=request_user(self.request), **form.cleaned_data
        )


# --- Notices -----------------------------------------------------------------------------


class NoticeList(CommunityListView):
    model, perm, filterset_class = Notice, "desk.view_notice", filters.NoticeFilter
    add_perm = "desk.add_notice"
    template_name = "desk/notice_list.html"
    context_object_name = "notices"


class NoticeCreate(CommunityCreateView):
    model, perm, form_class = Notice, "desk.add_notice", forms.NoticeForm
    template_name = "desk/form.html"
    title = gettext_lazy("Draft a notice")
    success_message = gettext_lazy("Notice drafted: send it for approval.")

    def perform(self, obj: Notice, form: BaseForm) -> Notice:
        data = form.cleaned_data
        return services.draft_notice(
            community=self.community,
            kind=data["kind"],
            title=data["title"],
            body=data["body"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            buildings=list(data["buildings"]),
            units=list(data["units"]),
            send_sms=data["send_sms"],
            send_wechat=data["send_wechat"],
            by=request_user(self.request),
        )


def _notice_context(request: HttpRequest, notice: Notice, **given: Any) -> dict[str, Any]:
    user = request_user(request)
    return {
        "object": notice,
        "notice": notice,
        "community": notice.community,
        "events": notice.events.select_related("actor").order_by("at", "pk"),
        "may_submit": workflows.can_transition(notice, NoticeStatus.PENDING, by=user),
        "may_decide": notice.status == NoticeStatus.PENDING
        and has_perm_in(user, "desk.approve_notice", notice.community_id),
        "may_take_down": workflows.can_transition(notice, NoticeStatus.TAKEN_DOWN, by=user),
        "decision_form": given.get("decision_form") or forms.DecisionForm(),
        "form": given.get("form"),
    }


class NoticeDetail(CommunityDetailView):
    model, perm, template_name = Notice, "desk.view_notice", "desk/notice_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **_notice_context(self.request, self.object)}


class NoticeAction(CommunityActionView):
    model, perm = Notice, "desk.add_notice"
    template_name = "desk/notice_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return _notice_context(self.request, self.object, **kwargs)


class NoticeSubmit(NoticeAction):
    success_message = gettext_lazy("Sent for approval.")

    def perform(self, obj: Notice, form: BaseForm) -> Any:
        return services.submit_notice(notice=obj, by=request_user(self.request))


class NoticeDecide(NoticeAction):
    perm, form_class, form_context_name = "desk.approve_notice", forms.DecisionForm, "decision_form"
    success_message = gettext_lazy("Decided.")

    def perform(self, obj: Notice, form: BaseForm) -> Any:
        approve = self.request.POST.get("go") != "reject"
        return services.decide_notice(
            notice=obj,
            approve=approve,
            reason=form.cleaned_data["reason"],
            by=request_user(self.request),
        )


class NoticeTakeDown(NoticeAction):
    success_message = gettext_lazy("Taken down.")

    def perform(self, obj: Notice, form: BaseForm) -> Any:
        return services.take_down_notice(notice=obj, by=request_user(self.request))


def notice_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice-board sheet (`?format=pdf`: the PDF, Chinese fonts, through core.documents)."""
    from guanjia.core.access import get_visible_or_404, require_perm
    from guanjia.core.documents.views import print_or_pdf

    notice = get_visible_or_404(Notice.objects.all(), request.user, pk=pk)
    require_perm(request.user, "desk.view_notice", notice.community)
    return print_or_pdf(
        request,
        "desk/notice_print.html",
        {"notice": notice, "buildings": list(notice.buildings.all())},
        filename=f"notice-{notice.pk}.pdf",
        community=notice.community,
    )
