"""What every estates form shares: Bootstrap classes, the community, date inputs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from guanjia.accounts.models import Membership, User
from guanjia.core.models import Community

DATE = forms.DateInput(attrs={"type": "date"})


class BootstrapMixin:
    """Bootstrap classes on every widget (the shared _form.html renders labels and errors)."""

    def _style(self) -> None:
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class CommunityModelForm(BootstrapMixin, forms.ModelForm):
    """A model form working inside one community: choices come from that community only."""

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.community = community
        if not self.instance.pk and hasattr(self.instance, "community_id"):
            self.instance.community = community
        self._style()


def staff_of(community: Community) -> QuerySet[User]:
    ids = Membership.objects.active_on().filter(community=community).values("user_id")
    result: QuerySet[User] = User.objects.filter(pk__in=ids, is_active=True).order_by(
        "full_name", "username"
    )
    return result
