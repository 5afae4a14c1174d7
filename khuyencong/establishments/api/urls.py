from rest_framework.routers import SimpleRouter

from .views import EstablishmentViewSet

router = SimpleRouter()
router.register("establishments", EstablishmentViewSet, basename="establishment")

urlpatterns = router.urls
