"""Every status has a workflow, and only the workflow assigns it (ADR 0008).

1. A model with a `status` or `state` field has a transitions table and an event model
   registered with core.workflows, or is listed below with its reason.
2. No module assigns a status (`obj.status = ...`, `.update(status=...)`) except the
   workflow service and the modules listed below; migrations, tests and factories may.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps
from django.db import models

from guanjia.core import workflows

ROOT = Path(__file__).resolve().parents[2]  # guanjia/
STATE_FIELDS = frozenset({"status", "state"})
WORKFLOW_SERVICE = "core/workflows/services.py"

# A machine's state, not a person's step: moved by compare-and-set updates in one service
# module (the worker claims a job, a backend reports a delivery); no actor to record.
MACHINE_STATES: dict[str, str] = {
    "jobs.JobRun": "core/jobs/services.py",
    "notifications.OutboundMessage": "core/notifications/services.py",
}

# Workflows not ported yet, with the modules that still assign their status. Remove an
# entry when its app is ported: the test fails on an entry that is no longer needed.
NOT_YET_PORTED: dict[str, tuple[str, ...]] = {}


def _stateful_models() -> list[type[models.Model]]:
    found = []
    for model in apps.get_models():
        if model.__name__.startswith("Historical") and hasattr(model, "history_id"):
            continue  # django-simple-history's copy of a model
        names = {field.name for field in model._meta.get_fields()}
        if names & STATE_FIELDS:
            found.append(model)
    return found


def test_every_model_with_a_status_has_a_registered_workflow():
    registered = workflows.registered()
    missing = sorted(
        model._meta.label
        for model in _stateful_models()
        if model not in registered
        and model._meta.label not in MACHINE_STATES
        and model._meta.label not in NOT_YET_PORTED
    )
    assert not missing, f"status without a transitions table and event model: {missing}"


def test_every_registered_workflow_has_an_event_table_of_the_one_kind():
    for (model, _field), flow in workflows.registered_fields().items():
        assert issubclass(flow.event_model, workflows.WorkflowEvent), model
        assert flow.event_model._meta.get_field(flow.event_object).related_model is model


def test_no_exemption_outlives_its_reason():
    registered = {model._meta.label for model in workflows.registered()}
    stateful = {model._meta.label for model in _stateful_models()}
    listed = set(MACHINE_STATES) | set(NOT_YET_PORTED)
    assert not listed & registered, "ported: remove it from the exemptions"
    assert listed <= stateful, "no such model with a status: remove it from the exemptions"


# --- who assigns a status --------------------------------------------------------------------
def _state_fields() -> frozenset[str]:
    return STATE_FIELDS | {flow.field for flow in workflows.registered_fields().values()}


def assignments(source: str, fields: frozenset[str]) -> list[tuple[int, str]]:
    """Lines that assign one of `fields`: `x.status = ...` or `.update(status=...)`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for part in ast.walk(target):
                    if isinstance(part, ast.Attribute) and part.attr in fields:
                        found.append((node.lineno, f".{part.attr} ="))
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "update"
        ):
            found += [
                (node.lineno, f"update({kw.arg}=)") for kw in node.keywords if kw.arg in fields
            ]
    return found


def _scanned_modules() -> list[Path]:
    skipped = {"migrations", "tests"}
    return [
        path
        for path in sorted(ROOT.rglob("*.py"))
        if not skipped & set(path.relative_to(ROOT).parts) and path.name != "factories.py"
    ]


def test_no_status_is_assigned_outside_its_workflow_service():
    allowed = {WORKFLOW_SERVICE, *MACHINE_STATES.values()}
    allowed |= {module for modules in NOT_YET_PORTED.values() for module in modules}
    fields = _state_fields()
    offenders = [
        f"{path.relative_to(ROOT)}:{line} {what}"
        for path in _scanned_modules()
        if str(path.relative_to(ROOT)) not in allowed
        for line, what in assignments(path.read_text(encoding="utf-8"), fields)
    ]
    assert not offenders, f"status assigned outside core.workflows.transition(): {offenders}"


def test_the_scan_sees_an_assignment_and_an_update_but_not_a_read_or_a_creation():
    source = (
        "unit.status = 'vacant'\n"
        "Unit.objects.filter(pk=1).update(status='vacant', note='')\n"
        "if unit.status == 'vacant': pass\n"
        "Unit.objects.filter(status='vacant')\n"
        "Unit(status='unsold')\n"
    )
    assert assignments(source, STATE_FIELDS) == [(1, ".status ="), (2, "update(status=)")]


def test_every_allowed_module_exists():
    listed = {WORKFLOW_SERVICE, *MACHINE_STATES.values()}
    listed |= {module for modules in NOT_YET_PORTED.values() for module in modules}
    assert all((ROOT / module).is_file() for module in listed)
