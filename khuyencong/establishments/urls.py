from django.urls import path

from . import views

app_name = "establishments"

urlpatterns = [
    path("", views.EstablishmentListView.as_view(), name="list"),
    path("new/", views.establishment_create, name="create"),
    path("<int:pk>/", views.establishment_detail, name="detail"),
    path("<int:pk>/edit/", views.establishment_edit, name="edit"),
    path("<int:pk>/years/add/", views.year_add, name="year_add"),
    path("<int:pk>/duplicates/<int:flag_id>/", views.duplicate_decide, name="duplicate_decide"),
    path("<int:pk>/merge/<int:other_pk>/", views.establishment_merge, name="merge"),
    path("<int:pk>/representatives/", views.representative_link, name="representative_link"),
    path(
        "<int:pk>/representatives/<int:representative_id>/remove/",
        views.representative_unlink,
        name="representative_unlink",
    ),
    path("<int:pk>/<slug:tab>/", views.establishment_detail, name="detail_tab"),
    path("filters/save/", views.saved_filter_save, name="filter_save"),
    path("filters/<int:filter_id>/delete/", views.saved_filter_delete, name="filter_delete"),
    path("export/<str:file_format>/", views.export, name="export"),
    path("exports/<uuid:job_id>/", views.export_job, name="export_job"),
    path("exports/<uuid:job_id>/download/", views.export_download, name="export_download"),
    path("villages/", views.CraftVillageListView.as_view(), name="village_list"),
    path("villages/new/", views.craft_village_form, name="village_create"),
    path("villages/<int:pk>/", views.craft_village_detail, name="village_detail"),
    path("villages/<int:pk>/edit/", views.craft_village_form, name="village_edit"),
    path("villages/<int:pk>/<slug:tab>/", views.craft_village_detail, name="village_detail_tab"),
    path("import/", views.import_upload, name="import"),
    path("import/template/", views.import_template, name="import_template"),
    path("import/<uuid:batch_id>/", views.import_batch, name="import_batch"),
    path("import/<uuid:batch_id>/commit/", views.import_commit, name="import_commit"),
    path("import/<uuid:batch_id>/cancel/", views.import_cancel, name="import_cancel"),
    path("import/<uuid:batch_id>/decide/", views.import_decide, name="import_decide"),
    path("import/<uuid:batch_id>/rejected/", views.import_rejected, name="import_rejected"),
]
