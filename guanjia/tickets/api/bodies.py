"""The body of each API move, built from the page's form for that move.

`body_serializer(form_class)` turns a Django form class into a DRF Serializer class with the
same field types, required flags, choices, limits and help text. The API validates a body
with it first (a wrong type, a missing field or an unknown choice gives DRF's field errors),
then hands the same data to the page's form and service for the business rules. The OpenAPI
schema documents each move with the serializer (`extend_schema(request=...)`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

_CACHE: dict[tuple[type[forms.Form], str], type[serializers.Serializer]] = {}

SIGNATURE_HELP = _(
    "The resident's signature: a PNG as a data URL (data:image/png;base64,...), or a PNG "
    "file in a multipart/form-data body."
)


@extend_schema_field({"type": "string", "format": "binary"})
class UploadField(serializers.FileField):
    """A file in a multipart/form-data body (the schema shows it as binary)."""


def _common(field: forms.Field) -> dict[str, Any]:
    kw: dict[str, Any] = {"required": field.required}
    label = field.label
    if label:
        kw["label"] = label
    if field.help_text:
        kw["help_text"] = field.help_text
    return kw


def _choices(field: forms.ChoiceField) -> list[tuple[Any, Any]]:
    choices: Any = field.choices
    return [(value, label) for value, label in choices if value != ""]


def body_field(name: str, field: forms.Field) -> serializers.Field:
    """The DRF field that checks the type of one form field's value."""
    kw = _common(field)
    if isinstance(field, forms.ModelChoiceField):
        # The id only: whether the user may be picked is the form's (and service's) rule.
        return serializers.IntegerField(min_value=1, allow_null=not field.required, **kw)
    if isinstance(field, forms.FileField):
        return UploadField(**kw)
    if isinstance(field, forms.ChoiceField):
        return serializers.ChoiceField(
            choices=_choices(field), allow_blank=not field.required, **kw
        )
    if isinstance(field, forms.BooleanField):
        return serializers.BooleanField(default=False, **{**kw, "required": False})
    if isinstance(field, forms.DecimalField):
        return serializers.DecimalField(
            max_digits=field.max_digits, decimal_places=field.decimal_places, **kw
        )
    if isinstance(field, forms.IntegerField):
        limits: dict[str, Any] = {"min_value": field.min_value, "max_value": field.max_value}
        return serializers.IntegerField(allow_null=not field.required, **limits, **kw)
    if isinstance(field, forms.DateTimeField):
        return serializers.DateTimeField(allow_null=not field.required, **kw)
    if isinstance(field, forms.DateField):
        return serializers.DateField(allow_null=not field.required, **kw)
    if isinstance(field, forms.CharField):
        if name == "signature":
            kw["help_text"] = SIGNATURE_HELP
        return serializers.CharField(
            max_length=field.max_length, allow_blank=not field.required, trim_whitespace=False, **kw
        )
    raise TypeError(f"no API body field for {type(field).__name__} ({name})")  # pragma: no cover


def body_serializer(
    form_class: type[forms.Form], name: str, doc: str = ""
) -> type[serializers.Serializer]:
    """A Serializer class named `name` (the schema's component) with the form's fields."""
    key = (form_class, name)
    if key not in _CACHE:
        attrs: dict[str, Any] = {
            name: body_field(name, field) for name, field in form_class.base_fields.items()
        }
        attrs["__doc__"] = doc or form_class.__doc__ or ""
        attrs["__module__"] = __name__
        _CACHE[key] = type(name, (serializers.Serializer,), attrs)
    return _CACHE[key]


def has_files(form_class: type[forms.Form]) -> bool:
    return any(field.widget.needs_multipart_form for field in form_class.base_fields.values())
