"""`{{ photo|file_url:"image" }}`: the serving view's address of a row's file."""

from django import template
from django.db import models

from guanjia.core.files.registry import file_url as _file_url

register = template.Library()


@register.filter
def file_url(row: models.Model | None, field: str) -> str:
    return _file_url(row, field) if row is not None else ""
