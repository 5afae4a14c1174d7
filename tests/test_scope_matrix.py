"""The scope matrix, generated from the URL resolver: every URL pattern that names an object is requested, as every
role of Lâm Đồng, with the objects of Hà Nội (and, for the narrower roles, the objects of Lâm Đồng outside their
communes or establishment), by GET and by POST. The answer must be 404 or 403 — or exactly what a record that does
not exist gets — and nothing may be written. A new URL is covered without writing a test: its arguments are found
in `ARGUMENTS` by name, and a URL whose arguments are unknown fails here until it is mapped or listed in
`UNCOVERABLE` with the reason.

The same URLs with the user's own objects must answer (not 404) for the provincial officer: that proves the URLs
were built right, so a 404 above is the scope speaking, not a wrong id.
"""

import re
from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse

from .routes import ARGUMENTS, UNCOVERABLE, Route, object_routes, url_for, value_of

#: Who answers a URL with their own record, where it is not the provincial officer.
OWN_VIEWER = {"collaborators:survey_respond": "collaborator", "collaborators:survey_response": "collaborator"}

#: Roles of Lâm Đồng whose scope must keep them from the other province's records (and what else of Lâm Đồng).
ROLES = ["officer", "so", "approver", "auditor", "collaborator", "representative"]
#: Records of Lâm Đồng a narrower role must not reach either.
NARROWER = {
    "collaborator": ["establishment_outside"],
    "representative": ["establishment_twin", "establishment_outside", "project", "collaborator", "submission",
                       "campaign", "plan", "village", "document"],
}  # fmt: skip
NOT_FOUND_ID = 987_654_321
UUID_NOT_FOUND = "00000000-0000-4000-8000-000000000000"


ROUTES = object_routes()


def test_every_url_with_arguments_is_mapped_or_listed_with_a_reason():
    unknown = [r.name for r in ROUTES if r.name not in ARGUMENTS and r.name not in UNCOVERABLE]
    assert not unknown, f"map these URLs in ARGUMENTS (or list them in UNCOVERABLE with a reason): {unknown}"
    stale = [name for name in [*ARGUMENTS, *UNCOVERABLE] if name not in {r.name for r in ROUTES}]
    assert not stale, f"these URLs no longer exist: {stale}"
    for route in ROUTES:
        if route.name in ARGUMENTS:
            assert set(ARGUMENTS[route.name]) == set(route.arguments), route


def missing_url_for(route: Route, records: dict[str, Any], only: str | None = None) -> str:
    """The same URL naming records that do not exist (only the record `only` when given)."""
    kwargs = {}
    for key, spec in ARGUMENTS[route.name].items():
        value = value_of(spec, records)
        if not spec.startswith("=") and spec not in ("period",) and only in (None, spec):
            value = UUID_NOT_FOUND if re.fullmatch(r"[0-9a-f-]{36}", str(value)) else NOT_FOUND_ID
        kwargs[key] = value
    return reverse(route.name, kwargs=kwargs)


def _history_count() -> int:
    return sum(model._default_manager.count() for model in apps.get_models() if model.__name__.startswith("Historical"))


def _refused(response: Any, missing: Any) -> bool:
    if response.status_code in (403, 404):
        return True
    # A request refused before any lookup (a bad body, a method the URL does not take) says nothing about the
    # record, exactly as for a record that does not exist.
    return response.status_code in (400, 405) and response.status_code == missing.status_code


MAPPED = [r for r in ROUTES if r.name in ARGUMENTS]


@pytest.mark.parametrize("route", MAPPED, ids=lambda r: r.name)
def test_another_areas_record_is_not_found_for_every_role(route, world, as_user):
    viewer = OWN_VIEWER.get(route.name, "officer")
    own_page = as_user(world.users[viewer]).get(url_for(route, world.own))
    assert own_page.status_code != 404, (
        f"{route.name}: the {viewer}'s own record should answer ({own_page.status_code})"
    )
    api = route.pattern.startswith("api/")
    methods = ("get", "post", "put", "patch", "delete") if api else ("get", "post")
    callers = [(role, as_user(world.users[role])) for role in ROLES]
    if api:  # a token instead of a session: the officer's write token
        callers.append(("officer's token", _token_client(world.users["officer"])))
    for role, client in callers:
        targets: list[tuple[str, dict[str, Any], str | None]] = [("other province", world.other, None)]
        targets += _mixed(route, world)
        for key in NARROWER.get(role.split("'")[0], []):
            records = _narrower_records(route, world, key)
            if records is not None:
                targets.append((f"Lâm Đồng's {key}", records, None))
        for label, records, only in targets:
            url, missing_url = url_for(route, records), missing_url_for(route, records, only)
            before = _history_count()
            for method in methods:
                body = {"content_type": "application/json", "data": "{}"} if method in ("put", "patch") else {}
                response = getattr(client, method)(url, **body)
                missing = getattr(client, method)(missing_url, **body)
                assert _refused(response, missing), (
                    f"{role} {method.upper()} {url} ({label}): {response.status_code}, "
                    f"a missing record gets {missing.status_code}"
                )
            assert _history_count() == before, f"{role} wrote something through {url} ({label})"


def _token_client(user: Any) -> Any:
    from django.test import Client

    from khuyencong.accounts.services import api_token_create

    user = type(user).objects.get(pk=user.pk)
    user.is_verified = lambda: False  # made from a password-only session: an officer does not need two-factor
    _token, key = api_token_create(user=user, name="Ma trận phạm vi", access="write")
    return Client(headers={"Authorization": f"Token {key}"})


def _mixed(route: Route, world: Any) -> list[tuple[str, dict[str, Any], str | None]]:
    """For a URL naming two records or more: our records, with one of them taken from the other province (our
    project with their progress report, our establishment with their flag…)."""
    keys = [spec for spec in ARGUMENTS[route.name].values() if not spec.startswith("=") and spec != "period"]
    if len(keys) < 2:
        return []
    return [(f"ours with their {key}", {**world.own, key: world.other[key]}, key) for key in keys]


def _narrower_records(route: Route, world: Any, key: str) -> dict[str, Any] | None:
    """Lâm Đồng's records with `key`'s record standing in for the argument of the same kind, or None when the
    route names nothing of that kind."""
    kinds = {"establishment_outside": "establishment", "establishment_twin": "establishment"}
    kind = kinds.get(key, key)
    specs = ARGUMENTS[route.name]
    if kind not in specs.values():
        return None
    return {**world.own, kind: world.own[key]}
