"""The tickets app's own configurable numbers (the spec's complaint and repair keys are in the
core catalogue; see docs/policies.md)."""

from django.utils.translation import gettext_lazy as _

from guanjia.core.policies.registry import Kind, PolicySpec, register

register(
    PolicySpec(
        "ticket.warn_before_min",
        Kind.INTEGER,
        60,
        _("Warn the handler and the supervisor before a ticket deadline"),
        "08",
        "minutes",
        5,
        1440,
    ),
)
