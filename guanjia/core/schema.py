"""The OpenAPI schema's one class (REST_FRAMEWORK's DEFAULT_SCHEMA_CLASS).

Components are named after their serializer (`ReasonBody`, `Plan`); twelve apps reuse such
short names for different shapes, and two components of one name make a wrong schema. The
procedure apps (layers 6-8 of docs/new-app.md) therefore name every component after their
app too (`PassesReasonBody`, `RenovationPlan`); the older apps keep the names their clients
already use."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema

PREFIXED_APPS = frozenset(
    {"movein", "vacant", "passes", "violations", "attendance", "renovation", "conduct", "patrols"}
    | {"training", "sanctions", "plans", "appraisal"}
)


def app_prefix(module: str) -> str:
    """`guanjia.passes.api` -> "Passes"; "" outside the procedure apps."""
    parts = module.split(".")
    if len(parts) > 1 and parts[0] == "guanjia" and parts[1] in PREFIXED_APPS:
        return parts[1].capitalize()
    return ""


class GuanjiaAutoSchema(AutoSchema):
    def get_serializer_name(self, serializer: Any, direction: Any) -> str:
        name: str = super().get_serializer_name(serializer, direction)
        prefix = app_prefix(type(serializer).__module__)
        return name if not prefix or name.startswith(prefix) else f"{prefix}{name}"
