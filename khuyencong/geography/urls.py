from django.urls import path

from . import views

app_name = "geography"

urlpatterns = [
    path("", views.UnitListView.as_view(), name="unit_list"),
    path("<int:pk>/", views.UnitDetailView.as_view(), name="unit_detail"),
    path("<int:pk>/history/", views.UnitHistoryView.as_view(), name="unit_history"),
    path("map/", views.home, name="map"),
    path("communes/find/", views.commune_picker_page, name="commune_find"),
    path("communes/picker/", views.commune_picker, name="commune_picker"),
]
