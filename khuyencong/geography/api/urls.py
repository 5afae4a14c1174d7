from rest_framework.routers import SimpleRouter

from .views import AdminUnitViewSet, RegionViewSet

router = SimpleRouter()
router.register("geography/units", AdminUnitViewSet, basename="adminunit")
router.register("geography/regions", RegionViewSet, basename="region")

urlpatterns = router.urls
