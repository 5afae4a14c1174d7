"""Report files made in the background (Django's tasks API; `manage.py db_worker` runs them)."""

from django.core.files.base import ContentFile
from django.tasks import task

from .models import ReportJob


@task()
def make_report(job_id: str) -> None:
    """Build the report of a job from live data and write its file, updating the progress as it goes."""
    from khuyencong.core.exceptions import ApplicationError

    from .official import RENDERERS, build

    job = ReportJob.objects.select_related("user").get(pk=job_id)
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.JobStatus.RUNNING)

    def progress(done: int, total: int) -> None:
        ReportJob.objects.filter(pk=job.pk).update(done=done, total=total + 1)  # + 1: writing the file

    try:
        document = build(job.kind, user=job.user, params=job.params, progress=progress)
        render, _content_type = RENDERERS[job.file_format]
        job.file.save(f"{document.file_stem}.{job.file_format}", ContentFile(render(document)), save=False)
        params = {**job.params, "file_title": f"{document.title.capitalize()} – {document.subtitle}"}
        ReportJob.objects.filter(pk=job.pk).update(file=job.file.name, status=ReportJob.JobStatus.DONE, params=params)
    except ApplicationError as error:  # the job page shows the reason
        ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.JobStatus.FAILED, error=str(error.message))
    except Exception as exc:  # the job page shows the failure instead of spinning forever
        ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.JobStatus.FAILED, error=str(exc)[:2000])
        raise
