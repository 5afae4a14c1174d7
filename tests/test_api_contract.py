"""API contract fuzzing: schemathesis over every operation of /api/v1/, as a ministry officer, a provincial officer
and a collaborator.

The schema is generated in-process by drf-spectacular (the one served at /api/v1/schema/) and the requests go to the
WSGI application in-process, with each caller's session cookie (and a CSRF cookie and header for unsafe methods).
Every generated request, valid or not (schemathesis' positive and negative modes), must get:

- no 5xx (`not_a_server_error`);
- a status code the schema documents for the operation (`status_code_conformance`);
- the documented content type and a body that matches the documented schema, errors included
  (`content_type_conformance`, `response_schema_conformance`).

Path ids and the ids inside bodies are steered towards real records of the caller's area and of another area (which
must answer exactly like ids that do not exist), so that the operations do something beyond "not found". Each test
(one operation × one caller) runs in a transaction that is rolled back; the records are built once per module.

Bounded and reproducible: `KC_API_FUZZ_EXAMPLES` examples per operation and caller (20 by default), derandomized,
no shrinking (a failure is reported as found).
"""

import json
import os
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api_fixtures import ROLES, World, build_world

MAX_EXAMPLES = int(os.environ.get("KC_API_FUZZ_EXAMPLES", "20"))
#: Another seed explores other inputs (exploratory runs); without it the run is derandomized (CI).
SEED = os.environ.get("KC_API_FUZZ_SEED")
#: A file to append "<operation> <caller> <status>" to, one line per request (to see what the suite reaches).
STATS = os.environ.get("KC_API_FUZZ_STATS")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

#: Operations left out, with the reason (every other operation of the schema is fuzzed).
NOT_COVERED: dict[str, str] = {}

#: Where a path's `{id}` comes from: the first segment after /api/v1/.
PATH_KINDS = {"geography": "units"}
#: Body keys naming records, and the kind of record each names.
BODY_IDS = {
    "commune_recorded": "communes",
    "craft_village": "craft_villages",
    "project": "projects",
    "province": "provinces",
    "commune": "communes",
    "implementing_org": "organisations",
    "establishment_id": "establishments",
    "content_ids": "contents",
    "content": "contents",
    "programme": "programmes",
}


