"""Standards and rate versions that existed before approvals were introduced were in use:
mark them approved (by nobody, at migration time) so billing goes on unchanged."""

from django.db import migrations
from django.db.models import Q


def mark_approved(apps, schema_editor):
    for name in (
        "FeeStandard",
        "FeeStandardVersion",
        "HistoricalFeeStandard",
        "HistoricalFeeStandardVersion",
    ):
        model = apps.get_model("billing", name)
        model.objects.filter(~Q(approval_status="approved")).update(approval_status="approved")


class Migration(migrations.Migration):
    dependencies = [("billing", "0005_approval_state")]

    # Reverse: nothing to undo (the approval columns are dropped by 0005's reverse).
    operations = [migrations.RunPython(mark_approved, migrations.RunPython.noop)]
