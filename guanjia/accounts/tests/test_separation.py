"""Separation of duties (spec §26 rule 1): two steps by two different people."""

import pytest
from django.core.exceptions import PermissionDenied

from guanjia.accounts.services import (
    SEPARATION_RULES,
    ensure_different_people,
    register_separation_rule,
)
from guanjia.accounts.tests.factories import UserFactory


@pytest.mark.django_db
def test_the_issuer_of_a_receipt_cannot_approve_its_reversal():
    cashier = UserFactory()
    with pytest.raises(PermissionDenied) as exc:
        ensure_different_people(actor=cashier, other=cashier, rule="receipt_reversal")
    assert str(exc.value) == "The person who issued a receipt cannot approve its reversal."


@pytest.mark.django_db
def test_another_person_may_approve():
    ensure_different_people(actor=UserFactory(), other=UserFactory(), rule="receipt_reversal")


@pytest.mark.django_db
def test_no_other_person_means_nothing_to_separate():
    ensure_different_people(actor=UserFactory(), other=None, rule="complaint_about_self")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rule", "words"),
    [("complaint_about_self", "complaint"), ("appraisal_review", "rater")],
)
def test_each_rule_of_the_manual_names_itself(rule, words):
    person = UserFactory()
    with pytest.raises(PermissionDenied) as exc:
        ensure_different_people(actor=person, other=person, rule=rule)
    assert words in str(exc.value)


@pytest.mark.django_db
def test_the_message_is_in_the_users_language():
    from django.utils import translation

    person = UserFactory()
    with translation.override("zh-hans"), pytest.raises(PermissionDenied) as exc:
        ensure_different_people(actor=person, other=person, rule="receipt_reversal")
    assert str(exc.value)  # translated when raised (the catalogue pass adds the Chinese)


def test_an_unknown_rule_is_a_programming_error_not_a_silent_pass():
    with pytest.raises(KeyError):
        ensure_different_people(actor=object(), other=None, rule="recipt_reversal")  # type: ignore[arg-type]


def test_apps_register_rules_of_their_own():
    register_separation_rule("meter_reading_check", "The reader cannot check their own readings.")
    try:
        assert "meter_reading_check" in SEPARATION_RULES
    finally:
        SEPARATION_RULES.pop("meter_reading_check")
