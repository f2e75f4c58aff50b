"""The company's reference lists (spec §07), edited by the supervisor; the manual's lists and
§23's level table for a new company."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guanjia.core.access import User, require_perm
from guanjia.core.models import Community, Company

from ..models import DEFAULTS, Authority, RecordLevel, StandardItem, StandardKind
from ..models.records import DEFAULT_LEVELS
from ._common import field_error, text

EDIT = "conduct.change_standarditem"


@transaction.atomic
def seed_company(company: Company) -> None:
    """The manual's lists (§07) and levels (§23) for a company that has none yet."""
    if not StandardItem.objects.filter(company=company).exists():
        StandardItem.objects.bulk_create(
            StandardItem(company=company, kind=kind, text=t, instead=instead, position=i)
            for kind, lines in DEFAULTS.items()
            for i, (t, instead) in enumerate(lines, start=1)
        )
    if not RecordLevel.objects.filter(company=company).exists():
        levels = {}
        for i, (code, kind, name, points, authority, lapses, after, _to, source) in enumerate(
            DEFAULT_LEVELS, start=1
        ):
            levels[code] = RecordLevel.objects.create(
                company=company,
                code=code,
                kind=kind,
                name=name,
                points=points,
                authority=authority,
                position=i,
                lapses=lapses,
                converts_after=after,
                default_for=source,
            )
        for code, *_rest, to, _source in DEFAULT_LEVELS:
            if to:
                levels[code].converts_to = levels[to]
                levels[code].save(update_fields=["converts_to"])


def _clean(
    company: Company, kind: str, text_: str, instead: str, pk: int | None
) -> tuple[str, str]:
    if kind not in StandardKind.values:
        raise field_error("kind", _("Choose a list."), "invalid_choice")
    cleaned = text(text_, "text", 200, required=_("Write the item."))
    other = text(instead, "instead", 200)
    if kind == StandardKind.FORBIDDEN and not other:
        raise field_error("instead", _("Say what to say instead."), "required")
    if kind != StandardKind.FORBIDDEN and other:
        raise field_error(
            "instead", _("Only a forbidden phrase has a phrase to say instead."), "not_allowed"
        )
    same = StandardItem.objects.filter(company=company, kind=kind, text=cleaned, is_active=True)
    if pk is not None:
        same = same.exclude(pk=pk)
    if same.exists():
        raise field_error("text", _("This list already has this item."), "duplicate")
    return cleaned, other


@transaction.atomic
def add_standard(
    *, community: Community, kind: str, text: str, instead: str = "", by: User
) -> StandardItem:
    """A new line at the end of one of the company's lists."""
    require_perm(by, EDIT, community)
    company = community.company
    cleaned, other = _clean(company, kind, text, instead, None)
    last = StandardItem.objects.filter(company=company, kind=kind).order_by("-position").first()
    return StandardItem.objects.create(
        company=company,
        kind=kind,
        text=cleaned,
        instead=other,
        position=(last.position + 1) if last else 1,
    )


@transaction.atomic
def update_standard(
    *,
    item: StandardItem,
    community: Community,
    text: str,
    instead: str = "",
    position: int | None = None,
    is_active: bool = True,
    by: User,
) -> StandardItem:
    """A line changed, moved or taken out of use (never deleted: past checks name it)."""
    require_perm(by, EDIT, community)
    if item.company_id != community.company_id:
        raise ValidationError(_("This item belongs to another company."), code="other_company")
    cleaned, other = _clean(community.company, item.kind, text, instead, item.pk)
    if position is not None and not 0 < position <= 999:
        raise field_error("position", _("Give a position from 1 to 999."), "out_of_range")
    item.text, item.instead, item.is_active = cleaned, other, is_active
    if position is not None:
        item.position = position
    item.save()
    return item


@transaction.atomic
def update_level(
    *,
    level: RecordLevel,
    community: Community,
    points: int,
    authority: int,
    lapses: bool,
    converts_after: int | None,
    by: User,
) -> RecordLevel:
    """HR or management adjusts the company's table (spec §23: points vary by company)."""
    require_perm(by, "conduct.change_recordlevel", community)
    if level.company_id != community.company_id:
        raise ValidationError(_("This level belongs to another company."), code="other_company")
    wrong_sign = (level.kind == "penalty" and points > 0) or (level.kind == "reward" and points < 0)
    if not -1000 <= points <= 1000 or wrong_sign:
        raise field_error(
            "points",
            _("A reward has positive points, a penalty negative ones (at most 1,000)."),
            "sign",
        )
    if authority not in Authority.values:
        raise field_error("authority", _("Choose who approves it."), "invalid")
    if converts_after is not None and not 1 <= converts_after <= 20:
        raise field_error("converts_after", _("Give a number from 1 to 20."), "out_of_range")
    if converts_after is not None and level.converts_to_id is None:
        raise field_error(
            "converts_after", _("This level has no higher level to suggest."), "no_higher"
        )
    level.points, level.authority, level.lapses = points, authority, lapses
    level.converts_after = converts_after
    level.save()
    return level
