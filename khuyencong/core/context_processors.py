"""Template context shared by every page: the navigation, the user's organisation and scope."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .scoping import user_scope

# The modules of the system; those not built yet are shown as coming soon so users see where things will be.
NAVIGATION = [
    {"key": "home", "label": _("Overview"), "icon": "house", "url": "home"},
    {"key": "establishments", "label": _("Establishments"), "icon": "building", "url": "establishments:list"},
    {"key": "projects", "label": _("Projects"), "icon": "kanban", "url": "projects:list"},
    {"key": "plans", "label": _("Plans & funds"), "icon": "cash-coin", "url": "plans:list"},
    {"key": "collaborators", "label": _("Collaborators"), "icon": "people", "url": "collaborators:list"},
    {"key": "products", "label": _("Typical products"), "icon": "award", "url": None},
    {"key": "reports", "label": _("Reports"), "icon": "bar-chart", "url": "reports:dashboard"},
    {"key": "policy", "label": _("Support levels"), "icon": "journal-text", "url": "policy:rules"},
    {"key": "geography", "label": _("Administrative units"), "icon": "geo-alt", "url": "geography:unit_list"},
    {"key": "organisations", "label": _("Organisations"), "icon": "diagram-3", "url": "accounts:organisation_list"},
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    scope = user_scope(user) if user is not None else None
    return {
        "nav_items": NAVIGATION,
        "user_scope": scope,
        "user_organisation": getattr(user, "organisation", None) if user and user.is_authenticated else None,
    }
