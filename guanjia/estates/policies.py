"""The estates app's configurable numbers, registered with core.policies."""

from django.utils.translation import gettext_lazy as _

from guanjia.core.policies.registry import Kind, PolicySpec, register

DOCUMENT_MAX_MB = "estates.document_max_mb"

register(
    PolicySpec(
        DOCUMENT_MAX_MB,
        Kind.INTEGER,
        10,
        _("Largest file accepted in the household archive"),
        "25",
        "MB",
        1,
        50,
        help_text=_("Ownership proofs, ID copies and contracts: PDF, JPEG or PNG up to this size."),
    ),
)
