"""Case studies against the policy `supervisor.case_study_per_month` (spec §02)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from guanjia.core.models import Community
from guanjia.core.policies.selectors import policy

from ..models import CaseStudy
from .dues import next_month


@dataclass(frozen=True)
class CaseCount:
    written: int
    expected: int

    @property
    def short(self) -> int:
        return max(0, self.expected - self.written)


def cases_in_month(community: Community, month: dt.date) -> CaseCount:
    """Case studies written in the month of `month` and how many the policy asks for."""
    first = month.replace(day=1)
    written = CaseStudy.objects.filter(
        community=community, written_on__gte=first, written_on__lt=next_month(first)
    ).count()
    return CaseCount(written, int(policy(community, "supervisor.case_study_per_month")))
