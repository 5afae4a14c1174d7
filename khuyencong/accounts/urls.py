from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("me/", views.profile, name="profile"),
    path("me/tokens/", views.api_tokens, name="api_tokens"),
    path("me/tokens/<str:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("two-factor/setup/", views.otp_setup, name="otp_setup"),
    path("two-factor/", views.otp_verify, name="otp_verify"),
    path("organisations/", views.OrganisationListView.as_view(), name="organisation_list"),
    path("organisations/<str:pk>/", views.OrganisationDetailView.as_view(), name="organisation_detail"),
    path("organisations/<str:pk>/history/", views.OrganisationHistoryView.as_view(), name="organisation_history"),
]
