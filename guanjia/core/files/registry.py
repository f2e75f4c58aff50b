"""Which file fields the serving view may serve, and how each is scoped.

Each app registers its file fields in its AppConfig's `ready()`, one line per field:

    register_file(RepairPhoto, "image", owner="order", perm="tickets.view_repairorder")

`owner` names the foreign key to the record whose community and permission decide who may
see the file ("" when the row with the file is that record); `perm` is the permission to view
that record; `name_field` is the column holding the name the user gave the file, used as the
download name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.http import Http404
from django.urls import reverse

if TYPE_CHECKING:
    from guanjia.core.access import User

_REGISTRY: dict[tuple[str, str, str], FileSpec] = {}


@dataclass(frozen=True)
class FileSpec:
    """One served file field: its model, the record that scopes it and the permission."""

    model: type[models.Model]
    field: str
    perm: str
    owner: str = ""
    name_field: str = ""

    def rows_visible_to(self, user: User) -> models.QuerySet[Any]:
        """Rows whose owning record the user may see (its scoped queryset's `visible_to`)."""
        manager: Any = self.model._default_manager
        if not self.owner:
            return manager.visible_to(user)  # type: ignore[no-any-return]
        owner_model: Any = self.model._meta.get_field(self.owner).related_model
        visible = owner_model._default_manager.visible_to(user)
        rows: models.QuerySet[Any] = manager.filter(**{f"{self.owner}__in": visible})
        return rows.select_related(self.owner)

    def owner_of(self, row: models.Model) -> Any:
        return getattr(row, self.owner) if self.owner else row

    def community_id_of(self, row: models.Model) -> int:
        """The community of the owning record, by its queryset's `community_lookup`."""
        target = self.owner_of(row)
        *path, last = type(target)._default_manager.get_queryset().community_lookup.split("__")
        for step in path:
            target = getattr(target, step)
        return int(getattr(target, f"{last}_id" if last != "pk" else "pk"))

    def download_name(self, row: models.Model, extension: str) -> str:
        given = str(getattr(row, self.name_field, "") or "") if self.name_field else ""
        return given or f"{self.model._meta.model_name}-{row.pk}-{self.field}.{extension}"


def register_file(
    model: type[models.Model], field: str, *, perm: str, owner: str = "", name_field: str = ""
) -> None:
    """Let the serving view serve `model.field` to those who may view its owning record."""
    model._meta.get_field(field)  # a typo fails at start-up, not at the first download
    scoping = model._meta.get_field(owner).related_model if owner else model
    if not hasattr(getattr(scoping, "_default_manager", None), "visible_to"):
        raise TypeError(f"{scoping}: the record that scopes a file needs objects.visible_to()")
    spec = FileSpec(model, field, perm, owner, name_field)
    _REGISTRY[(model._meta.app_label, str(model._meta.model_name), field)] = spec


def registered_files() -> list[FileSpec]:
    return list(_REGISTRY.values())


def spec_or_404(app_label: str, model_name: str, field: str) -> FileSpec:
    try:
        return _REGISTRY[(app_label, model_name, field)]
    except KeyError:
        raise Http404 from None


def file_url(row: models.Model, field: str) -> str:
    """The serving view's address of a row's file ("" when the row has none)."""
    if not getattr(row, field):
        return ""
    meta = row._meta
    kwargs = {"app_label": meta.app_label, "model": meta.model_name, "pk": row.pk, "field": field}
    return reverse("files:serve", kwargs=kwargs)
