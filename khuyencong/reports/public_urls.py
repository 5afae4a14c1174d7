from django.urls import path

from . import public

app_name = "public"

urlpatterns = [
    path("", public.public_home, name="home"),
    path("data/", public.public_data, name="data"),
    path("projects.csv", public.public_csv, name="csv"),
    path("projects.json", public.public_json, name="json"),
]
