"""Reference data: public facts loaded from data files (see docs/data-sources.md).

These tables are rebuilt by ``niryat reference load``; rows are keyed by their
official codes so that reloading updates rather than duplicates.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from niryat.core.i18n import pick


class BilingualName(models.Model):
    """A name in English and Hindi; ``label`` picks the one for the active language."""

    name = models.CharField(_("name"), max_length=200)
    name_hi = models.CharField(_("name (Hindi)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return pick(self.name, self.name_hi)


class Country(models.Model):
    """A country (ISO 3166-1), from pycountry."""

    iso2 = models.CharField(max_length=2, primary_key=True)
    iso3 = models.CharField(max_length=3, unique=True)
    numeric = models.CharField(max_length=3)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return self.name


class Currency(models.Model):
    """A currency (ISO 4217), from pycountry, with the number of decimals of its minor unit."""

    code = models.CharField(max_length=3, primary_key=True)
    numeric = models.CharField(max_length=3)
    name = models.CharField(max_length=200)
    minor_units = models.PositiveSmallIntegerField(default=2)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "currencies"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class GstStateCode(models.Model):
    """Every two-digit state code that can begin a GSTIN, including retired and special ones."""

    code = models.CharField(max_length=2, primary_key=True)
    name = models.CharField(max_length=100)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class State(BilingualName):
    """An Indian state or union territory, keyed by its LGD state code."""

    class Kind(models.TextChoices):
        STATE = "state", _("State")
        UT = "ut", _("Union territory")

    lgd_code = models.PositiveIntegerField(primary_key=True)
    kind = models.CharField(max_length=5, choices=Kind.choices)
    gst_code = models.CharField(max_length=2, blank=True)
    iso_code = models.CharField(max_length=6, blank=True)
    udyam_codes = models.CharField(
        max_length=20, blank=True, help_text="Letters for the state in Udyam numbers, space-separated."
    )

    class Meta:
        ordering = ["name"]


class District(BilingualName):
    """A district, keyed by its LGD district code."""

    lgd_code = models.PositiveIntegerField(primary_key=True)
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="districts")

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["state", "name"])]


class ClusterCity(BilingualName):
    """A city named by a programme as an MSME cluster (e.g. Surat in the Gujarat programme)."""

    slug = models.SlugField(primary_key=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="cluster_cities")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "cluster cities"


class Sector(BilingualName):
    """An export sector (textiles & apparel, handicrafts, …) with its typical HS chapters."""

    slug = models.SlugField(primary_key=True)
    hs_chapters = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]


class OdopProduct(models.Model):
    """A district's product under its state's One District One Product (ODOP) scheme."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="odop_products")
    product = models.CharField(max_length=200)
    product_hi = models.CharField(max_length=200, blank=True)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")

    class Meta:
        ordering = ["district__name", "product"]
        constraints = [
            models.UniqueConstraint(fields=["district", "product"], name="odop_unique")
        ]

    def __str__(self) -> str:
        return f"{self.district}: {self.product}"

    @property
    def label(self) -> str:
        return pick(self.product, self.product_hi)


class HsCode(models.Model):
    """An entry of the HS 2022 nomenclature: chapter (2 digits), heading (4) or subheading (6)."""

    code = models.CharField(max_length=6, primary_key=True)
    level = models.PositiveSmallIntegerField()
    description = models.TextField()
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    section = models.CharField(max_length=6, blank=True)

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"])]

    def __str__(self) -> str:
        return f"{self.code} {self.description[:80]}"


class ReferenceVersion(models.Model):
    """One number that grows whenever reference data is loaded or changed.

    Processes keep lists built from reference data (the district and sector choices of a
    form) keyed by it, so a reload in another process (``niryat reference load``) is seen on
    the next request. One row (pk 1).
    """

    number = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"reference data version {self.number}"
