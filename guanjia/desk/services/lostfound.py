"""Lost and found (spec §04): registered when handed in, claimed with proof and a signature."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core.access import User, require_perm
from guanjia.core.files.signatures import signature_file
from guanjia.core.models import Community

from ..models import FoundItem
from ._common import field_error, required


@transaction.atomic
def register_found_item(
    *,
    community: Community,
    description: str,
    found_where: str,
    found_by: str,
    by: User,
    storage: str = "",
    found_at: dt.datetime | None = None,
) -> FoundItem:
    require_perm(by, "desk.add_founditem", community)
    now = timezone.now()
    if found_at is not None and found_at > now:
        raise field_error("found_at", _("An item cannot be found in the future."), "future")
    return FoundItem.objects.create(
        community=community,
        description=required(description, "description", _("Describe the item.")),
        found_where=required(found_where, "found_where", _("Say where it was found.")),
        found_by=required(found_by, "found_by", _("Say who found it.")),
        found_at=found_at or now,
        storage=storage.strip(),
        received_by=by,
    )


@transaction.atomic
def claim_found_item(
    *,
    item: FoundItem,
    claimant_name: str,
    proof: str,
    signature: str,
    by: User,
    claimant_phone: str = "",
) -> FoundItem:
    """Handed to its owner, who proves it is theirs and signs."""
    require_perm(by, "desk.change_founditem", item.community_id)
    locked = FoundItem.objects.select_for_update().get(pk=item.pk)
    if locked.claimed_at is not None:
        raise field_error("claimant_name", _("This item was already claimed."), "claimed")
    name = required(claimant_name, "claimant_name", _("Give the claimant's name."))
    text = required(proof, "proof", _("Say how the claimant proved the item is theirs."))
    content = signature_file(signature)
    locked.claimed_at, locked.claimant_name, locked.proof = timezone.now(), name, text
    locked.claimant_phone, locked.handed_by = claimant_phone.strip(), by
    locked.claim_signature.save("signature.png", content, save=False)
    locked.save()
    return locked
