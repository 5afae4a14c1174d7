"""Background work of the registry (Django's tasks API; `manage.py db_worker` runs them)."""

import tempfile

from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.tasks import task
from django.utils import timezone

from .models import ExportJob


@task()
def export_establishments(job_id: str) -> None:
    """Write the filtered rows of an export job to a file, updating its progress as it goes."""
    from .exports import write_csv_export, write_xlsx_export
    from .selectors import establishment_list

    job = ExportJob.objects.select_related("user").get(pk=job_id)
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.JobStatus.RUNNING)
    try:
        queryset = establishment_list(user=job.user, params=QueryDict(job.query))

        def progress(done: int) -> None:
            ExportJob.objects.filter(pk=job.pk).update(done=done)

        writer = write_xlsx_export if job.file_format == "xlsx" else write_csv_export
        with tempfile.TemporaryFile() as handle:
            writer(handle, queryset, progress=progress)
            handle.seek(0)
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
            job.file.save(f"co-so-cnnt-{stamp}.{job.file_format}", File(handle), save=False)
        with transaction.atomic():
            ExportJob.objects.filter(pk=job.pk).update(file=job.file.name, status=ExportJob.JobStatus.DONE)
    except Exception as exc:  # the job page shows the failure instead of spinning forever
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.JobStatus.FAILED, error=str(exc)[:2000])
        raise


@task()
def run_import(batch_id: str, commit: bool, include_duplicates: bool = False) -> None:
    """Check (dry run) or save an uploaded file in the background. A save is queued only after the batch was
    claimed for it (`imports.import_commit_soon`). Whatever fails is recorded on the batch with a message: a check
    ends failed; a save goes back to checked and its error is raised again, so that the task's result shows it."""
    from .imports import import_check, import_commit

    if commit:
        import_commit(batch_id=batch_id, include_duplicates=include_duplicates, claimed=True)
    else:
        import_check(batch_id=batch_id)
