"""The base model and the background job record; nothing here knows about any domain."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from niryat.core.i18n import text_for_reader


class TimeStampedModel(models.Model):
    """Base for domain models: when a row was created and last changed."""

    created_at = models.DateTimeField(auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False)

    class Meta:
        abstract = True


class Job(models.Model):
    """One piece of background work started by a person, with its progress and result.

    The task itself runs on django-tasks; this row is what the person who started it
    watches: how far it has got, how it ended, and the file it produced, if any.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Finished")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs"
    )
    kind = models.CharField(max_length=80)
    label = models.CharField(max_length=200)
    label_translations = models.JSONField(default=dict, blank=True)  # language -> label (core.i18n)
    parameters = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(default=0)
    message = models.TextField(blank=True)
    message_translations = models.JSONField(default=dict, blank=True)  # language -> message
    result_file = models.CharField(max_length=300, blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.label} ({self.status})"

    @property
    def shown_label(self) -> str:
        """The label in the reader's language (the job was made by a request in any language)."""
        return text_for_reader(self.label, self.label_translations)

    @property
    def shown_message(self) -> str:
        """The outcome in the reader's language where it was worded in each (a technical
        failure's text is the error's own, in English)."""
        return text_for_reader(self.message, self.message_translations)

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.done * 100 / self.total))

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}
