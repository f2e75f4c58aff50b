"""Each staff member's language: the switch in the page header remembers it on the account,
so pages follow the person from computer to computer and notifications (inbox, SMS, e-mail)
are written in it.

Order of precedence on a page: the language cookie (set by the switch on this browser), then
the account's language, then the browser's Accept-Language, then Simplified Chinese.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from .models import User

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's switch (cookie and redirect), and the choice kept on the signed-in account."""
    response = django_set_language(request)
    code = request.POST.get("language", "")
    user = getattr(request, "user", None)
    if code in LANGUAGE_CODES and user is not None and user.is_authenticated:
        User.objects.filter(pk=user.pk).update(language=code)
    return response


class PreferredLanguageMiddleware:
    """Pages in the account's language when this browser has no language cookie yet."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user is not None
            and user.is_authenticated
            and getattr(user, "language", "") in LANGUAGE_CODES
        ):
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)
