"""Monthly scores (月度考核表, spec §24): one row per employee, community and month, its lines
(one per measure, with the raw figures and the evidence) and the rater's adjustments (never
silent: each with its reason, kept as history)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanjia.core.access import communities_with_perm, get_access
from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.core.roles import Role

USER = settings.AUTH_USER_MODEL
VIEW = "appraisal.view_monthlyscore"


class Grade(models.TextChoices):
    A = "A", _("A excellent")  # 优秀
    B = "B", _("B good")  # 良好
    C = "C", _("C fair")  # 合格
    D = "D", _("D needs attention")  # 待改进
    E = "E", _("E poor")  # 不合格


ROLE_CHOICES = [(r.value, r.label) for r in Role]


class OwnOrTeamQuerySet(CommunityScopedQuerySet):
    """Managers (the view permission) see their communities' rows; every employee their own."""

    perm = VIEW

    def visible_to(self, user: Any) -> Any:
        if get_access(user).is_superuser:
            return self.all()
        ids = communities_with_perm(user, self.perm)
        return self.filter(Q(community__in=ids) | Q(employee_id=getattr(user, "pk", None)))


class MonthlyScore(TimeStampedModel):
    """One employee's score out of 100 for one month in one community (a transfer gives a row
    in each, with the days spent there)."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    employee = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("employee")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    role = models.CharField(_("role"), max_length=20, choices=ROLE_CHOICES)
    days = models.PositiveSmallIntegerField(_("days in the team"))
    computed = models.DecimalField(_("computed score"), max_digits=5, decimal_places=2)
    adjustment = models.DecimalField(
        _("rater's adjustment"), max_digits=5, decimal_places=2, default=0
    )
    total = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade)
    computed_at = models.DateTimeField(_("computed at"))

    objects = OwnOrTeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly score")
        verbose_name_plural = _("monthly scores")
        ordering = ["-month", "employee_id"]
        permissions = [
            ("adjust_monthlyscore", _("Can adjust a monthly score with a reason")),
            ("compute_monthlyscore", _("Can compute the monthly scores")),
            ("export_performance_pay", _("Can export the performance pay")),
            ("view_own_appraisal", _("Can see one's own scores and appraisals")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "employee", "month"],
                name="monthlyscore_once",
                violation_error_message=_("This employee already has a score for this month."),
            ),
            models.CheckConstraint(condition=Q(grade__in=Grade.values), name="monthlyscore_grade"),
            models.CheckConstraint(
                condition=Q(total__gte=0, total__lte=100), name="monthlyscore_total_range"
            ),
        ]
        indexes = [
            models.Index(fields=["community", "month"], name="monthlyscore_by_month"),
            models.Index(fields=["employee", "month"], name="monthlyscore_by_employee"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.month:%Y-%m}"

    def get_absolute_url(self) -> str:
        return reverse("appraisal:score-detail", args=[self.pk])


class ScoreLine(models.Model):
    """One measure of a monthly score: its weight, raw figures, points and evidence."""

    score = models.ForeignKey(MonthlyScore, on_delete=models.CASCADE, related_name="lines")
    measure = models.CharField(_("measure"), max_length=40)
    label = models.CharField(_("item"), max_length=100)
    source = models.CharField(_("source"), max_length=30)
    weight = models.PositiveSmallIntegerField(_("weight (%)"), default=0)
    numerator = models.BigIntegerField(_("numerator"), default=0)
    denominator = models.BigIntegerField(_("denominator"), default=0)
    achievement = models.DecimalField(_("achievement"), max_digits=7, decimal_places=4)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    lost = models.DecimalField(_("points lost"), max_digits=6, decimal_places=2, default=0)
    formula = models.CharField(_("how"), max_length=300, blank=True)
    evidence = models.JSONField(_("evidence"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("score line")
        verbose_name_plural = _("score lines")
        ordering = ["score", "position"]
        constraints = [
            models.UniqueConstraint(fields=["score", "measure"], name="scoreline_once"),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.points}"

    @property
    def measure_label(self) -> str:
        """The measure's name in the viewer's language (the stored label otherwise)."""
        from ..measures import MEASURES

        found = MEASURES.get(self.measure)
        return str(found.label) if found else self.label


class ScoreAdjustment(TimeStampedModel):
    """One change of a monthly score by its rater, with the reason (append-only history)."""

    score = models.ForeignKey(MonthlyScore, on_delete=models.PROTECT, related_name="adjustments")
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    points = models.DecimalField(_("points (+ or −)"), max_digits=5, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=500)
    total_before = models.DecimalField(_("score before"), max_digits=5, decimal_places=2)
    total_after = models.DecimalField(_("score after"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("score adjustment")
        verbose_name_plural = _("score adjustments")
        ordering = ["score", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.score} {self.points:+}"
