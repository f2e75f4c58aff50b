"""API for jobs under /api/v1/jobs/: a run's status and progress."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from guanjia.core.access import get_visible_or_404

from .models import JobRun


class JobRunSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    percent = serializers.IntegerField(read_only=True)
    is_finished = serializers.BooleanField(read_only=True)
    file_url = serializers.CharField(read_only=True)

    class Meta:
        model = JobRun
        fields = [
            "id",
            "label",
            "status",
            "status_display",
            "progress_done",
            "progress_total",
            "percent",
            "message",
            "is_finished",
            "result",
            "error",
            "file_url",
            "community",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


@extend_schema(responses=JobRunSerializer)
@api_view(["GET"])
def jobrun_detail(request: Request, pk: int) -> Response:
    run = get_visible_or_404(JobRun, request.user, pk=pk)
    return Response(JobRunSerializer(run).data)


app_name = "jobs-api"
urlpatterns = [path("<int:pk>/", jobrun_detail, name="jobrun-detail")]
