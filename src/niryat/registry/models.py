"""Enterprises (MSMEs) and the people to contact at them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from niryat.core.i18n import pick, text_for_reader
from niryat.core.models import TimeStampedModel
from niryat.core.words import WordsField


class SizeClass(models.TextChoices):
    MICRO = "micro", _("Micro")
    SMALL = "small", _("Small")
    MEDIUM = "medium", _("Medium")
    LARGE = "large", _("Large (not an MSME)")


class ExportExperience(models.TextChoices):
    NONE = "none", _("Not yet exporting")
    INDIRECT = "indirect", _("Exports through others")
    DIRECT = "direct", _("Exports directly")


class Enterprise(TimeStampedModel):
    """A micro, small or medium enterprise that a programme works with.

    ``steward`` is the organisation that brought it into the registry (a facilitator or
    a programme office); it decides who may see the enterprise. Identifiers are stored
    normalised (upper case, no spaces); Udyam number and GSTIN are unique when present.
    ``size_class`` is derived from investment and turnover with the limits in force on
    ``size_as_of``. A merged duplicate keeps its row with ``merged_into`` set.
    """

    # Foreign keys without their own index where a composite index below starts with them,
    # or where the referenced rows are reference data that is never deleted: every index
    # costs time on a million-row import (docs/benchmarks.md). The steward and the reference
    # data are not database constraints either (ADR 0006): the importer and the forms take
    # them from the steward and the reference index they checked against, Django keeps
    # PROTECT, and on PostgreSQL their checks per row were nearly half of the write.
    steward = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="enterprises", db_index=False,
        db_constraint=False,
    )
    name = models.CharField(_("legal name"), max_length=200)
    name_hi = models.CharField(_("legal name (Hindi)"), max_length=200, blank=True)
    trade_name = models.CharField(_("trade name"), max_length=200, blank=True)
    trade_name_hi = models.CharField(_("trade name (Hindi)"), max_length=200, blank=True)
    # NULL, not "", when absent: the unique constraints below apply only to known numbers.
    udyam_number = models.CharField(_("Udyam number"), max_length=19, null=True, blank=True)  # noqa: DJ001
    gstin = models.CharField(_("GSTIN"), max_length=15, null=True, blank=True)  # noqa: DJ001
    pan = models.CharField(_("PAN"), max_length=10, blank=True)
    iec = models.CharField(_("IEC"), max_length=10, blank=True)
    fssai = models.CharField(_("FSSAI licence"), max_length=14, blank=True)
    other_licences = models.JSONField(_("other licences"), default=dict, blank=True)
    investment_paise = models.BigIntegerField(_("investment (paise)"), null=True, blank=True)
    turnover_paise = models.BigIntegerField(_("turnover (paise)"), null=True, blank=True)
    size_class = models.CharField(_("size"), max_length=6, choices=SizeClass.choices, blank=True)
    size_as_of = models.DateField(_("size as of"), null=True, blank=True)
    sector = models.ForeignKey(
        "reference.Sector", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        db_index=False, db_constraint=False,
    )
    district = models.ForeignKey(
        "reference.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        db_index=False, db_constraint=False,
    )
    odop_product = models.ForeignKey(
        "reference.OdopProduct", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        db_index=False, db_constraint=False,
    )
    address = models.TextField(_("address"), blank=True)
    pincode = models.CharField(_("PIN code"), max_length=6, blank=True)
    year_started = models.PositiveSmallIntegerField(_("year started"), null=True, blank=True)
    export_experience = models.CharField(
        _("export experience"), max_length=8, choices=ExportExperience.choices,
        default=ExportExperience.NONE,
    )
    export_markets = models.JSONField(_("export markets"), default=list, blank=True)
    name_key = models.CharField(max_length=200, blank=True)
    search_text = models.TextField(blank=True)
    # The words of the names in both scripts (``services.search_words``), for the list's word
    # search; a tsvector with a GIN index on PostgreSQL (ADR 0009).
    search_words = WordsField(blank=True, default="")
    # The import that brought the enterprise in: its audit event (one per committed chunk of
    # the file, ADR 0003) is part of the enterprise's history. No index and no database
    # constraint, so that a million-row import does not pay for them row by row.
    import_batch = models.ForeignKey(
        "ImportBatch", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        db_index=False, db_constraint=False,
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged",
        db_index=False,
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["udyam_number"], condition=Q(udyam_number__isnull=False),
                name="enterprise_udyam_unique",
            ),
            models.UniqueConstraint(
                fields=["gstin"], condition=Q(gstin__isnull=False), name="enterprise_gstin_unique"
            ),
        ]
        indexes = [
            # A steward's list in name order, searched or not, read from this index alone on
            # PostgreSQL (ADR 0007, 0009): a facilitator's own list, an office's, the steward
            # filter.
            models.Index(fields=["steward", "name", "id"], name="enterprise_steward_list",
                         include=["merged_into", "size_class", "search_words", "search_text"]),
            # A size class in name order, searched by words or not (ADR 0009).
            models.Index(fields=["size_class", "name", "id"], name="enterprise_size_list",
                         include=["steward", "merged_into", "search_words"]),
            models.Index(fields=["district", "sector"]),
            # A sector's list, searched or not, read from this index alone on PostgreSQL
            # (ADR 0007): every column the list's keys query filters or sorts on, "id" too.
            models.Index(fields=["sector", "steward"], name="enterprise_sector_list",
                         include=["merged_into", "name", "id", "search_words", "search_text"]),
            models.Index(fields=["merged_into"], condition=Q(merged_into__isnull=False),
                         name="enterprise_merged_partial"),
            # And on PostgreSQL a GIN index on search_words, made by migration 0012: Django
            # has no index that exists on one database only.
        ]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return pick(self.name, self.name_hi)


class Contact(TimeStampedModel):
    """A person to contact at an enterprise: mobile in E.164 form (+91…), email."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=150, blank=True)
    mobile = models.CharField(_("mobile"), max_length=16, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_primary = models.BooleanField(default=True)

    class Meta:
        ordering = ["-is_primary", "id"]

    def __str__(self) -> str:
        return self.name or self.mobile or self.email


class Enrolment(models.Model):
    """That a programme works with an enterprise: the programme filter of the registry.

    Made one at a time from the enterprise's page or the API, or for every row of an import
    made for a programme (``import_batch`` then names it). The enterprise's steward runs or
    takes part in the programme. One per programme and enterprise.
    """

    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="enrolments")
    import_batch = models.ForeignKey(
        "ImportBatch", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        db_index=False, db_constraint=False,
    )
    created_at = models.DateTimeField(_("enrolled at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "enterprise"], name="enrolment_unique"),
        ]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")

    def __str__(self) -> str:
        return f"{self.enterprise_id} in {self.programme_id}"


class ImportBatch(TimeStampedModel):
    """One file of enterprises being imported: counts, progress and how far it has got.

    ``cursor`` is the number of data rows whose results are committed; it moves in the
    same transaction as the rows it covers, so a run that is killed resumes from there
    and never writes a row twice.
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        CHECKED = "checked", _("Checked (dry run)")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    steward = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    programme_slug = models.SlugField(max_length=80, blank=True)
    original_name = models.CharField(max_length=255)
    file_path = models.CharField(max_length=300)
    size = models.PositiveBigIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UPLOADED)
    dry_run_done = models.BooleanField(default=False)
    rows_read = models.PositiveIntegerField(default=0)
    new = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    cursor = models.PositiveIntegerField(default=0)
    columns = models.JSONField(default=list, blank=True)
    unknown_columns = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)  # why the run failed, in the default language
    message_translations = models.JSONField(default=dict, blank=True)  # language -> message (ADR 0008)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    def shown_message(self) -> str:
        """Why the run failed, in the reader's language."""
        return text_for_reader(self.message, self.message_translations)


class ImportProblem(models.Model):
    """A problem with one row of an import: its row number (as in the file), field and message.

    ``message`` is in the default language (English), ``translations`` holds it in each
    other language (``importing.problems``): a person reads it in their own.
    """

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="problems", db_index=False)
    dry_run = models.BooleanField(default=False)
    row_number = models.PositiveIntegerField()
    field = models.CharField(max_length=40, blank=True)
    level = models.CharField(max_length=7, default="error")
    message = models.TextField()
    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["row_number", "id"]
        indexes = [models.Index(fields=["batch", "dry_run", "row_number"])]

    def __str__(self) -> str:
        return f"row {self.row_number}: {self.message}"

    def shown_message(self) -> str:
        """The message in the active language (the reader's), else in the default one."""
        return text_for_reader(self.message, self.translations)


class DuplicateCandidate(models.Model):
    """Two enterprises that may be the same business, for a person to merge or keep apart.

    Found by ``duplicates.duplicates_find`` (derived data: rebuilt at will; decisions are
    kept). ``first_id`` < ``second_id`` so a pair is stored once.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("To decide")
        MERGED = "merged", _("Merged")
        APART = "apart", _("Kept apart")

    first = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField()
    reasons = models.JSONField(default=list)
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicate_pair_unique")
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id} ({self.score})"
