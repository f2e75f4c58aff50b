import re
from pathlib import Path

import pytest
from django.conf import settings

from guanjia.core.policies.catalogue import CATALOGUE, SECTIONS
from guanjia.core.policies.registry import Domain, Kind, Scope, all_specs, get_spec

DOCS = Path(settings.BASE_DIR) / "docs" / "policies.md"
SPEC = Path(settings.BASE_DIR).parent / "shared" / "spec" / "procedures.md"


def test_the_catalogue_declares_every_key_once_and_all_are_registered():
    keys = [spec.key for spec in CATALOGUE]
    assert len(keys) == len(set(keys))
    for key in keys:
        assert get_spec(key) is not None
    assert len(all_specs()) >= 100  # with the keys the apps declare


# Subjects of the apps that exist: their keys are declared in the app, never in core.
APP_SUBJECTS = {
    "accounts",
    "billing",
    "cashier",
    "complaint",
    "repair",
    "contact",
    "ticket",
    "estates",
}


def test_the_core_catalogue_declares_no_key_of_an_existing_app():
    assert {spec.key.split(".")[0] for spec in CATALOGUE}.isdisjoint(APP_SUBJECTS)


def test_the_apps_keys_are_registered_when_the_apps_load():
    for key in (
        "billing.late_fee_grace_days",
        "complaint.first_reply_hours",
        "contact.callback_hours",
    ):
        assert get_spec(key).key == key


def test_every_section_has_a_title():
    assert {spec.section for spec in all_specs()} <= set(SECTIONS)


def test_the_idle_timeout_is_a_company_wide_integer_of_minutes():
    spec = get_spec("security.idle_timeout_minutes")
    assert (spec.kind, spec.default, spec.minimum, spec.maximum) == (Kind.INTEGER, 30, 5, 720)
    assert (spec.unit, spec.section, spec.scope) == ("minutes", "26", Scope.COMPANY)
    assert spec.domain == Domain.OPERATIONS


@pytest.mark.parametrize(
    ("key", "default"),
    [
        ("complaint.first_reply_hours", 24),
        ("repair.emergency_arrive_min", 15),
        ("billing.late_fee_grace_days", 0),
        ("reno.max_days", 90),
        ("pass.temp_valid_days", 90),
        ("att.absent_days_dismiss", 3),
    ],
)
def test_defaults_are_those_of_spec_28(key, default):
    assert get_spec(key).default == default


# A meter-reading check of billing's own, not a money rule.
OPERATIONS_BILLING_KEYS = {"billing.reading_spike_ratio"}


def test_money_fees_deposits_and_approval_limits_are_financial():
    for spec in all_specs():
        if spec.kind == Kind.MONEY or spec.key.startswith(("billing.", "approval.")):
            assert spec.domain == Domain.FINANCIAL or spec.key in OPERATIONS_BILLING_KEYS, spec.key


def test_hr_rules_are_company_wide_hr_keys():
    for spec in all_specs():
        if spec.key.startswith(("att.", "training.", "rp.", "hr.")):
            assert (spec.domain, spec.scope) == (Domain.HR, Scope.COMPANY), spec.key


def test_the_docs_table_lists_every_registered_key():
    table = DOCS.read_text(encoding="utf-8")
    missing = [spec.key for spec in all_specs() if f"| `{spec.key}` |" not in table]
    assert not missing


@pytest.mark.skipif(not SPEC.exists(), reason="the shared spec is not beside the project")
def test_every_cfg_name_of_the_spec_is_mapped_in_the_docs():
    names = set(re.findall(r"cfg\.[a-z_0-9.]*[a-z0-9_]", SPEC.read_text(encoding="utf-8")))
    table = DOCS.read_text(encoding="utf-8")
    missing = sorted(name for name in names if not re.search(re.escape(name) + r"\b", table))
    assert not missing
