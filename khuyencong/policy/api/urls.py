from rest_framework.routers import SimpleRouter

from .views import ActivityContentViewSet, IndicatorViewSet, LegalDocumentViewSet, SupportItemViewSet

router = SimpleRouter()
router.register("policy/legal-documents", LegalDocumentViewSet, basename="legal-document")
router.register("policy/contents", ActivityContentViewSet, basename="activity-content")
router.register("policy/support-items", SupportItemViewSet, basename="support-item")
router.register("policy/indicators", IndicatorViewSet, basename="indicator")

urlpatterns = router.urls
