"""Export programmes and the organisations that take part in them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from niryat.core.i18n import pick
from niryat.core.models import TimeStampedModel


class Programme(TimeStampedModel):
    """An MSME e-commerce export programme run by one programme office.

    Its geography (states, districts, cluster cities) and sectors say which MSMEs it
    is for; participants say which partners, facilitators and trainers work in it.
    """

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_hi = models.CharField(_("name (Hindi)"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    summary_hi = models.TextField(_("summary (Hindi)"), blank=True)
    office = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="programmes_run"
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    states = models.ManyToManyField("reference.State", blank=True, related_name="+")
    districts = models.ManyToManyField("reference.District", blank=True, related_name="+")
    cluster_cities = models.ManyToManyField("reference.ClusterCity", blank=True, related_name="+")
    sectors = models.ManyToManyField("reference.Sector", blank=True, related_name="+")

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return pick(self.name, self.name_hi)

    @property
    def summary_label(self) -> str:
        return pick(self.summary, self.summary_hi)


class ParticipantRole(models.TextChoices):
    MARKETPLACE = "marketplace", _("Marketplace partner")
    FACILITATOR = "facilitator", _("Facilitator")
    TRAINER = "trainer", _("Trainer")
    MSME = "msme", _("MSME")


class Participant(TimeStampedModel):
    """That an organisation takes part in a programme, and as what."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField(_("role"), max_length=20, choices=ParticipantRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation"], name="participant_unique"
            )
        ]
        ordering = ["role", "organisation__name"]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.programme} ({self.role})"
