import re
from pathlib import Path

import pytest
from django.conf import settings

from guanjia.core.policies.catalogue import CATALOGUE, SECTIONS
from guanjia.core.policies.registry import Domain, Kind, Scope, get_spec

DOCS = Path(settings.BASE_DIR) / "docs" / "policies.md"
SPEC = Path(settings.BASE_DIR).parent / "shared" / "spec" / "procedures.md"


def test_the_catalogue_declares_every_key_once_and_all_are_registered():
    keys = [spec.key for spec in CATALOGUE]
    assert len(keys) == len(set(keys))
    assert len(keys) >= 100
    for key in keys:
        assert get_spec(key) is not None


def test_every_catalogue_section_has_a_title():
    assert {spec.section for spec in CATALOGUE} <= set(SECTIONS)


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


def test_money_fees_deposits_and_approval_limits_are_financial():
    for spec in CATALOGUE:
        if spec.kind == Kind.MONEY or spec.key.startswith(("billing.", "approval.")):
            assert spec.domain == Domain.FINANCIAL, spec.key


def test_hr_rules_are_company_wide_hr_keys():
    for spec in CATALOGUE:
        if spec.key.startswith(("att.", "training.", "rp.", "hr.")):
            assert (spec.domain, spec.scope) == (Domain.HR, Scope.COMPANY), spec.key


def test_the_docs_table_lists_every_catalogue_key():
    table = DOCS.read_text(encoding="utf-8")
    missing = [spec.key for spec in CATALOGUE if f"| `{spec.key}` |" not in table]
    assert not missing


@pytest.mark.skipif(not SPEC.exists(), reason="the shared spec is not beside the project")
def test_every_cfg_name_of_the_spec_is_mapped_in_the_docs():
    names = set(re.findall(r"cfg\.[a-z_0-9.]*[a-z0-9_]", SPEC.read_text(encoding="utf-8")))
    table = DOCS.read_text(encoding="utf-8")
    missing = sorted(name for name in names if not re.search(re.escape(name) + r"\b", table))
    assert not missing
