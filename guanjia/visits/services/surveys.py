"""The annual satisfaction survey (spec §14): a questionnaire whose weights add up to 100,
sent to every household as a link (SMS or WeChat through core notifications) to a phone
page that needs no login, or filled in by staff; every problem raised gets a follow-up
visit.

The link's token is `core.signing` of (invite id, nonce) under its own salt: a forged or
altered token fails the signature; the invite row says when it expires and whether it was
used (single use)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core.access import require_perm
from guanjia.core.models import Community
from guanjia.core.notifications.models import Channel as Outside
from guanjia.core.notifications.services import notify_address
from guanjia.core.policies.selectors import policy
from guanjia.estates.models import Unit

from ..models import (
    Answer,
    Channel,
    Questionnaire,
    SurveyAnswer,
    SurveyInvite,
    SurveyQuestion,
    SurveyResponse,
    Visit,
    VisitKind,
)
from .planning import contacts, households

if TYPE_CHECKING:
    from guanjia.core.access import User

SALT = "visits.survey"
MAX_QUESTIONS = 20
SENT_BY = (Channel.SMS, Channel.WECHAT)


@dataclass(frozen=True)
class Question:
    text: str
    weight: int


def _check_questions(questions: Sequence[Question]) -> list[Question]:
    cleaned = [Question(q.text.strip(), q.weight) for q in questions if q.text.strip()]
    if not cleaned:
        raise ValidationError({"questions": _("Write at least one question.")})
    if len(cleaned) > MAX_QUESTIONS:
        raise ValidationError({"questions": _("At most 20 questions.")})
    for q in cleaned:
        if len(q.text) > 200:
            raise ValidationError({"questions": _("A question is at most 200 characters.")})
        if not isinstance(q.weight, int) or not 1 <= q.weight <= 100:
            raise ValidationError({"questions": _("Each weight is a whole number from 1 to 100.")})
    total = sum(q.weight for q in cleaned)
    if total != 100:
        raise ValidationError(
            {"questions": _("The weights add up to %(total)s, not 100.") % {"total": total}},
        )
    return cleaned


@transaction.atomic
def create_questionnaire(
    *,
    community: Community,
    title: str,
    year: int,
    intro: str,
    questions: Sequence[Question],
    by: User,
) -> Questionnaire:
    """A survey with its questions; refused when the weights do not add up to 100."""
    require_perm(by, "visits.add_visit", community)
    errors: dict[str, str] = {}
    if not title.strip() or len(title) > 100:
        errors["title"] = _("Give the survey a title of at most 100 characters.")
    this_year = timezone.localdate().year
    if year not in (this_year - 1, this_year, this_year + 1):
        errors["year"] = _("Choose last year, this year or the next.")
    if len(intro) > 1000:
        errors["intro"] = _("The introduction is too long.")
    try:
        cleaned = _check_questions(questions)
    except ValidationError as exc:
        errors |= {k: v[0] for k, v in exc.message_dict.items()}
    if errors:
        raise ValidationError(errors)
    survey = Questionnaire.objects.create(
        community=community, title=title.strip(), year=year, intro=intro.strip(), created_by=by
    )
    SurveyQuestion.objects.bulk_create(
        SurveyQuestion(questionnaire=survey, position=i, text=q.text, weight=q.weight)
        for i, q in enumerate(cleaned, start=1)
    )
    return survey


def token_for(invite: SurveyInvite) -> str:
    return signing.dumps([invite.pk, invite.nonce], salt=SALT, compress=True)


def link_for(invite: SurveyInvite) -> str:
    return reverse("visits:survey-answer", kwargs={"token": token_for(invite)})


class SurveyLinkError(Exception):
    """Why a link cannot be answered: forged, expired or used."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


def invite_from_token(token: str, *, now: dt.datetime | None = None) -> SurveyInvite:
    """The invite a link names, if it may still be answered."""
    try:
        pk, nonce = signing.loads(token, salt=SALT)
        invite = SurveyInvite.objects.select_related("questionnaire", "unit", "community").get(
            pk=int(pk), nonce=str(nonce)
        )
    except (signing.BadSignature, ValueError, TypeError, SurveyInvite.DoesNotExist):
        raise SurveyLinkError(
            "forged", _("This link is not valid. Please use the link in your message.")
        ) from None
    if invite.used_at is not None:
        raise SurveyLinkError(
            "used", _("This survey was already answered from this link. Thank you.")
        )
    if (now or timezone.now()) >= invite.expires_at:
        raise SurveyLinkError(
            "expired",
            _("This link expired on %(day)s. Please call the customer service center.")
            % {"day": timezone.localtime(invite.expires_at).strftime("%Y-%m-%d")},
        )
    return invite


