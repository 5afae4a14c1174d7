from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("about/", views.about, name="about"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.web_manifest, name="web_manifest"),
    path("activity/", views.activity_log, name="activity_log"),
]
