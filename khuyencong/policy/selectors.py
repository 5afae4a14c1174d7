"""Reads of the policy data for the reference pages (public to every logged-in user: it is the law, not a record)."""

import datetime
from typing import Any

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


def rule_period(rule: SupportRule) -> dict[str, Any]:
    """When a rule applies: its own dates, else its document's, and whether the start is only the signing date."""
    document = rule.legal_document
    start: datetime.date | None = rule.valid_from or document.effective_from
    approximate = start is None and document.signed_on is not None
    return {
        "start": start or document.signed_on,
        "end": rule.valid_to or document.effective_to,
        "approximate": approximate,
    }
