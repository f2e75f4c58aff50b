"""Roles are Django groups named by Role codes, holding the permissions the apps declare."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from guanjia.core.roles import Role


def role_permission_map() -> dict[str, set[str]]:
    """Role code -> "app_label.codename" permissions, gathered from every app's AppConfig."""
    grants: dict[str, set[str]] = {role.value: set() for role in Role}
    for config in apps.get_app_configs():
        for role, perms in getattr(config, "role_permissions", {}).items():
            grants.setdefault(role, set()).update(perms)
    return grants


@transaction.atomic
def sync_roles(*, using: str = "default") -> None:
    """Create a group per role and give it exactly the permissions the apps declare."""
    all_perms = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.using(using).values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for role, perms in role_permission_map().items():
        group, _created = Group.objects.using(using).get_or_create(name=role)
        wanted = [all_perms[p] for p in perms if p in all_perms]
        group.permissions.set(wanted)
