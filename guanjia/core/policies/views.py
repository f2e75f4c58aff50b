"""Policies (设置) pages: the list of keys, one key's values and history, set, propose, decide."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guanjia.core.access import get_visible_or_404, request_user, require_perm
from guanjia.core.http import community_of
from guanjia.core.models import Community, Company
from guanjia.core.pages import paginate, query_without_page

from . import selectors, services
from .catalogue import SECTIONS
from .filters import ProposalFilter
from .forms import DecisionForm, PolicySearchForm, PolicyValueForm, initial_text
from .models import PolicyProposal
from .registry import Kind, PolicySpec, get_spec, is_registered
from .selectors import VIEW_PERM


def _spec_or_404(key: str) -> PolicySpec:
    if not is_registered(key):
        raise Http404
    return get_spec(key)


def _community(request: HttpRequest) -> Community | None:
    """The community the user works in now (set by CurrentCommunityMiddleware)."""
    return community_of(request)


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _company(request: HttpRequest) -> Company | None:
    community = _community(request)
    if community is not None:
        return community.company
    company_id = getattr(request.user, "company_id", None)
    return Company.objects.filter(pk=company_id).first() if company_id else None


def policy_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, VIEW_PERM, _community(request))
    form = PolicySearchForm(request.GET)
    company = _company(request)
    states = selectors.policy_states(
        _community(request),
        company_id=company.pk if company else 0,
        specs=form.matching(),
    )
    groups: dict[str, list[dict[str, Any]]] = {}
    for state in states:
        who = selectors.who_may_change(state.spec)
        groups.setdefault(state.spec.section, []).append({"state": state, "who": who})
    context = {
        "form": form,
        "groups": [(code, SECTIONS.get(code, ""), rows) for code, rows in groups.items()],
        "open_proposals": selectors.open_proposal_count(request_user(request)),
    }
    partial = _is_htmx(request)
    template = "_policyvalue_table.html" if partial else "policyvalue_list.html"
    response = render(request, f"policies/{template}", context)
    patch_vary_headers(response, ["HX-Request"])  # the partial and the page share one URL
    return response


def policy_detail(request: HttpRequest, key: str) -> HttpResponse:
    spec = _spec_or_404(key)
    require_perm(request.user, VIEW_PERM, _community(request))
    company = _company(request)
    communities = Community.objects.visible_to(request.user).filter(is_active=True)
    return render(
        request,
        "policies/policyvalue_detail.html",
        {
            "spec": spec,
            "kind_label": Kind(spec.kind).label,
            "spec_default": spec.format(spec.default),
            "who": selectors.who_may_change(spec),
            "default": selectors.policy_state(None, key, company_id=company.pk if company else 0),
            "can_set_default": selectors.can_set_policy(request_user(request), spec, None),
            "can_propose": selectors.can_propose_policy(request_user(request), None),
            "communities": [
                (
                    c,
                    selectors.policy_state(c, key),
                    selectors.can_set_policy(request_user(request), spec, c),
                )
                for c in communities
            ],
            "changes": selectors.policy_changes(key, request_user(request)),
            "proposals": _proposal_rows(
                request, selectors.visible_proposals(request_user(request), key=key)
            ),
        },
    )


def _proposal_rows(request: HttpRequest, proposals: Any) -> list[dict[str, Any]]:
    return [
        {
            "proposal": proposal,
            "value": selectors.proposal_value_display(proposal),
            "can_decide": proposal.status == "proposed"
            and selectors.can_decide_proposal(request_user(request), proposal),
        }
        for proposal in proposals
    ]


def policy_set_default(request: HttpRequest, key: str) -> HttpResponse:
    spec = _spec_or_404(key)
    company = _company(request)
    if company is None or not selectors.can_set_policy(request_user(request), spec, None):
        raise PermissionDenied
    return _value_form(request, spec, company=company, community=None, propose=False)


def policy_set_override(request: HttpRequest, key: str, community_pk: int) -> HttpResponse:
    spec = _spec_or_404(key)
    community = get_visible_or_404(Community, request.user, pk=community_pk)
    if not selectors.can_set_policy(request_user(request), spec, community):
        raise PermissionDenied
    return _value_form(request, spec, company=community.company, community=community, propose=False)


def policy_propose(request: HttpRequest, key: str) -> HttpResponse:
    spec = _spec_or_404(key)
    require_perm(request.user, VIEW_PERM, _community(request))
    chosen = (request.POST if request.method == "POST" else request.GET).get("community")
    community = get_visible_or_404(Community, request.user, pk=chosen) if chosen else None
    company = community.company if community else _company(request)
    if company is None or not selectors.can_propose_policy(request_user(request), community):
        raise PermissionDenied
    return _value_form(request, spec, company=company, community=community, propose=True)


def _value_form(
    request: HttpRequest,
    spec: PolicySpec,
    *,
    company: Company,
    community: Community | None,
    propose: bool,
) -> HttpResponse:
    """GET: the form with the value in force; POST: one service call, then the key's page."""
    current = selectors.policy_state(community, spec.key, company_id=company.pk).effective
    form = PolicyValueForm(
        spec, request.POST or None, initial={"value": initial_text(spec, current)}
    )
    if request.method == "POST" and form.is_valid():
        service = services.propose_policy if propose else services.set_policy
        try:
            service(
                key=spec.key,
                company=company,
                community=community,
                by=request_user(request),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            done = _("Proposal sent for approval.") if propose else _("Policy saved.")
            messages.success(request, done)
            return redirect("policies:detail", key=spec.key)
    template = "policies/policyproposal_form.html" if propose else "policies/policyvalue_form.html"
    return render(
        request,
        template,
        {"spec": spec, "form": form, "community": community, "current": spec.format(current)},
        status=400 if form.is_bound and form.errors else 200,
    )


def proposal_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, VIEW_PERM, _community(request))
    filterset = ProposalFilter(
        request.GET, queryset=selectors.visible_proposals(request_user(request))
    )
    page = paginate(request, filterset.qs)
    return render(
        request,
        "policies/policyproposal_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "rows": _proposal_rows(request, page.object_list),
            "query": query_without_page(request),
        },
    )


@require_POST
def proposal_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, services.approve_proposal, _("Proposal approved."))


@require_POST
def proposal_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, services.reject_proposal, _("Proposal rejected."))


def _decide(request: HttpRequest, pk: int, service: Any, done: str) -> HttpResponse:
    """Approve or reject (one service call); a partial row for htmx, else back to the key."""
    proposal = get_visible_or_404(PolicyProposal, request.user, pk=pk)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    error = ""
    try:
        service(proposal=proposal, by=request.user, note=note)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if _is_htmx(request):
        proposal.refresh_from_db()
        row = {**_proposal_rows(request, [proposal])[0], "error": error}
        return render(request, "policies/_policyproposal_row.html", {"row": row})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect(reverse("policies:detail", kwargs={"key": proposal.key}) + "#proposals")
