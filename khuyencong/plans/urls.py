from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_form, name="create"),
    path("progress/", views.progress, name="progress"),
    path("progress.xlsx", views.progress_xlsx, name="progress_xlsx"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/adjust/", views.plan_form, name="adjust"),
    path("projects/<int:pk>/money/", views.project_money, name="project_money"),
    path("programmes/new/", views.programme_form, name="programme_create"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme"),
    path("programmes/<int:pk>/edit/", views.programme_form, name="programme_edit"),
    path("programmes/<int:pk>/results.xlsx", views.programme_xlsx, name="programme_xlsx"),
]
