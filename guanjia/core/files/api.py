"""The API shows a stored file as the serving view's address, never a storage path."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .registry import file_url


@extend_schema_field({"type": "string", "format": "uri", "nullable": True, "readOnly": True})
class FileUrlField(serializers.Field):
    """Read only: the absolute address at `files:serve` of the model field of the same name
    (null when the row has no file)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value: Any) -> str | None:
        url = file_url(value, self.field_name or "")
        if not url:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url
