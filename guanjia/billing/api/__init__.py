"""Billing API under /api/v1/billing/: everything of billing the pages do.

Reads: rows of the communities where the caller holds the view permission (another
community's row: 404). Writes: a serializer types the body (documented in the OpenAPI
schema), the page's form checks it where the page has one, then the same service as the page
decides (ValidationError -> 400 with its message and code, authority -> 403). Money travels
as strings with two decimals, rates with four. Modules by subject: standards (fee items,
standards, rates, approvals), runs (runs, reversals, month close), readings, units
(statements, fee exceptions, arrears)."""

from __future__ import annotations

from django.urls import path

from . import meters, readings, runs, standards, units

app_name = "billing-api"
urlpatterns = [
    path(
        "fee-items/",
        standards.FeeItemViewSet.as_view({"get": "list", "post": "create"}),
        name="feeitem-list",
    ),
    path(
        "standards/",
        standards.StandardViewSet.as_view({"get": "list", "post": "create"}),
        name="standard-list",
    ),
    path(
        "standards/<int:pk>/",
        standards.StandardViewSet.as_view({"get": "retrieve", "patch": "update", "post": "update"}),
        name="standard-detail",
    ),
    path(
        "standards/<int:pk>/rates/",
        standards.StandardViewSet.as_view({"post": "rates"}),
        name="version-create",
    ),
    path(
        "standards/<int:pk>/approve/",
        standards.StandardViewSet.as_view({"post": "approve"}),
        name="standard-approve",
    ),
    path(
        "standards/<int:pk>/reject/",
        standards.StandardViewSet.as_view({"post": "reject"}),
        name="standard-reject",
    ),
    path(
        "rates/<int:pk>/approve/",
        standards.VersionViewSet.as_view({"post": "approve"}),
        name="version-approve",
    ),
    path(
        "rates/<int:pk>/reject/",
        standards.VersionViewSet.as_view({"post": "reject"}),
        name="version-reject",
    ),
    path("runs/", runs.RunViewSet.as_view({"get": "list"}), name="run-list"),
    path("runs/preview/", runs.RunViewSet.as_view({"post": "preview"}), name="run-preview"),
    path("runs/post/", runs.RunViewSet.as_view({"post": "post_run"}), name="run-post"),
    path("runs/<int:pk>/", runs.RunViewSet.as_view({"get": "retrieve"}), name="run-detail"),
    path(
        "runs/<int:pk>/reverse/",
        runs.RunViewSet.as_view({"post": "request_reversal"}),
        name="run-request-reversal",
    ),
    path(
        "runs/<int:pk>/approve-reversal/",
        runs.RunViewSet.as_view({"post": "approve_reversal"}),
        name="run-approve-reversal",
    ),
    path("months/close/", runs.MonthCloseViewSet.as_view({"post": "close"}), name="month-close"),
    path(
        "readings/",
        readings.ReadingViewSet.as_view({"get": "list", "post": "create"}),
        name="reading-list",
    ),
    path(
        "readings/flagged/",
        readings.FlaggedReadingViewSet.as_view({"get": "list"}),
        name="reading-flagged",
    ),
    path(
        "readings/<int:pk>/confirm/",
        readings.FlaggedReadingViewSet.as_view({"post": "confirm"}),
        name="reading-confirm",
    ),
    path(
        "units/<int:pk>/statement/",
        units.StatementViewSet.as_view({"get": "retrieve"}),
        name="unit-statement",
    ),
    path(
        "units/<int:pk>/exceptions/",
        units.UnitExceptionViewSet.as_view({"get": "list", "post": "create"}),
        name="unit-exceptions",
    ),
    path("arrears/", units.ArrearsViewSet.as_view({"get": "arrears"}), name="arrears"),
    path(
        "rates/<int:pk>/tiers/",
        meters.RateTierViewSet.as_view({"get": "tiers", "put": "tiers"}),
        name="version-tiers",
    ),
    *meters.router.urls,
]
