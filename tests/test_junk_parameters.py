"""The junk-parameter sweep, generated: every page, list, export, report, pivot, public and API URL of the resolver
is opened once to learn which query parameters its view reads (the request's QueryDict records every name asked
for), then each of those parameters is set, one at a time, to each junk value a user or a robot sends. The answer
must never be a 5xx. The same is done for the form fields of every URL that takes a POST (learned from an empty
POST), and for path ids beyond what the database stores. A new URL or a new parameter is covered without writing a
test.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.http import QueryDict
from django.test import Client

from .conftest import login
from .routes import ARGUMENTS, Route, all_routes, url_for

JUNK = [
    "²",  # "²".isdigit() is True in Python
    "١٢",  # Arabic-Indic digits: int() reads them
    "Infinity",
    "NaN",
    "-1",
    "9" * 400,
    "' OR 1=1 --",
    "\x00",
    "😀",
    "x" * 10_000,
]
#: Path arguments a URL converter lets through but no database row can have.
HUGE_IDS = [2**63, 10**30]

#: URLs the sweep does not open, and why.
SKIPPED = {
    "accounts:logout": "it ends the session the sweep runs in",
    "accounts:login": "its parameters are the login form (its own tests; lockout would block the sweep)",
    "swagger-ui": "a static page around the schema",
}
#: Values for path arguments of the URLs the scope matrix does not map (reference data).
REFERENCE_ARGUMENTS = {
    "geography:unit_detail": lambda w: {"pk": w.own["commune"].pk},
    "geography:unit_history": lambda w: {"pk": w.own["commune"].pk},
    "adminunit-detail": lambda w: {"pk": w.own["commune"].pk},
    "adminunit-successors": lambda w: {"pk": w.own["commune"].pk},
    "report-form-detail": lambda w: {"code": "ctv-quy"},
    "programme-detail": lambda w: {"pk": _programme_id()},
    "establishments:export": lambda w: {"file_format": "csv"},
    "region-detail": lambda w: {"pk": _first("geography", "Region")},
    "legal-document-detail": lambda w: {"pk": _first("policy", "LegalDocument")},
    "activity-content-detail": lambda w: {"pk": _first("policy", "ActivityContent")},
    "support-item-detail": lambda w: {"pk": _first("policy", "SupportItem")},
    "indicator-detail": lambda w: {"pk": _first("policy", "Indicator")},
}


def _first(app: str, model: str) -> int:
    from django.apps import apps

    return apps.get_model(app, model).objects.order_by("pk").values_list("pk", flat=True).first() or 1


def _programme_id() -> int:
    from khuyencong.plans.models import Programme

    return Programme.objects.order_by("pk").values_list("pk", flat=True).first() or 1


ROUTES = [r for r in all_routes() if r.name not in SKIPPED]


def build_url(route: Route, world: Any) -> str:
    from django.urls import reverse

    if not route.arguments:
        return reverse(route.name)
    if route.name in ARGUMENTS:
        return url_for(route, world.own)
    return reverse(route.name, kwargs=REFERENCE_ARGUMENTS[route.name](world))


@contextmanager
def reads() -> Iterator[set[str]]:
    """The names every QueryDict (GET and POST) is asked for while the block runs."""
    names: set[str] = set()
    originals = {name: getattr(QueryDict, name) for name in ("get", "getlist", "__getitem__", "__contains__")}

    def recording(name: str) -> Any:
        original = originals[name]

        def method(self: QueryDict, key: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(key, str):
                names.add(key)
            return original(self, key, *args, **kwargs)

        return method

    for name in originals:
        setattr(QueryDict, name, recording(name))
    try:
        yield names
    finally:
        for name, original in originals.items():
            setattr(QueryDict, name, original)


MARKER = "_sweep"


def _parameters(names: set[str]) -> list[str]:
    """The parameters read, without the marker and without QueryDict's own attributes (a template's
    `request.GET.urlencode` is first tried as a key)."""
    return sorted(n for n in names if n != MARKER and not hasattr(QueryDict, n))


def _client(world: Any, route: Route) -> Client:
    if route.pattern.startswith("public/"):
        return Client(raise_request_exception=False)  # the public pages, as anyone on the Internet
    return login(Client(raise_request_exception=False), world.users["mofficer"])


def _fail(method: str, url: str, name: str, value: str, status: int) -> str:
    return f"{method} {url} with {name}={value[:20]!r}{'…' if len(value) > 20 else ''}: {status}"


def test_every_route_is_swept():
    unknown = [r.name for r in ROUTES if r.arguments and r.name not in ARGUMENTS and r.name not in REFERENCE_ARGUMENTS]
    assert not unknown, f"give these URLs their arguments in tests/routes.py or REFERENCE_ARGUMENTS: {unknown}"


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_junk_in_every_parameter_never_answers_5xx(route, world, db):
    from django.core.cache import cache

    cache.clear()  # the public pages are cached and rate-limited: every request must reach the view
    client = _client(world, route)
    url = build_url(route, world)
    # A marker parameter binds the views' `request.GET or None` forms, so that they read every field.
    with reads() as read:
        baseline = client.get(url, {MARKER: "1"})
    assert baseline.status_code < 500, f"GET {url}: {baseline.status_code}"
    failures = []
    for name in _parameters(read):
        for value in JUNK:
            cache.clear()
            response = client.get(url, {name: value})
            if response.status_code >= 500:
                failures.append(_fail("GET", url, name, value, response.status_code))
    with reads() as fields:
        empty = client.post(url, {MARKER: "1"})
    assert empty.status_code < 500, f"POST {url}: {empty.status_code}"
    if empty.status_code not in (405, 403):
        for name in _parameters(fields):
            for value in JUNK:
                response = client.post(url, {name: value})
                if response.status_code >= 500:
                    failures.append(_fail("POST", url, name, value, response.status_code))
    assert not failures, "\n".join(failures)


INT_ROUTES = [r for r in ROUTES if r.arguments and ("<int:" in r.pattern or "(?P<pk>" in r.pattern)]


@pytest.mark.parametrize("route", INT_ROUTES, ids=lambda r: r.name)
def test_ids_beyond_the_database_are_not_found(route, world, db):
    from django.urls import reverse

    client = login(Client(raise_request_exception=False), world.users["mofficer"])
    specs = ARGUMENTS.get(route.name) or {}
    for huge in HUGE_IDS:
        kwargs = {}
        for key in route.arguments:
            spec = specs.get(key, "")
            literal = spec.startswith("=") or spec == "period" or key in ("code", "file_format")
            uuid = key in ("job_id", "batch_id")
            kwargs[key] = url_kwarg(route, world, key) if literal or uuid else huge
        url = reverse(route.name, kwargs=kwargs)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (400, 403, 404, 405), f"{method.upper()} {url}: {response.status_code}"


def url_kwarg(route: Route, world: Any, key: str) -> Any:
    if route.name in ARGUMENTS:
        from .routes import value_of

        return value_of(ARGUMENTS[route.name][key], world.own)
    return REFERENCE_ARGUMENTS[route.name](world)[key]
