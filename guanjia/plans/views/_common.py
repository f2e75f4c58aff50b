"""What the plans pages share: one step on one row, its refusal shown on the row's page."""

from __future__ import annotations

from typing import Any, ClassVar

from django.forms import BaseForm

from guanjia.core.access import request_user
from guanjia.core.pages import CommunityActionView


class Step(CommunityActionView):
    """A POST of one form of the detail page to one service. `forms` names the page's forms
    (context name → class); the step's own is `form_context_name`; `context` builds the page."""

    forms: ClassVar[dict[str, type[BaseForm]]] = {}

    def get_form(self) -> BaseForm:
        form_class = self.forms[self.form_context_name]
        return form_class(  # type: ignore[call-arg]
            self.request.POST,
            prefix=self.form_context_name.removesuffix("_form"),
            community=self.object.community,
        )

    def page_context(self, obj: Any, user: Any, **bound: Any) -> dict[str, Any]:
        raise NotImplementedError

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        self.object.refresh_from_db()
        refused = kwargs.get(self.form_context_name)
        return self.page_context(
            self.object, request_user(self.request), refused_form=refused, **kwargs
        )

    def act(self, obj: Any, data: dict[str, Any], by: Any) -> Any:
        raise NotImplementedError

    def perform(self, obj: Any, form: BaseForm) -> Any:
        return self.act(obj, form.cleaned_data, request_user(self.request))


def blank_forms(forms: dict[str, type[BaseForm]], community: Any) -> dict[str, BaseForm]:
    return {
        name: cls(prefix=name.removesuffix("_form"), community=community)  # type: ignore[call-arg]
        for name, cls in forms.items()
    }
