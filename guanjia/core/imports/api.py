"""API for imports under /api/v1/imports/: the state of a batch (status, counts, errors)."""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from guanjia.core.access import get_visible_or_404, require_perm

from .models import ImportBatch
from .registry import get_importer
from .selectors import visible_errors


class ImportErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(allow_null=True)
    column = serializers.CharField(allow_blank=True)
    value = serializers.CharField(allow_blank=True)
    message = serializers.CharField()


class ImportBatchSerializer(serializers.ModelSerializer):
    errors = serializers.SerializerMethodField()  # type: ignore[assignment]

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "kind",
            "community",
            "file_name",
            "status",
            "row_count",
            "error_count",
            "errors",
            "report",
            "created_at",
            "committed_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ImportErrorSerializer(many=True))
    def get_errors(self, batch: ImportBatch) -> list[dict[str, Any]]:
        return visible_errors(batch, get_importer(batch.kind))


@extend_schema(responses=ImportBatchSerializer)
@api_view(["GET"])
def batch_detail(request: Request, kind: str, pk: int) -> Response:
    permission = get_importer(kind).permission
    require_perm(request.user, permission)
    batches = ImportBatch.objects.filter(kind=kind).defer("rows")
    batch: Any = get_visible_or_404(batches, request.user, pk=pk)
    require_perm(request.user, permission, batch.community)
    return Response(ImportBatchSerializer(batch).data)


app_name = "imports-api"
urlpatterns = [path("<slug:kind>/batches/<int:pk>/", batch_detail, name="batch-detail")]
