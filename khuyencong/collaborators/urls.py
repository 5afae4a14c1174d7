from django.urls import path

from . import views

app_name = "collaborators"

urlpatterns = [
    path("", views.collaborator_list, name="list"),
    path("new/", views.collaborator_form, name="create"),
    path("<int:pk>/", views.collaborator_detail, name="detail"),
    path("<int:pk>/edit/", views.collaborator_form, name="edit"),
    path("reports/", views.my_reports, name="my_reports"),
    path("reports/<slug:code>/<int:commune_id>/<str:period>/", views.report_page, name="report"),
    path("submissions/<int:pk>/<slug:step>/", views.review_step, name="review_step"),
    path("completeness/", views.completeness_page, name="completeness"),
    path("surveys/", views.survey_list, name="surveys"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey"),
    path("surveys/<int:pk>/<int:commune_id>/new/", views.survey_respond, name="survey_respond"),
    path("surveys/<int:pk>/<int:commune_id>/<int:response_id>/", views.survey_respond, name="survey_response"),
]
