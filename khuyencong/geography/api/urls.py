from rest_framework.routers import SimpleRouter

from .views import AdminUnitViewSet

router = SimpleRouter()
router.register("geography/units", AdminUnitViewSet, basename="adminunit")

urlpatterns = router.urls
