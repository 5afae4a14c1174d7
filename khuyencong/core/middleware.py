"""Vietnamese first: the interface language is the one chosen in the switcher, else Vietnamese.

Django's LocaleMiddleware would follow the browser's Accept-Language header, which on most office machines says
English; our users expect Vietnamese unless they ask otherwise.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from .text import without_controls


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class ApplicationErrorMiddleware:
    """A domain error (`ApplicationError`, e.g. a parameter the parser refused) that a view lets through becomes the
    page or the API error body it stands for — 400, 403 or 404 with its Vietnamese message — never a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.db import IntegrityError
        from django.http import JsonResponse
        from django.shortcuts import render

        from .api.exceptions import jsonable
        from .exceptions import ApplicationError, ErrorCode
        from .views import is_api

        if isinstance(exception, IntegrityError):  # two writers at the same moment; the transaction was undone
            from .api.exceptions import SIMULTANEOUS_WRITE

            exception = ApplicationError(ErrorCode.CONFLICT, SIMULTANEOUS_WRITE)
        if not isinstance(exception, ApplicationError):
            return None
        status = exception.http_status if exception.http_status < 500 else 400
        if is_api(request):
            return JsonResponse(jsonable(exception.as_dict()), status=status)
        if status == 404:
            return render(request, "404.html", status=404)
        template = "403.html" if exception.code == ErrorCode.PERMISSION_DENIED else "400.html"
        return render(request, template, {"message": exception.message}, status=status)


class ControlCharacterMiddleware:
    """No text a user sends keeps a control character (see `_CONTROLS`): `?q=%00` was a 500 on PostgreSQL, a
    project named with "\x01" a 500 when its Word document was made. The path, the query string and form fields
    are cleaned here; JSON bodies by the API's parser (`core.api.parsers`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.isprintable():
            from django.http import Http404

            from .views import error_404

            return error_404(request, Http404())
        if "%" in request.META.get("QUERY_STRING", "") and _has_controls(request.GET):
            request.GET = _cleaned(request.GET)
        if (
            request.method == "POST"
            and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
            and _has_controls(request.POST)
        ):
            request.POST = _cleaned(request.POST)
        return self.get_response(request)


def _has_controls(data: Any) -> bool:
    return any(
        without_controls(key) != key or any(isinstance(v, str) and without_controls(v) != v for v in values)
        for key, values in data.lists()
    )


def _cleaned(data: Any) -> Any:
    from django.http import QueryDict

    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        cleaned.setlist(without_controls(key), [without_controls(v) for v in values])
    cleaned._mutable = False
    return cleaned
