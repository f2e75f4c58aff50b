"""Case studies (个案分析, spec §02): a notable complaint or incident written up, with the
register entries it is about, and used in training."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.tickets.models import ServiceRequest

USER = settings.AUTH_USER_MODEL


class CaseStudy(TimeStampedModel):
    """One case study: the facts, the cause, the lesson."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    title = models.CharField(_("title"), max_length=100)
    tickets = models.ManyToManyField(
        ServiceRequest, blank=True, related_name="+", verbose_name=_("register entries")
    )
    facts = models.TextField(_("what happened"), max_length=4000)
    cause = models.TextField(_("cause analysis"), max_length=4000)
    lesson = models.TextField(_("lesson"), max_length=4000)
    used_in_training = models.BooleanField(_("used in training"), default=False)
    written_on = models.DateField(_("written on"))
    author = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("written by")
    )

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("case study")
        verbose_name_plural = _("case studies")
        ordering = ["-written_on", "-pk"]
        indexes = [models.Index(fields=["community", "written_on"], name="casestudy_by_day")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:case-detail", args=[self.pk])
