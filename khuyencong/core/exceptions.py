"""Domain errors with stable codes.

Services raise `ApplicationError(ErrorCode.X, message)`. The UI shows the message (next to `field` when given); the
API returns `{"code": ..., "message": ..., "field": ...}` with the status mapped from the code. Codes never change
once released; messages are translated.
"""

from enum import StrEnum

from django.utils.functional import Promise

__all__ = ["ApplicationError", "ErrorCode"]


class ErrorCode(StrEnum):
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    PERMISSION_DENIED = "permission_denied"
    OUT_OF_SCOPE = "out_of_scope"
    CONFLICT = "conflict"
    STALE_VERSION = "stale_version"
    UNIT_NOT_FOUND = "unit_not_found"
    UNIT_NOT_VALID_ON_DATE = "unit_not_valid_on_date"
    INVALID_DATE = "invalid_date"
    UNTRACKED_WRITE = "untracked_write"
    DUPLICATE = "duplicate"
    FILE_REFUSED = "file_refused"


HTTP_STATUS = {
    ErrorCode.INVALID: 400,
    ErrorCode.INVALID_DATE: 400,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.UNIT_NOT_FOUND: 404,
    ErrorCode.UNIT_NOT_VALID_ON_DATE: 404,
    ErrorCode.OUT_OF_SCOPE: 404,
    ErrorCode.PERMISSION_DENIED: 403,
    ErrorCode.CONFLICT: 409,
    ErrorCode.STALE_VERSION: 409,
    ErrorCode.UNTRACKED_WRITE: 500,
    ErrorCode.DUPLICATE: 409,
    ErrorCode.FILE_REFUSED: 400,
}


class ApplicationError(Exception):
    """A domain error a user can act on: a stable code, a translated message and optionally the field at fault."""

    def __init__(self, code: ErrorCode, message: str | Promise, *, field: str | None = None, extra: dict | None = None):
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.field = field
        self.extra = extra or {}

    @property
    def http_status(self) -> int:
        return HTTP_STATUS.get(self.code, 400)

    def as_dict(self) -> dict:
        data = {"code": str(self.code), "message": str(self.message)}
        if self.field:
            data["field"] = self.field
        data.update(self.extra)
        return data
