import datetime as dt
import threading

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError

from guanjia.core.numbering.models import DocumentSequence
from guanjia.core.numbering.registry import (
    UnknownDocumentKindError,
    get_kind,
    register_kind,
)
from guanjia.core.numbering.services import DocumentNumber, next_number
from guanjia.core.tests.factories import CommunityFactory

# Test-only kinds with prefixes no real app uses.
COMPLAINT = register_kind("test.complaint", "Complaint record", "ZT").code
REPAIR = register_kind("test.repair", "Repair order", "ZW").code
WIDE = register_kind("test.wide", "Wide numbers", "ZP", padding=6).code


def take(community, kind=COMPLAINT, year=2026) -> DocumentNumber:
    with transaction.atomic():
        return next_number(community=community, kind=kind, year=year)


def test_numbers_are_sequential_and_formatted_with_four_digits(world):
    numbers = [take(world.a) for _ in range(3)]
    assert [n.seq for n in numbers] == [1, 2, 3]
    assert [str(n) for n in numbers] == ["ZT-2026-0001", "ZT-2026-0002", "ZT-2026-0003"]
    row = DocumentSequence.objects.get(community=world.a, kind=COMPLAINT, year=2026)
    assert row.last_number == 3
    assert row.company == world.company


def test_each_community_kind_and_year_counts_on_its_own(world):
    take(world.a)
    take(world.a)
    assert take(world.b).seq == 1
    assert take(world.a, kind=REPAIR).seq == 1
    assert take(world.a, year=2027).seq == 1
    assert take(world.a).seq == 3
    assert DocumentSequence.objects.count() == 4


def save_a_document_that_fails(community) -> None:
    with transaction.atomic():
        next_number(community=community, kind=COMPLAINT, year=2026)
        raise RuntimeError("saving the document failed")


def test_a_rolled_back_document_gives_its_number_back(world):
    take(world.a)
    with pytest.raises(RuntimeError):
        save_a_document_that_fails(world.a)
    assert take(world.a).seq == 2


def test_a_rolled_back_first_number_leaves_no_sequence_behind(world):
    with pytest.raises(RuntimeError):
        save_a_document_that_fails(world.a)
    assert not DocumentSequence.objects.exists()
    assert take(world.a).seq == 1


def test_the_number_grows_past_the_padding(world):
    take(world.a)
    DocumentSequence.objects.filter(community=world.a).update(last_number=9998)
    assert str(take(world.a)) == "ZT-2026-9999"
    assert str(take(world.a)) == "ZT-2026-10000"


def test_a_kind_may_ask_for_wider_padding(world):
    assert str(take(world.a, kind=WIDE)) == "ZP-2026-000001"


def test_the_year_defaults_to_the_local_year_in_china(world):
    # 2026-12-31 17:30 UTC is already 2027-01-01 01:30 in Asia/Shanghai.
    new_year = dt.datetime(2026, 12, 31, 17, 30, tzinfo=dt.UTC)
    with time_machine.travel(new_year, tick=False), transaction.atomic():
        number = next_number(community=world.a, kind=COMPLAINT)
    assert (number.year, str(number)) == (2027, "ZT-2027-0001")


def test_a_year_without_four_digits_is_refused(world):
    with pytest.raises(ValueError, match="four digits"), transaction.atomic():
        next_number(community=world.a, kind=COMPLAINT, year=26)
    assert not DocumentSequence.objects.exists()


def test_an_unregistered_kind_is_refused(world):
    with pytest.raises(UnknownDocumentKindError), transaction.atomic():
        next_number(community=world.a, kind="test.nobody-registered-this")
    assert not DocumentSequence.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_numbering_outside_a_transaction_is_refused():
    community = CommunityFactory()
    with pytest.raises(TransactionManagementError):
        next_number(community=community, kind=COMPLAINT, year=2026)
    assert not DocumentSequence.objects.exists()


def test_document_numbers_sort_by_kind_year_and_sequence():
    early = DocumentNumber(kind="k", year=2026, seq=9, prefix="ZT")
    late = DocumentNumber(kind="k", year=2026, seq=10, prefix="ZT")
    assert sorted([late, early]) == [early, late]


def test_registering_the_same_kind_twice_is_harmless():
    assert register_kind("test.complaint", "Complaint record", "ZT") == get_kind(COMPLAINT)


@pytest.mark.parametrize(
    ("code", "prefix", "padding"),
    [
        ("test.complaint", "ZX", 4),  # same code, another prefix
        ("test.other", "ZT", 4),  # another code, a prefix already taken
        ("Test Kind!", "ZQ", 4),  # not an identifier
        ("x" * 21, "ZQ", 4),  # longer than the column
        ("test.lower", "zq", 4),  # prefix not in capitals
        ("test.padding", "ZQ", 0),  # no digits at all
    ],
)
def test_a_clashing_or_malformed_kind_is_refused(code, prefix, padding):
    with pytest.raises(ImproperlyConfigured):
        register_kind(code, "label", prefix, padding=padding)


def _take_concurrently(community, threads: int = 16) -> list[int]:
    barrier = threading.Barrier(threads)
    taken: list[int] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            barrier.wait(timeout=30)
            with transaction.atomic():
                number = next_number(community=community, kind=COMPLAINT, year=2026)
                threading.Event().wait(0.01)  # hold the row lock a moment: force contention
            taken.append(number.seq)
        except BaseException as exc:  # the assertion below reports it
            errors.append(exc)
        finally:
            connection.close()

    pool = [threading.Thread(target=work) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=60)
    assert not errors, errors
    return taken


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="race safety is proven on PostgreSQL"
)


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_sixteen_threads_racing_for_the_first_number_get_sixteen_consecutive_numbers():
    community = CommunityFactory()
    assert sorted(_take_concurrently(community)) == list(range(1, 17))
    assert DocumentSequence.objects.get(community=community).last_number == 16


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_sixteen_threads_continuing_a_sequence_get_sixteen_consecutive_numbers():
    community = CommunityFactory()
    with transaction.atomic():
        next_number(community=community, kind=COMPLAINT, year=2026)
    assert sorted(_take_concurrently(community)) == list(range(2, 18))
