"""The move-in app's configurable numbers (spec §09). The fee start rule is read by billing
(`billing.services.runs`) when it charges a unit delivered mid-month."""

from django.utils.translation import gettext_lazy as _

from guanjia.core.policies.catalogue import flag_policy, integer_policy
from guanjia.core.policies.registry import Domain, Kind, PolicySpec, register

FIN = Domain.FINANCIAL

register(
    flag_policy(
        "movein.deemed_delivery_enabled",
        True,
        _("Treat an owner who does not come as delivered"),
        "09",
        domain=FIN,
    ),
    integer_policy(
        "movein.deemed_delivery_days",
        30,
        _("Deemed delivered after the notice by"),
        "09",
        "days",
        1,
        365,
        domain=FIN,
    ),
    PolicySpec(
        "movein.fee_start_rule",
        Kind.CHOICE,
        "half_month",
        _("Fee start rule on delivery"),
        "09",
        domain=FIN,
        choices=(
            ("half_month", _("Delivered 1st–15th: from the 15th; later: from next month")),
            ("daily", _("Daily proration from the delivery date")),
            ("next_month", _("From the next month")),
        ),
    ),
    integer_policy(
        "movein.prepay_months_max",
        3,
        _("Most months of fees prepaid at move-in"),
        "09",
        "months",
        0,
        12,
        domain=FIN,
    ),
    integer_policy(
        "movein.free_access_cards", 2, _("Free access cards per unit"), "09", "cards", 0, 10
    ),
    integer_policy(
        "movein.defect_fix_days", 15, _("Defects rectified within"), "09", "days", 1, 90
    ),
    flag_policy(
        "movein.defect_photo_required",
        True,
        _("A defect found at the joint inspection needs a photo"),
        "09",
    ),
)
