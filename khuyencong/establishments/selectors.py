"""Reads of the registry, always through the user's scope."""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _

from khuyencong.core.exceptions import ApplicationError, ErrorCode
from khuyencong.core.scoping import scope_queryset

from .choices import DuplicateStatus
from .filtersets import EstablishmentFilterSet
from .models import CraftVillage, DuplicateFlag, Establishment, ExportJob, ImportBatch, Representative

LIST_RELATED = ("commune", "province", "main_industry")


def establishment_queryset(*, user: Any) -> QuerySet[Establishment]:
    return scope_queryset(Establishment.objects.all(), user)


def establishment_filterset(*, user: Any, params: QueryDict | dict) -> EstablishmentFilterSet:
    """The FilterSet over the user's establishments (the list page, the API and the exports share it)."""
    filterset = EstablishmentFilterSet(params, queryset=establishment_queryset(user=user))
    filterset.filters["craft_village"].queryset = scope_queryset(CraftVillage.objects.all(), user)
    return filterset


def establishment_list(*, user: Any, params: QueryDict | dict) -> QuerySet[Establishment]:
    filterset = establishment_filterset(user=user, params=params)
    if not filterset.is_valid():
        errors = {name: [str(e) for e in messages] for name, messages in filterset.errors.items()}
        raise ApplicationError(ErrorCode.INVALID, _("Some filters are not valid."), extra={"errors": errors})
    return filterset.ordered().select_related(*LIST_RELATED)


def establishment_get(*, user: Any, pk: Any) -> Establishment:
    try:
        establishment = Establishment.objects.select_related(
            "commune", "commune_recorded", "province", "craft_village", "main_industry", "eligible_group"
        ).get(pk=int(pk))
    except (ValueError, TypeError, Establishment.DoesNotExist) as exc:
        raise ApplicationError(ErrorCode.NOT_FOUND, _("Establishment not found.")) from exc
    if not user.has_perm("establishments.view_establishment", establishment):
        raise ApplicationError(ErrorCode.OUT_OF_SCOPE, _("Not found, or outside your area."))
    return establishment


def craft_villages_for(*, user: Any) -> QuerySet[CraftVillage]:
    return scope_queryset(CraftVillage.objects.all(), user)


def duplicate_flags_for(*, user: Any, establishment: Establishment) -> QuerySet[DuplicateFlag]:
    flags = DuplicateFlag.objects.filter(Q(establishment=establishment) | Q(other=establishment))
    return scope_queryset(flags, user).select_related("establishment__commune", "other__commune")


def representatives_of(*, user: Any, establishment: Establishment) -> QuerySet[Representative]:
    """The accounts linked to an establishment, for users who may change it (others see none)."""
    if not user.has_perm("establishments.change_establishment", establishment):
        return Representative.objects.none()
    return scope_queryset(Representative.objects.filter(establishment=establishment), user).select_related("user")


def craft_village_list(*, user: Any, query: str = "") -> QuerySet[CraftVillage]:
    """The user's craft villages with the number of registered establishments in each, searchable by name."""
    from django.db.models import Count

    from khuyencong.core.text import fold_words

    villages = craft_villages_for(user=user)
    for word in fold_words(query):
        villages = villages.filter(name_folded__contains=word)
    villages = villages.select_related("commune", "province").annotate(establishment_count=Count("establishments"))
    return villages.order_by("name_folded", "id")


def craft_village_get(*, user: Any, pk: Any) -> CraftVillage:
    try:
        village = CraftVillage.objects.select_related("commune", "province").get(pk=int(pk))
    except (ValueError, TypeError, CraftVillage.DoesNotExist) as exc:
        raise ApplicationError(ErrorCode.NOT_FOUND, _("Craft village not found.")) from exc
    if not user.has_perm("establishments.view_craftvillage", village):
        raise ApplicationError(ErrorCode.OUT_OF_SCOPE, _("Not found, or outside your area."))
    return village


def craft_village_establishments(*, user: Any, village: CraftVillage) -> QuerySet[Establishment]:
    return establishment_queryset(user=user).filter(craft_village=village).select_related(*LIST_RELATED)


def duplicate_flags_to_decide(*, user: Any) -> QuerySet[DuplicateFlag]:
    """Open possible-duplicate pairs the user may decide (both records in their area, a registry editor), the
    likeliest first."""
    from .rules import is_registry_editor

    if not is_registry_editor(user):
        return DuplicateFlag.objects.none()
    flags = DuplicateFlag.objects.filter(status=DuplicateStatus.OPEN)
    return scope_queryset(flags, user).select_related("establishment", "other").order_by("-score", "pk")


def imports_of(*, user: Any, since: Any) -> QuerySet[ImportBatch]:
    """The user's own imports waiting to be saved, and those finished since `since`."""
    statuses = ImportBatch.BatchStatus
    return ImportBatch.objects.filter(user=user).filter(
        Q(status=statuses.CHECKED) | Q(status__in=[statuses.COMMITTED, statuses.FAILED], progress_at__gte=since)
    )[:10]


def exports_of(*, user: Any, since: Any) -> QuerySet[ExportJob]:
    """The user's own exports finished since `since`."""
    return ExportJob.objects.filter(
        user=user, created_at__gte=since, status__in=[ExportJob.JobStatus.DONE, ExportJob.JobStatus.FAILED]
    )[:10]
