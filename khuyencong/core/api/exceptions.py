"""API errors: always `{"code": ..., "message": ..., "field"?: ..., "errors"?: {...}}` with a Vietnamese message."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from khuyencong.core.exceptions import ApplicationError

_CODES = {
    status.HTTP_400_BAD_REQUEST: "invalid",
    status.HTTP_401_UNAUTHORIZED: "not_authenticated",
    status.HTTP_403_FORBIDDEN: "permission_denied",
    status.HTTP_404_NOT_FOUND: "not_found",
    status.HTTP_405_METHOD_NOT_ALLOWED: "method_not_allowed",
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: "unsupported_media_type",
    status.HTTP_429_TOO_MANY_REQUESTS: "throttled",
}


SIMULTANEOUS_WRITE = gettext_lazy(
    "Someone saved the same record at the same moment; nothing of yours was saved. Reload and try again."
)
CSRF_FAILED = gettext_lazy("The form had expired or came from another site. Reload the page and try again.")


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        return Response(jsonable(exc.as_dict()), status=exc.http_status)
    if isinstance(exc, IntegrityError):  # two writers at the same moment; the service's transaction was undone
        return Response({"code": "conflict", "message": str(SIMULTANEOUS_WRITE)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, exceptions.PermissionDenied) and str(getattr(exc, "detail", "")).startswith("CSRF Failed"):
        return Response({"code": "csrf_failed", "message": str(CSRF_FAILED)}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found, or outside your area."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        response.status_code = status.HTTP_401_UNAUTHORIZED
    code = _CODES.get(response.status_code, "error")
    if isinstance(exc, exceptions.ValidationError):
        errors = _in_our_words(exc.detail)
        response.data = {"code": "invalid", "message": _("The data sent is not valid."), "errors": errors}
        return response
    messages = {
        "not_authenticated": _("Log in first, or send a valid API token."),
        "permission_denied": _("Your role does not allow this action."),
        "unsupported_media_type": _(
            "The body cannot be read: send it as JSON, or as multipart/form-data where a file is attached."
        ),
    }
    detail = response.data.get("detail") if isinstance(response.data, dict) else response.data
    response.data = {"code": code, "message": str(messages.get(code, detail))}
    return response


#: The framework's own validation messages that its translations leave in English, by their stable code.
FRAMEWORK_MESSAGES = {
    "null": gettext_lazy("This field cannot be empty."),
    "required": gettext_lazy("This field is required."),
    "blank": gettext_lazy("This field cannot be blank."),
    "not_a_list": gettext_lazy("A list is expected here."),
    "not_a_dict": gettext_lazy("An object (field: value) is expected here."),
    "empty": gettext_lazy("The list cannot be empty."),
    "invalid": gettext_lazy("This value is not valid."),
    "incorrect_type": gettext_lazy("This value is not of the right kind (an id is expected)."),
    "invalid_choice": gettext_lazy("Choose a value of the list."),
    "max_length": gettext_lazy("This value is too long."),
    "min_length": gettext_lazy("This value is too short."),
    "max_value": gettext_lazy("This value is too large."),
    "min_value": gettext_lazy("This value is too small."),
    "max_digits": gettext_lazy("This number has too many digits."),
    "max_decimal_places": gettext_lazy("This number has too many decimals."),
    "date": gettext_lazy("A date is expected here."),
    "datetime": gettext_lazy("A date and time are expected here."),
    "does_not_exist": gettext_lazy("Not found, or outside your area."),
}


def _in_our_words(detail: Any) -> Any:
    """The validation errors with each message left in English by the framework replaced by ours (Vietnamese in
    Vietnamese), the structure (fields, rows) kept; our own messages are left as they are."""
    if isinstance(detail, dict):
        return {key: _in_our_words(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_in_our_words(value) for value in detail]
    text = str(detail)
    code = getattr(detail, "code", None)
    if code in FRAMEWORK_MESSAGES and text.isascii() and not (get_language() or "vi").startswith("en"):
        return str(FRAMEWORK_MESSAGES[code])
    return text


def jsonable(value: Any) -> Any:
    """Extra data of domain errors (e.g. the changes behind a version conflict) as plain JSON."""
    import dataclasses
    import datetime

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
