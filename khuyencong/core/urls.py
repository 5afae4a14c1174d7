from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("about/", views.about, name="about"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("activity/", views.activity_log, name="activity_log"),
]
