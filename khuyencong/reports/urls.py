from django.urls import path

from . import pivot, views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("pivot/", pivot.pivot, name="pivot"),
    path("pivot.xlsx", pivot.pivot_xlsx, name="pivot_xlsx"),
    path("files/", views.report_files, name="files"),
    path("files/<uuid:job_id>/", views.report_job, name="job"),
    path("files/<uuid:job_id>/download/", views.report_download, name="download"),
]
