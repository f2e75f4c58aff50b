"""Every API serializer that could write a community-scoped row fixes its scope fields with
core.api.ScopedSerializerMixin (docs/new-app.md, "API tokens and scope fields")."""

import importlib
import inspect
import pkgutil

from rest_framework import serializers

import guanjia
from guanjia.core.api import ScopedSerializerMixin
from guanjia.core.models import Community


def _api_serializers() -> list[type[serializers.Serializer]]:
    found = []
    for info in pkgutil.walk_packages(guanjia.__path__, "guanjia."):
        if ".tests" in info.name or not (info.name.endswith(".api") or ".api." in info.name):
            continue
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if (
                inspect.isclass(obj)
                and issubclass(obj, serializers.Serializer)
                and obj.__module__ == module.__name__
            ):
                found.append(obj)
    return found


def _belongs_to_a_community(model: type) -> bool:
    return any(field.name == "community" for field in model._meta.get_fields())


def _writes_scoped_rows(serializer_class: type[serializers.Serializer]) -> bool:
    """A ModelSerializer of a community-scoped model with a writable field, or a serializer
    with a writable relation to a community-scoped model (or to Community itself)."""
    fields = serializer_class().fields
    writable = [field for field in fields.values() if not field.read_only]
    if (
        issubclass(serializer_class, serializers.ModelSerializer)
        and writable
        and _belongs_to_a_community(serializer_class.Meta.model)
    ):
        return True
    return any(
        isinstance(field, serializers.RelatedField)
        and field.queryset is not None
        and (field.queryset.model is Community or _belongs_to_a_community(field.queryset.model))
        for field in writable
    )


def test_the_api_modules_are_found():
    names = {cls.__name__ for cls in _api_serializers()}
    assert {"PersonSerializer", "VehicleSerializer", "ContactSerializer"} <= names


def test_every_serializer_writing_a_community_scoped_row_uses_the_scope_mixin():
    missing = sorted(
        f"{cls.__module__}.{cls.__name__}"
        for cls in _api_serializers()
        if _writes_scoped_rows(cls) and not issubclass(cls, ScopedSerializerMixin)
    )
    assert not missing, f"use guanjia.core.api.ScopedSerializerMixin in: {missing}"
