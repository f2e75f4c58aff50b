"""The counter in the browser's terms: find, see, preview, confirm, receipt; a second click
is the same receipt; refusals are shown on the form and change nothing."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from guanjia.billing.models import EntryKind, LedgerEntry
from guanjia.cashier.models import Payment, Receipt

from .factories import day_of

pytestmark = pytest.mark.usefixtures("no_late_fees")


def form_data(**changes):
    data = {
        "amount": "150.00",
        "method": "cash",
        "reference": "",
        "tendered": "200.00",
        "payer_name": "",
        "prepay_item": "",
        "idempotency_key": "page-key-000001",
        "expected_owed": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def client(world, cashier):
    return world.client("cashier")


def test_the_search_box_finds_a_unit_by_room_code_and_by_the_owner_name(client, unit):
    by_room = client.get(reverse("cashier:counter"), {"q": unit.room_code})
    by_name = client.get(reverse("cashier:counter"), {"q": "王业主"})
    for response in (by_room, by_name):
        assert response.status_code == 200
        assert reverse("cashier:unit-account", kwargs={"pk": unit.pk}) in response.text
    assert "230.50" in by_room.text


def test_the_account_page_lists_what_is_owed_and_the_payment_form(client, unit, cashier):
    day_of(cashier, unit.community)
    response = client.get(reverse("cashier:unit-account", kwargs={"pk": unit.pk}))
    assert response.status_code == 200
    assert "230.50" in response.text
    assert 'name="idempotency_key"' in response.text


def test_without_an_open_day_the_account_page_asks_to_open_it(client, unit):
    response = client.get(reverse("cashier:unit-account", kwargs={"pk": unit.pk}))
    assert 'name="amount"' not in response.text
    assert reverse("cashier:counter") in response.text


def test_the_preview_shows_each_line_and_the_change_and_saves_nothing(client, unit, cashier):
    day_of(cashier, unit.community)
    url = reverse("cashier:payment-preview", kwargs={"pk": unit.pk})
    response = client.post(url, form_data())
    assert response.status_code == 200
    assert "19.50" in response.text  # February's service fee takes what is left
    assert "50.00" in response.text  # change
    assert not Payment.objects.exists()


def test_confirming_takes_the_payment_and_a_second_click_shows_the_same_receipt(
    client, unit, cashier
):
    day_of(cashier, unit.community)
    url = reverse("cashier:payment-create", kwargs={"pk": unit.pk})
    first = client.post(url, form_data())
    second = client.post(url, form_data())
    receipt = Receipt.objects.get()
    assert first.status_code == second.status_code == 302
    detail = reverse("cashier:receipt-detail", kwargs={"pk": receipt.pk})
    assert first["Location"] == second["Location"] == detail
    assert Payment.objects.count() == 1


def test_a_refused_payment_shows_its_message_on_the_field_and_changes_nothing(
    client, unit, cashier
):
    day_of(cashier, unit.community)
    url = reverse("cashier:payment-create", kwargs={"pk": unit.pk})
    response = client.post(url, form_data(method="wechat", tendered=""))
    assert response.status_code == 400
    assert "输入此支付方式的交易号" in response.text or "reference" in response.text
    assert not LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": ""}, "amount"),
        ({"amount": "0"}, "amount"),
        ({"amount": "-1"}, "amount"),
        ({"amount": "1.001"}, "amount"),
        ({"amount": "abc"}, "amount"),
        ({"method": "gold"}, "method"),
        ({"method": "alipay", "tendered": ""}, "reference"),
        ({"tendered": "1.00"}, "tendered"),
        ({"tendered": "x"}, "tendered"),
        ({"payer_name": "名" * 101}, "payer_name"),
        ({"prepay_item": "999999"}, "prepay_item"),
        ({"idempotency_key": ""}, "idempotency_key"),
        ({"idempotency_key": "short"}, "idempotency_key"),
    ],
)
def test_every_bad_field_is_a_400_with_nothing_saved(client, unit, cashier, changes, field):
    day_of(cashier, unit.community)
    for name in ("payment-preview", "payment-create"):
        response = client.post(
            reverse(f"cashier:{name}", kwargs={"pk": unit.pk}), form_data(**changes)
        )
        assert response.status_code == 400, (name, field)
        assert response.context["form"].errors
    assert not Payment.objects.exists()


def test_a_confirmation_from_an_older_screen_is_refused_and_shows_the_account_as_it_is_now(
    client, unit, cashier
):
    day_of(cashier, unit.community)
    page = client.get(reverse("cashier:unit-account", kwargs={"pk": unit.pk}))
    seen = re.search(r'name="expected_owed" value="([0-9a-f]+)"', page.text).group(1)
    url = reverse("cashier:payment-create", kwargs={"pk": unit.pk})
    client.post(
        url, form_data(amount="10.00", idempotency_key="first-key-0001", expected_owed=seen)
    )
    response = client.post(url, form_data(amount="10.00", expected_owed=seen))
    assert response.status_code == 400
    assert Payment.objects.count() == 1


def test_the_receipt_prints_the_original_once_then_copies(client, unit, cashier):
    day_of(cashier, unit.community)
    client.post(reverse("cashier:payment-create", kwargs={"pk": unit.pk}), form_data())
    receipt = Receipt.objects.get()
    url = reverse("cashier:receipt-print", kwargs={"pk": receipt.pk})
    first, second = client.get(url), client.get(url)
    assert "副本" not in first.text
    assert "副本" in second.text
    assert "壹佰伍拾元整" in first.text
    verify = reverse("cashier:receipt-verify", kwargs={"token": receipt.token})
    assert first.context["verify_url"] == f"http://testserver{verify}"  # what the QR code says
    assert 'class="qr"' in first.text
    assert receipt.events.filter(action="printed").count() == 2


def test_the_receipt_pdf_is_a_pdf(client, unit, cashier):
    day_of(cashier, unit.community)
    client.post(reverse("cashier:payment-create", kwargs={"pk": unit.pk}), form_data())
    receipt = Receipt.objects.get()
    response = client.get(
        reverse("cashier:receipt-print", kwargs={"pk": receipt.pk}), {"format": "pdf"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_verification_page_shows_number_date_amount_status_and_nothing_personal(
    world, client, unit, cashier
):
    day_of(cashier, unit.community)
    client.post(reverse("cashier:payment-create", kwargs={"pk": unit.pk}), form_data())
    receipt = Receipt.objects.get()
    response = world.client(None).get(
        reverse("cashier:receipt-verify", kwargs={"token": receipt.token})
    )
    assert response.status_code == 200
    for shown in (receipt.number, "2024-03-20", "150.00", "有效"):
        assert shown in response.text
    for hidden in ("王业主", unit.room_code, "现金"):
        assert hidden not in response.text


def test_a_guessed_verification_token_is_a_404(world):
    for token in ("x", "a" * 32, "a" * 41):
        url = reverse("cashier:receipt-verify", kwargs={"token": token})
        assert world.client(None).get(url).status_code == 404


def test_voiding_a_receipt_reverses_its_payment_and_keeps_it_marked_void(client, unit, cashier):
    day_of(cashier, unit.community)
    client.post(reverse("cashier:payment-create", kwargs={"pk": unit.pk}), form_data())
    receipt = Receipt.objects.get()
    url = reverse("cashier:receipt-void", kwargs={"pk": receipt.pk})
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "打印错误"})
    assert response.status_code == 302
    receipt.refresh_from_db()
    assert (receipt.status, receipt.void_reason) == ("void", "打印错误")
    reversals = LedgerEntry.objects.filter(kind=EntryKind.REVERSAL)
    assert sum(e.amount for e in reversals) == Decimal("150.00")
    again = client.post(url, {"reason": "再来"})
    assert again.status_code == 302
    assert LedgerEntry.objects.filter(kind=EntryKind.REVERSAL).count() == reversals.count()
    verify = client.get(reverse("cashier:receipt-verify", kwargs={"token": receipt.token}))
    assert "作废" in verify.text


def test_lists_show_the_payment(client, unit, cashier):
    day_of(cashier, unit.community)
    client.post(reverse("cashier:payment-create", kwargs={"pk": unit.pk}), form_data())
    receipt = Receipt.objects.get()
    for name in ("payment-list", "receipt-list"):
        response = client.get(reverse(f"cashier:{name}"))
        assert receipt.number in response.text
    assert receipt.number in client.get(reverse("cashier:receipt-list"), {"q": receipt.number}).text
    assert dt.date(2024, 3, 20)  # the day the fixture travels to
