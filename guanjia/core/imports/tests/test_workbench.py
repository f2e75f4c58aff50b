"""An import on the workbench (its uploader's, once checked) and who is told when someone
else finishes it (guanjia/core/imports/workbench.py, announcements.py)."""

import pytest

from guanjia.core.imports import services
from guanjia.core.notifications.models import Notification
from guanjia.core.workbench.selectors import workbench

from .factories import xlsx_upload

pytestmark = pytest.mark.django_db

HEADER = ["编号", "数量", "日期", "手机", "完成"]


def _upload(world, role="director"):
    return services.upload_import(
        kind="sample",
        upload=xlsx_upload([HEADER, ["A1", 3, "2026-01-05", "13800138000", "是"]]),
        by=world.user(role),
        community=world.a,
    )


def _imports(user, community):
    return [c for c in workbench(user, community).counts if c.kind.code == "imports.confirm"]


def test_a_checked_import_waits_on_its_uploader_s_workbench_only(world, sample_importer):
    batch = _upload(world)
    mine = _imports(world.user("director"), world.a)
    assert [(c.total, c.url) for c in mine] == [(1, "")]
    assert not _imports(world.user("supervisor"), world.a)  # not theirs: not shown at all
    assert not _imports(world.user("director"), world.b)
    services.commit_import(batch=batch, by=world.user("director"))
    assert not _imports(world.user("director"), world.a)


def test_the_uploader_is_told_when_a_colleague_imports_their_batch(
    world, sample_importer, django_capture_on_commit_callbacks
):
    batch = _upload(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.commit_import(batch=batch, by=world.user("supervisor"))
    note = Notification.objects.get(event="imports.batch_finished")
    assert note.recipient == world.user("director")
    assert batch.file_name in note.subject


def test_nobody_is_told_of_their_own_import(
    world, sample_importer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        batch = _upload(world)
        services.commit_import(batch=batch, by=world.user("director"))
    assert not Notification.objects.exists()
