"""Reads of the policy data for the reference pages (public to every logged-in user: it is the law, not a record)."""

from django.db.models import Prefetch, QuerySet

from .models import LegalDocument, SupportItem, SupportRule


def support_items_with_rules() -> QuerySet[SupportItem]:
    """Every support item with its rules (general ones, newest first), for the "mức hỗ trợ" page."""
    rules = SupportRule.objects.select_related("legal_document", "province").order_by(
        "fund", "province__name_folded", "-valid_from", "-legal_document__signed_on", "area_class"
    )
    return SupportItem.objects.prefetch_related(Prefetch("rules", queryset=rules))


def legal_documents() -> QuerySet[LegalDocument]:
    return LegalDocument.objects.prefetch_related("amends", "replaces").order_by("-signed_on", "number")
