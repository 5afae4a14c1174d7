from django.urls import path

from .views import dashboard, my_tasks

urlpatterns = [
    path("dashboard/", dashboard, name="dashboard-api"),
    path("me/tasks/", my_tasks, name="me-tasks"),
]
