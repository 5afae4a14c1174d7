from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="list"),
    path("new/", views.project_form, name="create"),
    path("communes/", views.commune_options, name="commune_options"),
    path("establishments/", views.establishment_options, name="establishment_options"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_form, name="edit"),
    path("<int:pk>/steps/<slug:name>/", views.project_step, name="step"),
    path("<int:pk>/documents/upload/", views.document_upload, name="document_upload"),
    path("<int:pk>/progress/new/", views.progress_report_create, name="progress_create"),
    path("<int:pk>/progress/<int:report_pk>/confirm/", views.progress_report_confirm, name="progress_confirm"),
    path("<int:pk>/beneficiaries/<int:beneficiary_pk>/evaluation/", views.evaluation_save, name="evaluation_save"),
    path("<int:pk>/document.pdf", views.project_pdf, name="pdf"),
    path("<int:pk>/document.docx", views.project_docx, name="docx"),
    path("<int:pk>/<slug:tab>/", views.project_detail, name="detail_tab"),
]
