"""Template context shared by every page: the navigation, the user's organisation and scope."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .scoping import user_scope

# The modules of the system; those not built yet are shown as coming soon so users see where things will be.
# `for` names the roles (accounts.choices.Role values) a module is shown to; "*" is every signed-in account. A
# visitor who is not signed in sees the public pages only. Items of the "reference" group (the catalogues a user looks
# things up in) are gathered under one "Danh mục" menu when a role has more than one of them, so that the header holds
# on one row of a 1366 px screen.
_STAFF = (
    "system_admin",
    "ministry_officer",
    "ministry_approver",
    "provincial_officer",
    "provincial_approver",
    "auditor",
)
NAVIGATION: list[dict[str, Any]] = [
    {"key": "home", "label": _("To do"), "icon": "house", "url": "home", "for": _STAFF},
    {"key": "collaborators", "label": _("My reports"), "icon": "clipboard-check", "url": "collaborators:my_reports",
     "for": ("collaborator",)},
    {"key": "establishments", "label": _("Establishments"), "icon": "building", "url": "establishments:list",
     "for": "*"},
    {"key": "projects", "label": _("Projects"), "icon": "kanban", "url": "projects:list", "for": _STAFF},
    {"key": "plans", "label": _("Plans & funds"), "icon": "cash-coin", "url": "plans:list", "for": _STAFF},
    {"key": "collaborators", "label": _("Collaborators"), "icon": "people", "url": "collaborators:list",
     "for": _STAFF},
    {"key": "products", "label": _("Typical products"), "icon": "award", "url": None, "for": _STAFF},
    {"key": "reports", "label": _("Reports"), "icon": "bar-chart", "url": "reports:dashboard",
     "for": (*_STAFF, "collaborator")},
    {"key": "policy", "label": _("Support levels"), "icon": "journal-text", "url": "policy:rules", "group": "reference",
     "for": "*"},
    {"key": "geography", "label": _("Administrative units"), "icon": "geo-alt", "url": "geography:unit_list",
     "group": "reference",
     "for": (*_STAFF, "collaborator")},
    {"key": "organisations", "label": _("Organisations"), "icon": "diagram-3", "url": "accounts:organisation_list",
     "group": "reference",
     "for": _STAFF},
]  # fmt: skip
PUBLIC_NAVIGATION: list[dict[str, Any]] = [
    {"key": "public", "label": _("Public information"), "icon": "globe", "url": "public:home"},
    {"key": "public_data", "label": _("Open data"), "icon": "table", "url": "public:data"},
]


def navigation_for(user: Any) -> list[dict[str, Any]]:
    """The modules shown to `user`: only those their role works in."""
    if user is None or not getattr(user, "is_authenticated", False):
        return PUBLIC_NAVIGATION
    role = "system_admin" if user.is_superuser else getattr(user, "role", "")
    return [item for item in NAVIGATION if item["for"] == "*" or role in item["for"]]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    scope = user_scope(user) if user is not None else None
    items = navigation_for(user)
    reference = [item for item in items if item.get("group") == "reference"]
    if len(reference) < 2:
        reference = []
    return {
        "nav_items": [item for item in items if item not in reference],
        "nav_reference": reference,
        "nav_reference_keys": [item["key"] for item in reference],
        "user_scope": scope,
        "user_organisation": getattr(user, "organisation", None) if user and user.is_authenticated else None,
    }
