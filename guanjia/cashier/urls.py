from django.urls import path

from . import kpis
from .views import counter as c
from .views import deposits as d
from .views import dunning as g
from .views import receipts as r
from .views import sessions as s

app_name = "cashier"

urlpatterns = [
    # The counter
    path("", c.counter, name="counter"),
    path("units/<int:pk>/", c.unit_account_page, name="unit-account"),
    path("units/<int:pk>/preview/", c.payment_preview, name="payment-preview"),
    path("units/<int:pk>/pay/", c.payment_create, name="payment-create"),
    # Payments and receipts
    path("payments/", r.PaymentList.as_view(), name="payment-list"),
    path("receipts/", r.ReceiptList.as_view(), name="receipt-list"),
    path("receipts/<int:pk>/", r.receipt_detail, name="receipt-detail"),
    path("receipts/<int:pk>/print/", r.receipt_print, name="receipt-print"),
    path("receipts/<int:pk>/void/", r.receipt_void, name="receipt-void"),
    path("receipts/<int:pk>/reverse/", r.receipt_reverse, name="receipt-reverse"),
    path(
        "receipts/<int:pk>/reversal/decide/",
        r.receipt_reversal_decide,
        name="receipt-reversal-decide",
    ),
    path("verify/<str:token>/", r.receipt_verify, name="receipt-verify"),
    # Deposits: the register (押金台账) and each deposit's settlement
    path("deposits/", d.DepositList.as_view(), name="deposit-list"),
    path("deposits/new/", d.deposit_take, name="deposit-take"),
    path("deposits/<int:pk>/", d.DepositDetail.as_view(), name="deposit-detail"),
    path(
        "deposits/<int:pk>/settle/",
        d.DepositRequestSettlement.as_view(),
        name="deposit-request-settlement",
    ),
    path("deposits/<int:pk>/decide/", d.DepositDecide.as_view(), name="deposit-decide"),
    path("deposits/<int:pk>/pay-out/", d.DepositPayOut.as_view(), name="deposit-pay-out"),
    # The cashier's day
    path("days/", s.SessionList.as_view(), name="session-list"),
    path("days/open/", s.session_open, name="session-open"),
    path("days/<int:pk>/", s.session_detail, name="session-detail"),
    path("days/<int:pk>/count/", s.session_count, name="session-count"),
    path("days/<int:pk>/close/", s.session_close, name="session-close"),
    path("days/<int:pk>/return/", s.session_return, name="session-return"),
    path("days/<int:pk>/report/", s.session_report, name="session-report"),
    # Dunning (催缴): cases, notices, the fee clearance certificate
    path("cases/", g.CaseList.as_view(), name="case-list"),
    path("cases/open/", g.case_open, name="case-open"),
    path("cases/<int:pk>/", g.CaseDetail.as_view(), name="case-detail"),
    path("cases/<int:pk>/step/", g.CaseStep.as_view(), name="case-step"),
    path("cases/<int:pk>/promise/", g.CasePromise.as_view(), name="case-promise"),
    path("cases/<int:pk>/dispute/", g.CaseDispute.as_view(), name="case-dispute"),
    path("cases/<int:pk>/dispute/clear/", g.CaseClearDispute.as_view(), name="case-clear-dispute"),
    path("cases/<int:pk>/plan/", g.CasePlan.as_view(), name="case-plan"),
    path("cases/<int:pk>/close/", g.CaseClose.as_view(), name="case-close"),
    path("notices/", g.NoticeList.as_view(), name="notice-list"),
    path("notices/print/", g.notice_print_batch, name="notice-print-batch"),
    path(
        "notices/batches/<int:pk>/download/",
        g.notice_batch_download,
        name="notice-batch-download",
    ),
    path("notices/<int:pk>/", g.NoticeDetail.as_view(), name="notice-detail"),
    path("notices/<int:pk>/print/", g.notice_print, name="notice-print"),
    path("notices/<int:pk>/sign/", g.NoticeSign.as_view(), name="notice-sign"),
    path("units/<int:pk>/clearance/", g.clearance_certificate, name="clearance-certificate"),
    # Collection reports (收缴率)
    path("collection/", kpis.collection_page, name="collection"),
    path("collection/export/", kpis.collection_export, name="collection-export"),
]
