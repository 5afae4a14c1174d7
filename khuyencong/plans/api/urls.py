from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import AnnualPlanViewSet, MoneyEventViewSet, ProgrammeViewSet, plan_vs_actual

router = SimpleRouter()
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("plans", AnnualPlanViewSet, basename="plan")
router.register("money-events", MoneyEventViewSet, basename="money-event")

urlpatterns = [path("plan-vs-actual/", plan_vs_actual, name="plan-vs-actual"), *router.urls]