def _openapi() -> dict[str, Any]:
    """The schema /api/v1/schema/ serves, generated in-process."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated, renderer_context={}))


CONFIG = schemathesis.Config.from_dict(
    {
        "suppress-health-check": ["all"],
        "phases": {
            "examples": {"enabled": False},
            "coverage": {"enabled": False},
            "stateful": {"enabled": False},
            "fuzzing": {"enabled": True},
        },
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": SEED is None, "no-shrink": True, "mode": "all"},
        **({"seed": int(SEED)} if SEED else {}),
    }
)
schema: Any = schemathesis.openapi.from_dict(_openapi(), config=CONFIG)
schema.app = WSGIHandler()
if NOT_COVERED:
    schema = schema.exclude(func=lambda ctx: f"{ctx.operation.method.upper()} {ctx.operation.path}" in NOT_COVERED)


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    """The records of both areas and the callers' sessions, built once for the module and rolled back after it (each
    test's own transaction is a savepoint inside this one)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def in_process() -> Iterator[None]:
    """Requests served in-process share the test's connection and transaction: do not let the request signals close
    it (as Django's test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(params=ROLES)
def role(request: Any) -> str:
    return request.param


def _pick(generated: Any, choices: list[Any]) -> Any:
    """A real id (of the caller's area or of another area) or the generated value, chosen from the generated value
    so that a derandomized run sends the same requests every time."""
    if not choices:
        return generated
    index = zlib.crc32(repr(generated).encode()) % (len(choices) + 1)
    return generated if index == len(choices) else choices[index]


def _steer_body(body: Any, world: World) -> Any:
    if isinstance(body, list):
        return [_steer_body(item, world) for item in body]
    if not isinstance(body, dict):
        return body
    steered = {}
    for key, value in body.items():
        kind = BODY_IDS.get(key)
        if kind and isinstance(value, int) and not isinstance(value, bool):
            value = _pick(value, world.ids[kind])
        elif kind and isinstance(value, list):
            value = [_pick(v, world.ids[kind]) if isinstance(v, int) else v for v in value]
        else:
            value = _steer_body(value, world)
        steered[key] = value
    return steered


def _steer(case: Any, world: World) -> None:
    parameters = case.path_parameters or {}
    segment = case.path.split("/")[3]
    if "id" in parameters:
        parameters["id"] = _pick(parameters["id"], world.ids.get(PATH_KINDS.get(segment, segment), []))
    if "code" in parameters:
        parameters["code"] = _pick(parameters["code"], world.ids["report-forms"])
    if "name" in parameters:
        parameters["name"] = _pick(parameters["name"], world.step_names)
    if isinstance(case.body, dict | list):
        case.body = _steer_body(case.body, world)


# ---- hand-written requests: the success paths random bodies rarely reach ------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _project_body(world: World, **changes: Any) -> dict[str, Any]:
    named = world.named
    body = {
        "name": "Hỗ trợ máy sấy chè cho hợp tác xã",
        "fund": "kcqg",
        "plan_year": named["year"] + 1,
        "province": named["province"],
        "commune": named["commune"],
        "implementing_org": str(named["organisation"]),
        "content_ids": world.ids["contents"][:1],
        "beneficiaries": [
            {
                "establishment_id": named["establishment"],
                "eligible_cost_vnd": 1_000_000_000,
                "support_vnd": 300_000_000,
                "counterpart_vnd": 700_000_000,
            },
        ],  # fmt: skip
        "budget_lines": [
            {"item": "Máy sấy", "source": "khuyen_cong", "planned_vnd": 300_000_000},
            {"item": "Đối ứng", "source": "counterpart", "planned_vnd": 700_000_000},
        ],
        "targets": [{"indicator": "jobs_created", "planned": 1}],  # an indicator of every content
    }
    return {**body, **changes}


def _report_body(world: World, **changes: Any) -> dict[str, Any]:
    from khuyencong.collaborators.tests.factories import GOOD

    body = {
        "form": "ctv-quy",
        "commune": world.named["uncovered_report_commune"],
        "period": world.named["last_quarter"],
        "values": GOOD,
    }
    return {**body, **changes}


#: (method, path, path parameters, body (a function of the world), expected status by caller); a GET's "body" is its
#: query string.
KNOWN_REQUESTS: list[tuple[str, str, Any, Any, dict[str, int]]] = [
    ("GET", "/api/v1/geography/units/at/", None, lambda w: {"code": "00004", "date": "01/01/2024"},
     {"ministry_officer": 200, "provincial_officer": 200, "collaborator": 200}),
    ("POST", "/api/v1/establishments/", None,
     lambda w: {"name": "Cơ sở chè Cầu Đất", "legal_form": "ho_kinh_doanh", "commune_recorded": w.named["commune"],
                "craft_village": w.named["village"], "employees_total": 5, "latitude": "11,9", "longitude": 108.4},
     {"ministry_officer": 201, "provincial_officer": 201, "collaborator": 201}),
    ("PATCH", "/api/v1/establishments/{id}/", lambda w: {"id": w.named["establishment"]},
     lambda w: {"employees_total": 12, "craft_village": None, "version": 1},
     {"ministry_officer": 200, "provincial_officer": 200, "collaborator": 404}),
    ("POST", "/api/v1/projects/", None, _project_body,
     {"ministry_officer": 403, "provincial_officer": 201, "collaborator": 400}),
    ("PUT", "/api/v1/projects/{id}/", lambda w: {"id": w.named["draft_project"]},
     lambda w: _project_body(w, name="Tên mới của đề án", version=1),
     {"ministry_officer": 403, "provincial_officer": 200, "collaborator": 404}),
    ("POST", "/api/v1/projects/{id}/steps/{name}/", lambda w: {"id": w.named["draft_project"], "name": "submit"},
     lambda w: {"reason": "Nộp Sở"}, {"ministry_officer": 403, "provincial_officer": 201, "collaborator": 404}),
    ("POST", "/api/v1/plans/", None,
     lambda w: {"fund": "kcqg", "year": w.named["year"] + 1, "title": "Kế hoạch KCQG năm sau",
                "total_vnd": 90_000_000_000, "decision_number": "20/QĐ-BCT", "decision_date": w.named["last_quarter"],
                "signer": "Bộ trưởng",
                "allocations": [{"province": w.named["province"], "amount_vnd": 10_000_000_000}]},
     {"ministry_officer": 201, "provincial_officer": 403, "collaborator": 403}),
    ("POST", "/api/v1/plans/{id}/adjust/", lambda w: {"id": w.named["national_plan"]},
     lambda w: {"total_vnd": 120_000_000_000, "decision_number": "30/QĐ-BCT", "decision_date": w.named["today"],
                "signer": "Bộ trưởng", "note": "Bổ sung kinh phí"},
     {"ministry_officer": 201, "provincial_officer": 403, "collaborator": 403}),
    ("POST", "/api/v1/plans/{id}/items/", lambda w: {"id": w.named["national_plan"]},
     lambda w: {"project": w.named["running_project"], "approved_vnd": 500_000_000},  # its approved funds
     {"ministry_officer": 200, "provincial_officer": 403, "collaborator": 400}),
    ("POST", "/api/v1/money-events/", None,
     lambda w: {"project": w.named["running_project"], "kind": "payment", "source": "khuyen_cong",
                "amount_vnd": 50_000_000, "occurred_on": w.named["today"]},
     {"ministry_officer": 201, "provincial_officer": 403, "collaborator": 400}),
    ("POST", "/api/v1/submissions/draft/", None, _report_body,
     {"ministry_officer": 404, "provincial_officer": 404, "collaborator": 200}),
    ("POST", "/api/v1/submissions/submit/", None, lambda w: _report_body(w, submit_key="contract-suite"),
     {"ministry_officer": 404, "provincial_officer": 404, "collaborator": 200}),
    ("POST", "/api/v1/submissions/{id}/return/", lambda w: {"id": w.named["submitted_report"]},
     lambda w: {"comment": "Bổ sung số lao động nữ"},
     {"ministry_officer": 403, "provincial_officer": 200, "collaborator": 403}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("method", "path", "parameters", "body", "expected"),
    KNOWN_REQUESTS,
    ids=[f"{method} {path}" for method, path, *_ in KNOWN_REQUESTS],
)
def test_known_requests_answer_as_documented(
    method: str, path: str, parameters: Any, body: Any, expected: dict[str, int], role: str, world: World, db: Any,
    in_process: None,
) -> None:  # fmt: skip
    """Requests that should succeed (or be refused for the caller's role or area) get that answer, and the body
    conforms to the schema: the success answers of the writes are part of the contract too."""
    caller = world.callers[role]
    operation = schema[path][method]
    if method == "GET":
        case = operation.Case(query=body(world))
    else:
        case = operation.Case(
            path_parameters=parameters(world) if parameters else None, body=body(world), media_type="application/json"
        )
    response = case.call_and_validate(headers=caller.headers, cookies=caller.cookies, checks=CHECKS)
    assert response.status_code == expected[role], response.text[:500]


def test_a_document_upload_answers_as_documented(world: World, db: Any, in_process: None) -> None:
    caller = world.callers["provincial_officer"]
    case = schema["/api/v1/projects/{id}/documents/"]["POST"].Case(
        path_parameters={"id": world.named["draft_project"]},
        body={"kind": "photo", "file": PNG},
        media_type="multipart/form-data",
    )
    response = case.call_and_validate(headers=caller.headers, cookies=caller.cookies, checks=CHECKS)
    assert response.status_code == 201 and response.json()["content_type"] == "image/png"


def test_the_schema_validates_without_warnings(tmp_path: Any) -> None:
    """`manage.py spectacular --validate --fail-on-warn`: the schema is valid OpenAPI and nothing in it is guessed."""
    from django.core.management import call_command

    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/api/v1/establishments/{id}/" in target.read_text(encoding="utf-8")


def test_every_operation_is_fuzzed():
    """The suite covers the whole API: 48 operations today, none left out without a reason."""
    operations = [result.ok() for result in schema.get_all_operations()]  # an invalid one raises here
    assert len(operations) >= 48
    assert all(path.startswith("/api/v1/") for path in (op.path for op in operations))


@schema.parametrize()
def test_api_contract(case: Any, role: str, world: World, db: Any, in_process: None) -> None:
    caller = world.callers[role]
    _steer(case, world)
    response = case.call_and_validate(headers=caller.headers, cookies=caller.cookies, checks=CHECKS)
    if STATS:
        with open(STATS, "a", encoding="utf-8") as stats:
            stats.write(f"{case.operation.method.upper()} {case.operation.path} {role} {response.status_code}\n")
