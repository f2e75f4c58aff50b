from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from guanjia.core.context_processors import NavItem

VIEWERS = ("director", "supervisor", "finance", "hr", "management", "admin", "auditor")


class PoliciesConfig(AppConfig):
    name = "guanjia.core.policies"
    label = "policies"
    verbose_name = _("Policies")
    # Spec §26 "Configuration": SUP proposes, DIR approves for the community, FIN financial
    # keys, HR HR keys, GM (management) company defaults. Services check the per-key rule.
    role_permissions: dict[str, list[str]] = {
        **{role: ["policies.view_policyvalue"] for role in VIEWERS},
        "director": [
            "policies.view_policyvalue",
            "policies.change_operations_policy",
            "policies.propose_policy",
        ],
        "supervisor": ["policies.view_policyvalue", "policies.propose_policy"],
        "finance": ["policies.view_policyvalue", "policies.change_financial_policy"],
        "hr": ["policies.view_policyvalue", "policies.change_hr_policy"],
        "management": ["policies.view_policyvalue", "policies.change_company_policy"],
        "admin": ["policies.view_policyvalue", "policies.change_company_policy"],
    }
    nav_items = [
        NavItem(
            _("Settings"),  # NavItem takes lazy labels at run time
            _("Policies"),
            "policies:list",
            "policies.view_policyvalue",
            900,
        )
    ]

    def ready(self) -> None:
        from . import announcements, workbench
        from .catalogue import register_catalogue

        register_catalogue()
        workbench.register()  # proposals waiting for the user's decision
        announcements.register()  # the proposer is told of the decision
        # Each app declares its own keys in `<app>/policies.py`.
        autodiscover_modules("policies")
