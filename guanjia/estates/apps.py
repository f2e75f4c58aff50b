from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from guanjia.core.context_processors import NavItem

# Registry rows of spec §26: who creates, reads and updates units, owners and occupants.
_REGISTERS = ["building", "entrance", "unit", "person", "ownership", "occupancy", "vehicle"]
_REGISTERS += ["parkingspace", "pet", "unitdocument", "unitnote"]
_VIEW_ALL = [f"estates.view_{m}" for m in [*_REGISTERS, "zone"]]
_EDIT = [f"estates.{verb}_{m}" for m in _REGISTERS for verb in ("add", "change")]
_SETUP = [
    f"estates.{verb}_{m}"
    for m in ("zone", "building", "entrance", "unit")
    for verb in ("add", "change", "view")
]
_REVEAL = "estates.reveal_personal_data"
_REVIEW = "estates.view_personaldataaccess"
_SECURITY = [  # security reads occupants, their vehicles and parking: not owners or files
    f"estates.view_{m}"
    for m in ("zone", "building", "entrance", "unit", "person", "occupancy", "vehicle")
] + ["estates.view_parkingspace", "estates.view_pet"]


def _nav(section: Any, label: Any, url_name: str, perm: str, order: int) -> NavItem:
    """A NavItem with lazily translated texts (NavItem annotates them as str)."""
    return NavItem(section, label, url_name, perm, order)


class EstatesConfig(AppConfig):
    name = "guanjia.estates"
    label = "estates"
    verbose_name = _("Estates")
    default_auto_field = "django.db.models.BigAutoField"

    role_permissions: dict[str, list[str]] = {
        "receptionist": [*_VIEW_ALL, *_EDIT, _REVEAL],
        "area_manager": [*_VIEW_ALL, *_EDIT, _REVEAL],  # own zones only: see services
        "supervisor": [*_VIEW_ALL, *_EDIT, "estates.add_zone", "estates.change_zone", _REVEAL],
        "director": [*_VIEW_ALL, _REVEAL, _REVIEW],
        "cashier": [*_VIEW_ALL, _REVEAL],
        "engineering_lead": _VIEW_ALL,
        "technician": _VIEW_ALL,
        "security": _SECURITY,
        "finance": _VIEW_ALL,
        "management": [*_VIEW_ALL, _REVIEW],
        "auditor": [*_VIEW_ALL, _REVIEW],
        "admin": _SETUP,
    }
    nav_items = [
        _nav(_("Registry"), _("Search residents"), "estates:search", "estates.view_unit", 20),
        _nav(_("Registry"), _("Units"), "estates:unit-list", "estates.view_unit", 21),
        _nav(_("Registry"), _("People"), "estates:person-list", "estates.view_person", 22),
        _nav(_("Registry"), _("Vehicles"), "estates:vehicle-list", "estates.view_vehicle", 23),
        _nav(_("Registry"), _("Buildings"), "estates:building-list", "estates.view_building", 24),
        _nav(_("Registry"), _("Zones"), "estates:zone-list", "estates.view_zone", 25),
        _nav(_("Registry"), _("Personal data access log"), "estates:access-log", _REVIEW, 90),
    ]
    importers = [
        f"guanjia.estates.importers.{name}"
        for name in (
            "UnitImporter",
            "OwnerImporter",
            "OwnerRollImporter",
            "OccupantImporter",
            "VehicleImporter",
        )
    ]
    exporters = [
        f"guanjia.estates.importers.{name}Exporter"
        for name in ("Unit", "Building", "Zone", "Entrance", "Person", "Vehicle", "Parking")
    ] + ["guanjia.estates.importers.AccessLogExporter"]

    def ready(self) -> None:
        from guanjia.core.files.registry import register_file

        from . import selectors
        from .models import UnitDocument

        selectors.register_estates_timeline_sources()
        # Served by files:serve to those who may view household documents (docs/files.md).
        register_file(
            UnitDocument, "file", perm="estates.view_unitdocument", name_field="original_name"
        )
        # Roles get this app's permissions once they exist (they are created after the
        # accounts app's own post_migrate has run).
        post_migrate.connect(_sync_roles_after_migrate, sender=self)


def _sync_roles_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    from guanjia.accounts.services import sync_roles

    sync_roles(using=kwargs.get("using", "default"))
