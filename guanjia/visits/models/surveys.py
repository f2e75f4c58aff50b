"""The annual satisfaction survey (满意度调查, spec §14): a questionnaire with weighted
questions, one link per household (a signed, expiring, single-use token), the answers given
on the phone page or entered by staff."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.estates.models import Unit

from .visits import Answer

USER = settings.AUTH_USER_MODEL


class Questionnaire(TimeStampedModel):
    """One survey of one community: its questions are fixed once it is sent."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    title = models.CharField(_("title"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    intro = models.TextField(_("introduction"), max_length=1000, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField(_("links expire at"), null=True, blank=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        ordering = ["-year", "-pk"]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


class SurveyQuestion(TimeStampedModel):
    """A question on the scale 满意 / 较满意 / 不满意 and its weight (the weights add up to 100)."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("question"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("weight (%)"))

    class Meta:
        verbose_name = _("survey question")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "position"], name="surveyquestion_one_per_position"
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=100), name="surveyquestion_weight_range"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    WECHAT = "wechat", _("WeChat")
    STAFF = "staff", _("Entered by staff")


class SurveyInvite(TimeStampedModel):
    """One household's link. The token is signed (core signing) and names this row and its
    nonce; the row says whether it was used."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="invites"
    )
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    nonce = models.CharField(max_length=32)
    channel = models.CharField(_("sent by"), max_length=8, choices=Channel)
    person_name = models.CharField(_("person"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey link")
        ordering = ["unit__sort_key", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "unit"],
                name="surveyinvite_one_per_household",
                violation_error_message=_("This household already has its link."),
            )
        ]


class SurveyResponse(TimeStampedModel):
    """One household's answers: on the phone page (no login) or entered by staff."""

    invite = models.OneToOneField(SurveyInvite, on_delete=models.PROTECT, related_name="response")
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="responses"
    )
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    answered_at = models.DateTimeField(_("answered at"))
    entered_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    comments = models.TextField(_("comments and suggestions"), max_length=2000, blank=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey answers")
        verbose_name_plural = _("survey answers")
        ordering = ["-answered_at", "pk"]


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.PROTECT, related_name="answers")
    answer = models.CharField(_("answer"), max_length=12, choices=Answer)

    class Meta:
        verbose_name = _("survey answer")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="surveyanswer_once"),
            models.CheckConstraint(
                condition=Q(answer__in=Answer.values), name="surveyanswer_known_answer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.answer}"
