"""Template filters of staff pages: role names and masked phone numbers."""

from django import template

from guanjia.core.personal_data import mask_phone
from guanjia.core.roles import role_label

register = template.Library()


@register.filter(name="role_label")
def role_label_filter(code: str) -> str:
    """{{ membership.role.name|role_label }} -> the translated role name."""
    return role_label(code)


@register.filter(name="mask_phone")
def mask_phone_filter(phone: str) -> str:
    return mask_phone(phone or "")
