"""What every billing page shares: messages of a ValidationError, the plain form page (the
current community with a permission: guanjia.core.pages.current_community)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def error_list(exc: ValidationError) -> list[str]:
    return [str(message) for message in exc.messages]


def form_page(request: HttpRequest, form: Any, title: str, status: int = 200) -> HttpResponse:
    return render(request, "billing/form.html", {"form": form, "title": title}, status=status)
