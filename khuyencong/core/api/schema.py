"""The OpenAPI schema is a contract for the provinces' integrations: this hook documents, on every operation, the
error answers the API really gives (`core.api.exceptions`): one `Error` body with a stable `code`, a Vietnamese
`message`, the `field` at fault when there is one and, for a body that does not validate, the messages by field."""

from typing import Any

__all__ = ["ERROR_SCHEMA", "error_responses"]

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An error: a stable code and a Vietnamese message (and what is at fault).",
    "properties": {
        "code": {
            "type": "string",
            "description": "Stable error code: invalid, not_found, out_of_scope, permission_denied, "
            "not_authenticated, conflict, stale_version, duplicate, file_refused, …",
        },
        "message": {"type": "string", "description": "What went wrong, in Vietnamese."},
        "field": {"type": "string", "description": "The input at fault, when there is one."},
        "errors": {
            "type": "object",
            "description": "For a body or filters that do not validate: the messages by field (lists, or nested "
            "objects for the rows of a table).",
            "additionalProperties": True,
        },
    },
    "required": ["code", "message"],
    "additionalProperties": True,  # some errors carry their data (a stale version: the changes made since)
}

_ALWAYS = {
    "400": "Bad input: the body, a parameter or a filter is not valid (nothing was written).",
    "401": "Not logged in (no session or API token).",
    "403": "Your role does not allow this action.",
    "404": "Not found, or outside your area (another area's record is never revealed).",
}
_WRITES = {
    "409": "Conflict: a stale version, a duplicate, or a state that does not allow it (nothing was written).",
    "415": "The body's content type is not one the operation accepts (or the body cannot be read as it).",
}


def error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular post-processing hook: the `Error` component and the error answers of every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            answers = dict(_ALWAYS)
            if method in ("post", "put", "patch", "delete"):
                answers.update(_WRITES)
            for status, description in answers.items():
                operation["responses"].setdefault(status, {"content": reference, "description": description})
    _blank_or_format(result.get("components", {}).get("schemas", {}))
    return result


def _blank_or_format(node: Any) -> None:
    """ "An e-mail address or nothing" is `anyOf`, not `oneOf`: to a validator that treats `format` as a note (the
    JSON Schema default), an empty string matches both branches and `oneOf` would refuse it."""
    if isinstance(node, dict):
        alternatives = node.get("oneOf")
        if isinstance(alternatives, list) and any(a.get("maxLength") == 0 for a in alternatives if isinstance(a, dict)):
            node["anyOf"] = node.pop("oneOf")
        for value in node.values():
            _blank_or_format(value)
    elif isinstance(node, list):
        for value in node:
            _blank_or_format(value)
