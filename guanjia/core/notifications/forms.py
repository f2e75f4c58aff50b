"""The one form of notifications: which outside channels a staff member accepts."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PreferenceForm(forms.Form):
    sms = forms.BooleanField(label=_("SMS"), required=False)
    wechat = forms.BooleanField(label=_("WeChat"), required=False)
    email = forms.BooleanField(label=_("E-mail"), required=False)
