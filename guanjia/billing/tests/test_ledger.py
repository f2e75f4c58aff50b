"""The ledger: append-only entries, the balance table beside them, reversals, check_ledger."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from guanjia.billing.models import EntryKind, LedgerEntry, MonthClose, UnitBalance
from guanjia.billing.selectors import ledger_problems
from guanjia.billing.services import Posting, post_entries, reverse_entries

MARCH = dt.date(2024, 3, 1)


def charge(unit, item, amount="100.00", kind=EntryKind.CHARGE, period=MARCH):
    return Posting(
        unit_id=unit.pk, fee_item_id=item.pk, period=period, kind=kind, amount=Decimal(amount)
    )


def balance(unit, item):
    return UnitBalance.objects.get(unit=unit, fee_item=item)


def test_a_posting_moves_the_balance_in_the_same_transaction(world, unit, item, cashier):
    post_entries(community=world.a, postings=[charge(unit, item, "120.50")], by=cashier)
    post_entries(
        community=world.a, postings=[charge(unit, item, "-20.50", EntryKind.PAYMENT)], by=cashier
    )
    row = balance(unit, item)
    assert (row.billed, row.paid, row.outstanding) == (
        Decimal("120.50"),
        Decimal("20.50"),
        Decimal("100.00"),
    )


def test_entries_are_stored_in_fen(world, unit, item, cashier):
    post_entries(community=world.a, postings=[charge(unit, item, "0.07")], by=cashier)
    with connection.cursor() as cursor:
        cursor.execute("SELECT amount FROM billing_ledgerentry")
        assert cursor.fetchone()[0] == 7


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE billing_ledgerentry SET amount = 1",
        "DELETE FROM billing_ledgerentry",
    ],
)
def test_the_database_refuses_to_change_or_delete_an_entry(world, unit, item, cashier, sql):
    post_entries(community=world.a, postings=[charge(unit, item)], by=cashier)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert LedgerEntry.objects.get().amount == Decimal("100.00")


def test_the_orm_cannot_update_an_entry_either(world, unit, item, cashier):
    post_entries(community=world.a, postings=[charge(unit, item)], by=cashier)
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.update(memo="x")


def test_a_reversal_negates_the_entry_and_restores_the_balance(world, unit, item, cashier):
    [entry] = post_entries(community=world.a, postings=[charge(unit, item)], by=cashier)
    [reversal] = reverse_entries(entries=[entry], by=cashier, memo="wrong area")
    assert reversal.amount == Decimal("-100.00")
    assert reversal.reverses_id == entry.pk
    assert balance(unit, item).outstanding == Decimal("0.00")
    assert ledger_problems(world.a) == []


def test_an_entry_is_reversed_once_only(world, unit, item, cashier):
    [entry] = post_entries(community=world.a, postings=[charge(unit, item)], by=cashier)
    reverse_entries(entries=[entry], by=cashier)
    with pytest.raises(ValidationError) as info:
        reverse_entries(entries=[entry], by=cashier)
    assert info.value.code == "already_reversed"
    assert LedgerEntry.objects.count() == 2


def test_a_reversal_cannot_be_reversed(world, unit, item, cashier):
    [entry] = post_entries(community=world.a, postings=[charge(unit, item)], by=cashier)
    [reversal] = reverse_entries(entries=[entry], by=cashier)
    with pytest.raises(ValidationError) as info:
        reverse_entries(entries=[reversal], by=cashier)
    assert info.value.code == "reverse_reversal"


def test_a_correction_of_a_closed_month_posts_into_the_open_one(world, unit, item, cashier, clock):
    [entry] = post_entries(
        community=world.a, postings=[charge(unit, item, period=dt.date(2024, 1, 1))], by=cashier
    )
    MonthClose.objects.create(community=world.a, period=dt.date(2024, 1, 1), closed_by=cashier)
    [reversal] = reverse_entries(entries=[entry], by=cashier)
    assert reversal.period == MARCH


def test_nothing_posts_into_a_closed_month(world, unit, item, cashier):
    MonthClose.objects.create(community=world.a, period=MARCH, closed_by=cashier)
    with pytest.raises(ValidationError) as info:
        post_entries(community=world.a, postings=[charge(unit, item)], by=cashier)
    assert info.value.code == "period_closed"
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize(
    ("kind", "amount", "code"),
    [
        (EntryKind.CHARGE, "-1.00", "bad_sign"),
        (EntryKind.PAYMENT, "5.00", "bad_sign"),
        (EntryKind.CHARGE, "0", "bad_sign"),
        (EntryKind.CHARGE, "1.005", "money_too_precise"),
        (EntryKind.REVERSAL, "-1.00", "bad_kind"),
    ],
)
def test_a_bad_posting_is_refused_and_nothing_is_posted(
    world, unit, item, cashier, kind, amount, code
):
    good = charge(unit, item)
    with pytest.raises(ValidationError) as info:
        post_entries(
            community=world.a, postings=[good, charge(unit, item, amount, kind)], by=cashier
        )
    assert info.value.code == code
    assert not LedgerEntry.objects.exists()
    assert not UnitBalance.objects.exists()


def test_a_period_that_is_not_a_month_is_refused(world, unit, item, cashier):
    with pytest.raises(ValidationError) as info:
        post_entries(
            community=world.a, postings=[charge(unit, item, period=dt.date(2024, 3, 2))], by=cashier
        )
    assert info.value.code == "bad_period"


def test_balances_of_many_units_take_one_upsert(
    world, item, cashier, django_assert_max_num_queries
):
    from guanjia.estates.tests.factories import UnitFactory

    units = UnitFactory.create_batch(30, community=world.a)
    postings = [charge(u, item) for u in units]
    with django_assert_max_num_queries(6):
        post_entries(community=world.a, postings=postings, by=cashier)
    assert UnitBalance.objects.count() == 30


def test_check_ledger_passes_on_a_healthy_ledger(world, unit, item, cashier, capsys):
    post_entries(community=world.a, postings=[charge(unit, item)], by=cashier)
    call_command("check_ledger")
    assert "Ledger OK" in capsys.readouterr().out


def test_check_ledger_fails_when_a_balance_differs_from_the_entries(world, unit, item, cashier):
    post_entries(community=world.a, postings=[charge(unit, item)], by=cashier)
    UnitBalance.objects.update(billed=Decimal("90.00"), outstanding=Decimal("90.00"))
    with pytest.raises(CommandError, match="1 ledger problem"):
        call_command("check_ledger")


def test_check_ledger_fails_on_entries_without_a_balance_row(world, unit, item, cashier):
    post_entries(community=world.a, postings=[charge(unit, item)], by=cashier)
    UnitBalance.objects.all().delete()
    assert [p.problem for p in ledger_problems()] == ["entries without a balance row"]


def test_check_ledger_fails_on_an_inexact_reversal(world, unit, item, cashier):
    [entry] = post_entries(community=world.a, postings=[charge(unit, item)], by=cashier)
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                community=world.a,
                unit=unit,
                fee_item=item,
                period=MARCH,
                kind=EntryKind.REVERSAL,
                bucket=entry.bucket,
                amount=Decimal("-90.00"),
                reverses=entry,
                created_by=cashier,
            )
        ]
    )
    problems = [p.problem for p in ledger_problems()]
    assert "does not exactly reverse its original" in problems


def test_check_ledger_refuses_an_unknown_community(db):
    with pytest.raises(CommandError, match="No community"):
        call_command("check_ledger", community="nope")


def test_arrears_come_from_the_balance_table_by_community_and_unit(world, item, cashier):
    from guanjia.billing.selectors import arrears_by_community, arrears_by_unit
    from guanjia.estates.tests.factories import UnitFactory

    owing, paid = UnitFactory.create_batch(2, community=world.a)
    post_entries(
        community=world.a,
        by=cashier,
        postings=[
            charge(owing, item, "100.00"),
            charge(paid, item, "50.00"),
            charge(paid, item, "-50.00", EntryKind.PAYMENT),
        ],
    )
    [row] = arrears_by_community([world.a.pk])
    assert (row.units, row.outstanding) == (1, Decimal("100.00"))
    assert [(u.unit_id, u.outstanding) for u in arrears_by_unit(world.a.pk)] == [
        (owing.pk, Decimal("100.00"))
    ]
