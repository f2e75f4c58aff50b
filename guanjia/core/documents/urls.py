from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("contact-sheet/", views.contact_sheet, name="contact-sheet"),
]
