"""Assessments (考核成绩表, spec §21): a written test with questions and a pass mark, a
practical test or an observation; each attempt of an employee is one result (a failure opens
a retest); induction programmes ("train first, then work": 先培训后上岗)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel

from .sessions import TrainingSession

USER = settings.AUTH_USER_MODEL


class AssessmentKind(models.TextChoices):
    WRITTEN = "written", _("Written test")  # 笔试
    PRACTICAL = "practical", _("Practical test")  # 实操考核
    OBSERVED = "observed", _("Observation on the job")  # 现场观察


class Assessment(TimeStampedModel):
    """One test of a community: its kind, the highest score and the pass mark."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    session = models.ForeignKey(
        TrainingSession,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("session"),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("type"), max_length=10, choices=AssessmentKind)
    is_induction = models.BooleanField(
        _("induction test"),
        default=False,
        help_text=_("Passing it ends the induction: the employee may work alone."),
    )
    max_score = models.DecimalField(_("highest score"), max_digits=6, decimal_places=1)
    pass_mark = models.DecimalField(_("pass mark"), max_digits=6, decimal_places=1)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=AssessmentKind.values), name="assessment_known_kind"
            ),
            models.CheckConstraint(
                condition=Q(max_score__gt=0)
                & Q(pass_mark__gt=0)
                & Q(pass_mark__lte=models.F("max_score")),
                name="assessment_pass_mark_fits",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:test-detail", args=[self.pk])


class Question(TimeStampedModel):
    """One multiple-choice question of a written test; `answer` is the right choice's index."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("question"), max_length=500)
    choices = models.JSONField(_("choices"))
    answer = models.PositiveSmallIntegerField(_("right choice"))
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["assessment", "position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "position"], name="question_position"),
            models.CheckConstraint(condition=Q(points__gt=0), name="question_points_positive"),
        ]

    def __str__(self) -> str:
        return self.text


class ResultQuerySet(CommunityScopedQuerySet):
    community_lookup = "assessment__community"


class AssessmentResult(TimeStampedModel):
    """One attempt of one employee at a test: score, pass or fail; a failure waits for a
    retest until a later attempt is recorded (`retest_open`)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="results")
    employee = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("employee")
    )
    attempt = models.PositiveSmallIntegerField(_("attempt"))
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=1)
    passed = models.BooleanField(_("passed"))
    answers = models.JSONField(_("answers"), default=list, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    taken_on = models.DateField(_("taken on"))
    retest_open = models.BooleanField(_("retest due"), default=False)
    retest_due = models.DateField(_("retest by"), null=True, blank=True)

    objects = ResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment result")
        verbose_name_plural = _("assessment results")
        ordering = ["assessment", "employee", "attempt"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "employee", "attempt"], name="result_one_per_attempt"
            ),
            models.CheckConstraint(condition=Q(score__gte=0), name="result_score_positive"),
            models.CheckConstraint(
                condition=Q(retest_open=False) | Q(passed=False), name="result_retest_if_failed"
            ),
        ]
        indexes = [
            models.Index(fields=["employee", "taken_on"], name="result_by_employee"),
            models.Index(fields=["retest_open", "retest_due"], name="result_retests"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.employee} #{self.attempt}"


class InductionDay(TimeStampedModel):
    """One day of a company's induction programme (the template; §21's 7-day example)."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    day = models.PositiveSmallIntegerField(_("day"))
    topic = models.CharField(_("topic"), max_length=300)

    class Meta:
        verbose_name = _("induction day")
        verbose_name_plural = _("induction days")
        ordering = ["company", "day"]
        constraints = [
            models.UniqueConstraint(fields=["company", "day"], name="inductionday_once"),
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.topic}"


class Induction(TimeStampedModel):
    """A new hire's induction in a community: from the first day to the test; `passed_on`
    when they passed an induction test (then they may work alone)."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    employee = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("employee")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    passed_on = models.DateField(_("passed on"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("induction")
        verbose_name_plural = _("inductions")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "employee"],
                name="induction_once",
                violation_error_message=_("This employee has an induction here already."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="induction_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} · {self.starts_on}"
