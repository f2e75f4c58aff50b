import datetime as dt

from django.utils import timezone

from guanjia.accounts.tests.factories import UserFactory
from guanjia.core.policies.models import PolicyValue
from guanjia.core.policies.registry import get_spec


def value_row(key, value, *, company, community=None, effective_from=None, by=None, text=None):
    """A PolicyValue row written directly (test set-up, not the service under test)."""
    spec = get_spec(key)
    return PolicyValue.objects.create(
        key=key,
        company=company,
        community=community,
        value=text if text is not None else spec.to_json(spec.clean(value)),
        effective_from=effective_from or timezone.localdate() - dt.timedelta(days=1),
        set_by=by or UserFactory(company=company),
        reason="set-up",
    )
