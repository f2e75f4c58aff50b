"""The project's routes plus one test action on a unit, for test_page_views.py: the shared
page views (guanjia.core.pages) exercised through every middleware, as a page would be."""

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns
from guanjia.core.pages import CommunityActionView, CommunityDetailView
from guanjia.estates.models import Unit


class NoteForm(forms.Form):
    note = forms.CharField(max_length=20)


class UnitNote(CommunityActionView):
    """A stand-in for a service call: the note says what the "service" does."""

    model = Unit
    perm = "estates.change_unit"
    form_class = NoteForm
    template_name = "estates/zone_form.html"
    success_url = "/done/"

    def perform(self, obj: Unit, form: Any) -> None:
        note = form.cleaned_data["note"]
        if note == "refuse":
            raise ValidationError({"note": "Refused by the service."}, code="refused")
        if note == "not-yours":
            raise PermissionDenied("Not yours to do.")
        obj.note = note
        obj.save(update_fields=["note"])


class UnitShow(CommunityDetailView):
    model = Unit
    perm = "estates.view_unit"
    related = ("building",)
    template_name = "estates/zone_form.html"


urlpatterns = [
    *project_urlpatterns,
    path("test/units/<int:pk>/note/", UnitNote.as_view(), name="test-unit-note"),
    path("test/units/<int:pk>/", UnitShow.as_view(), name="test-unit-show"),
]
