from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from guanjia.core.tests.matrix import RouteCase

from .factories import xlsx_upload

ADMIN_ONLY = "the staff importer is company-wide (admin role); community scoping of batches is "
ADMIN_ONLY += "proven in imports/tests/test_views.py with a community importer"
STAFF_ROWS = [["用户名", "姓名"], ["newcomer", "新同事"]]


def _staff_batch(world, community):
    from guanjia.core.imports.services import upload_import

    batch = upload_import(
        kind="staff", upload=xlsx_upload(STAFF_ROWS), by=world.user("admin"), community=None
    )
    return {"kind": "staff", "pk": batch.pk}


def _export_run(world, community):
    from guanjia.core.imports.services import EXPORT_TASK
    from guanjia.core.jobs.models import JobRun, JobStatus

    name = default_storage.save("exports/test/staff.xlsx", ContentFile(b"PK-test"))
    run = JobRun.objects.create(
        key=f"export:test:{community.pk}",
        task=EXPORT_TASK,
        label="export",
        status=JobStatus.SUCCEEDED,
        created_by=world.user("director"),
        community=community,
        result={"file_url": "/x/", "file_name": "staff.xlsx", "storage_name": name, "rows": 1},
    )
    return {"pk": run.pk}


ROUTES = [
    RouteCase(
        "imports:upload",
        allowed="admin",
        denied="director",
        kwargs=lambda w, c: {"kind": "staff"},
        scoped=False,
        why_unscoped=ADMIN_ONLY,
        max_queries=12,
    ),
    RouteCase(
        "imports:upload",
        allowed="admin",
        denied="director",
        method="POST",
        kwargs=lambda w, c: {"kind": "staff"},
        data=lambda w, c: {"file": xlsx_upload(STAFF_ROWS)},
        scoped=False,
        why_unscoped=ADMIN_ONLY,
        max_queries=25,
    ),
    RouteCase(
        "imports:template",
        allowed="admin",
        denied="director",
        kwargs=lambda w, c: {"kind": "staff"},
        scoped=False,
        why_unscoped=ADMIN_ONLY,
        max_queries=10,
    ),
    RouteCase(
        "imports:batch-detail",
        allowed="admin",
        denied="director",
        kwargs=_staff_batch,
        scoped=False,
        why_unscoped=ADMIN_ONLY,
        max_queries=12,
    ),
    RouteCase(
        "imports:batch-commit",
        allowed="admin",
        denied="director",
        method="POST",
        kwargs=_staff_batch,
        scoped=False,
        why_unscoped=ADMIN_ONLY,
        max_queries=30,
    ),
    RouteCase(
        "imports:batch-discard",
        allowed="admin",
        denied="director",
        method="POST",
        kwargs=_staff_batch,
        scoped=False,
        why_unscoped=ADMIN_ONLY,
        max_queries=19,
    ),
    RouteCase(
        "imports:batch-errors",
        allowed="admin",
        denied="director",
        kwargs=_staff_batch,
        scoped=False,
        why_unscoped=ADMIN_ONLY,
        max_queries=11,
    ),
    RouteCase("imports:export-download", allowed="director", kwargs=_export_run, max_queries=11),
    RouteCase(
        "imports-api:batch-detail",
        allowed="admin",
        denied="director",
        api=True,
        kwargs=_staff_batch,
        scoped=False,
        why_unscoped=ADMIN_ONLY,
        max_queries=11,
    ),
]
