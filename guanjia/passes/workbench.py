"""The passes app's tasks on the workbench: passes past their end to get back, deposits of
returned passes to refund. Each count links to the pass list filtered the same way."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanjia.core.workbench import TaskKind, TaskQuery, register_task

from .models import Pass, PassStatus


def _url(**params: str) -> str:
    return reverse("passes:pass-list") + "?" + urlencode(params)


def _expired(q: TaskQuery) -> QuerySet[Pass]:
    return Pass.objects.in_community(q.community).filter(status=PassStatus.EXPIRED)


def _to_refund(q: TaskQuery) -> QuerySet[Pass]:
    return Pass.objects.in_community(q.community).filter(status=PassStatus.RETURNED, deposit__gt=0)


def _title(p: Pass) -> str:
    return f"{p.number} {p.holder_name}"


def _link(p: Pass) -> str:
    return reverse("passes:pass-detail", args=[p.pk])


def register() -> None:
    register_task(
        TaskKind(
            code="pass.return",
            label=_("Passes to get back"),
            perm="passes.change_pass",
            items=_expired,
            deadline="valid_to",
            title=_title,
            link=_link,
            list_url=lambda q: _url(status=PassStatus.EXPIRED),
            order=60,
        )
    )
    register_task(
        TaskKind(
            code="pass.refund",
            label=_("Pass deposits to refund"),
            perm="passes.refund_pass_deposit",
            items=_to_refund,
            deadline="returned_on",
            title=_title,
            link=_link,
            list_url=lambda q: _url(status=PassStatus.RETURNED, deposit_held="true"),
            order=61,
        )
    )
