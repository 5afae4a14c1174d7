from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import CollaboratorViewSet, ReportFormViewSet, SubmissionViewSet, completeness, expected_reports

router = SimpleRouter()
router.register("report-forms", ReportFormViewSet, basename="report-form")
router.register("collaborators", CollaboratorViewSet, basename="collaborator")
router.register("submissions", SubmissionViewSet, basename="submission")

urlpatterns = [
    path("completeness/", completeness, name="completeness"),
    path("expected-reports/", expected_reports, name="expected-reports"),
    *router.urls,
]
