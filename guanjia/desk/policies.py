"""The front desk's configurable numbers (spec §04 mail, §06 handover). The desk's opening
hours (`desk.hours`, the end of which keys are due back by) and `handover.arrive_early_min`
stay in the core catalogue with the rest of §04 and §06."""

from django.utils.translation import gettext_lazy as _

from guanjia.core.policies.catalogue import integer_policy
from guanjia.core.policies.registry import register

register(
    integer_policy(
        "parcel.hold_days", 14, _("Return mail not collected after"), "04", "days", 1, 90
    ),
    integer_policy(
        "handover.late_grace_min",
        0,
        _("Relief counts as late after the shift end by more than"),
        "06",
        "minutes",
        0,
        60,
    ),
    integer_policy(
        "handover.section_lines",
        50,
        _("Lines listed per handover section at most"),
        "06",
        "lines",
        5,
        500,
    ),
)
