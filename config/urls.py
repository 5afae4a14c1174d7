from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from khuyencong.reports.views import home

api_patterns: list[URLPattern | URLResolver] = [
    path("", include("khuyencong.geography.api.urls")),
    path("", include("khuyencong.accounts.api.urls")),
    path("", include("khuyencong.policy.api.urls")),
    path("", include("khuyencong.establishments.api.urls")),
    path("", include("khuyencong.collaborators.api.urls")),
    path("", include("khuyencong.projects.api.urls")),
    path("", include("khuyencong.plans.api.urls")),
    path("", include("khuyencong.reports.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file, so the page works under our CSP (no inline script).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("", home, name="home"),
    path("", include("khuyencong.core.urls")),
    path("accounts/", include("khuyencong.accounts.urls")),
    path("units/", include("khuyencong.geography.urls")),
    path("establishments/", include("khuyencong.establishments.urls")),
    path("collaborators/", include("khuyencong.collaborators.urls")),
    path("policy/", include("khuyencong.policy.urls")),
    path("projects/", include("khuyencong.projects.urls")),
    path("plans/", include("khuyencong.plans.urls")),
    path("reports/", include("khuyencong.reports.urls")),
    path("public/", include("khuyencong.reports.public_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(api_patterns)),
    path("admin/", admin.site.urls),
]

# Errors under /api/ answer the API's JSON error body; elsewhere the Vietnamese pages.
handler400 = "khuyencong.core.views.error_400"
handler403 = "khuyencong.core.views.error_403"
handler404 = "khuyencong.core.views.error_404"
handler500 = "khuyencong.core.views.error_500"

if settings.DEBUG:  # pragma: no cover
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
