"""The sanctions app's configurable numbers (spec §19). Registered when
`PoliciesConfig.ready()` imports every app's `policies` module (docs/policies.md)."""

from django.utils.translation import gettext_lazy as _

from guanjia.core.policies.catalogue import integer_policy, money_policy
from guanjia.core.policies.registry import register

DECIDE_LIMIT = "sanction.decide_limit"
APPEAL_DAYS = "sanction.appeal_days"
BAN_AFTER = "sanction.ban_after"
REPEAT_WINDOW = "sanction.repeat_window_days"
DAMAGE_MAX = "sanction.damage_max"
PHOTO_MAX_MB = "sanction.photo_max_mb"

register(
    money_policy(
        DECIDE_LIMIT,
        "500",
        _("The supervisor decides a sanction (amount and damage) up to; above, the director"),
        "19",
        "100000",
    ),
    integer_policy(
        APPEAL_DAYS,
        7,
        _("The contractor or the owner may appeal a sanction within"),
        "19",
        "days",
        1,
        60,
    ),
    integer_policy(
        BAN_AFTER,
        3,
        _("Breaches by one contractor's people that propose a ban"),
        "19",
        "breaches",
        2,
        50,
    ),
    integer_policy(
        REPEAT_WINDOW,
        365,
        _("A contractor's breaches are counted over the last"),
        "19",
        "days",
        30,
        3650,
    ),
    money_policy(
        DAMAGE_MAX, "50000", _("Largest damage recovered on one breach record"), "19", "1000000"
    ),
    integer_policy(PHOTO_MAX_MB, 8, _("Largest evidence photo"), "19", "MB", 1, 50),
)