@transaction.atomic
def send_survey(*, questionnaire: Questionnaire, channel: str, base_url: str, by: User) -> int:
    """One link per household, sent on the chosen channel; the links expire after
    `visit.survey_link_days`. A survey is sent once."""
    community = questionnaire.community
    require_perm(by, "visits.add_visit", community)
    locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if channel not in SENT_BY:
        raise ValidationError({"channel": _("Choose SMS or WeChat.")})
    if locked.sent_at is not None:
        raise ValidationError(_("This survey was already sent."), code="sent")
    now = timezone.now()
    expires = now + dt.timedelta(days=policy(community, "visit.survey_link_days"))
    units = list(households(community).order_by("sort_key", "pk").values_list("pk", flat=True))
    if not units:
        raise ValidationError(_("This community has no occupied household to ask."))
    people = contacts(units)
    invites = SurveyInvite.objects.bulk_create(
        SurveyInvite(
            questionnaire=locked,
            community=community,
            unit_id=unit,
            nonce=secrets.token_hex(8),
            channel=channel,
            person_name=people.get(unit, ("", ""))[0][:100],
            phone=people.get(unit, ("", ""))[1],
            expires_at=expires,
        )
        for unit in units
    )
    for invite in invites:
        notify_address(
            invite.phone,
            "visit.survey",
            {
                "community": community.name,
                "title": locked.title,
                "link": base_url.rstrip("/") + link_for(invite),
                "until": timezone.localtime(expires).strftime("%Y-%m-%d"),
            },
            channel=Outside(channel),
            community=community,
        )
    locked.sent_at, locked.sent_by, locked.expires_at = now, by, expires
    locked.save(update_fields=["sent_at", "sent_by", "expires_at", "updated_at"])
    return len(invites)


def _check_answers(
    questionnaire: Questionnaire, answers: Mapping[int, str]
) -> list[tuple[SurveyQuestion, str]]:
    questions = list(questionnaire.questions.all())
    errors = {}
    pairs = []
    for q in questions:
        answer = answers.get(q.pk, "")
        if answer not in Answer.values:
            errors[f"q{q.pk}"] = _("Choose satisfied, fairly satisfied or dissatisfied.")
        pairs.append((q, answer))
    if errors:
        raise ValidationError(errors)
    return pairs


@transaction.atomic
def answer_survey(
    *,
    invite: SurveyInvite,
    answers: Mapping[int, str],
    comments: str,
    by: User | None = None,
    now: dt.datetime | None = None,
) -> SurveyResponse:
    """A household's answers, once; every problem raised gets a follow-up visit."""
    now = now or timezone.now()
    locked = (
        SurveyInvite.objects.select_for_update()
        .select_related("questionnaire", "community")
        .get(pk=invite.pk)
    )
    if locked.used_at is not None:
        raise ValidationError(_("This survey was already answered from this link."), code="used")
    if by is None and now >= locked.expires_at:
        raise ValidationError(_("This link has expired."), code="expired")
    if len(comments) > 2000:
        raise ValidationError({"comments": _("The comments are too long.")})
    pairs = _check_answers(locked.questionnaire, answers)
    response = SurveyResponse.objects.create(
        invite=locked,
        questionnaire=locked.questionnaire,
        community=locked.community,
        unit_id=locked.unit_id,
        answered_at=now,
        entered_by=by,
        comments=comments.strip(),
    )
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(response=response, question=q, answer=a) for q, a in pairs
    )
    locked.used_at = now
    locked.save(update_fields=["used_at", "updated_at"])
    problems = [q.text for q, a in pairs if a == Answer.DISSATISFIED]
    if problems:
        _follow_up(response, problems, now=now, by=by)
    return response


def _follow_up(
    response: SurveyResponse, problems: list[str], *, now: dt.datetime, by: User | None
) -> Visit:
    from guanjia.core import workflows

    community = response.community
    days = policy(community, "visit.survey_followup_days")
    purpose = _("Dissatisfied in the survey: %(questions)s") % {"questions": "; ".join(problems)}
    if response.comments:
        purpose = f"{purpose} — {response.comments}"
    invite = response.invite
    visit = Visit.objects.create(
        community=community,
        kind=VisitKind.SURVEY,
        source_done_at=now,
        unit_id=response.unit_id,
        person_name=invite.person_name[:50],
        phone=invite.phone,
        survey_response=response,
        due_on=timezone.localdate(now) + dt.timedelta(days=days),
        purpose=purpose[:500],
    )
    workflows.record_creation(visit, by=by, action="planned", note=purpose[:500])
    return visit


@transaction.atomic
def enter_survey(
    *,
    questionnaire: Questionnaire,
    unit: Unit | None,
    answers: Mapping[int, str],
    comments: str,
    by: User,
) -> SurveyResponse:
    """Staff fill in a household's questionnaire (on paper or by phone)."""
    community = questionnaire.community
    require_perm(by, "visits.change_visit", community)
    if unit is None or unit.community_id != community.pk:
        raise ValidationError({"unit": _("Choose a unit of this community.")})
    if SurveyResponse.objects.filter(questionnaire=questionnaire, unit=unit).exists():
        raise ValidationError({"unit": _("This household has already answered this survey.")})
    invite = SurveyInvite.objects.filter(questionnaire=questionnaire, unit=unit).first()
    if invite is None:
        name, phone = contacts([unit.pk]).get(unit.pk, ("", ""))
        invite = SurveyInvite.objects.create(
            questionnaire=questionnaire,
            community=community,
            unit=unit,
            nonce=secrets.token_hex(8),
            channel=Channel.STAFF,
            person_name=name[:100],
            phone=phone,
            expires_at=timezone.now(),
        )
    return answer_survey(invite=invite, answers=answers, comments=comments, by=by)
