"""Report files generated in the background, with their progress and the file when done."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _job_path(instance: "ReportJob", filename: str) -> str:
    return f"reports/{instance.pk}/{filename}"


class ReportJob(models.Model):
    class JobStatus(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    file_format = models.CharField(max_length=4)
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=_job_path, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # Job bookkeeping, not a domain record: the figures it writes are read from records that keep their history.
    objects = models.Manager()

    class Meta:
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind}.{self.file_format} {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}"

    @property
    def percent(self) -> int:
        return 100 if self.status == self.JobStatus.DONE else int(self.done * 100 / self.total) if self.total else 0
