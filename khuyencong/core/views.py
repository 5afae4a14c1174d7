"""Generic views in the NetBox manner: a view is configured by attributes, and reads go through selectors.

`ObjectListView` lists what a selector returns (already scoped) with search and pagination; `ObjectDetailView`
shows one object loaded by a scoped getter and its tabs; `ObjectHistoryView` is the "Lịch sử thay đổi" tab of any
audited object. `ApplicationError` raised by a selector becomes a Vietnamese 404/403 page.
"""

from typing import Any, ClassVar

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.views import View

from .exceptions import ApplicationError, ErrorCode
from .forms import ActivityFilterForm
from .history_views import history_rows

__all__ = [
    "ApplicationErrorMixin",
    "ObjectDetailView",
    "ObjectHistoryView",
    "ObjectListView",
    "about",
    "activity_log",
]


class ApplicationErrorMixin:
    """Turn domain errors into pages: not-found and out-of-scope are 404, permission is 403, the rest 400."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        except ApplicationError as error:
            if error.http_status == 404:
                raise Http404(str(error.message)) from error
            template = "403.html" if error.http_status == 403 else "400.html"
            status = 403 if error.code == ErrorCode.PERMISSION_DENIED else error.http_status
            return render(request, template, {"message": error.message}, status=status)


class ObjectListView(LoginRequiredMixin, ApplicationErrorMixin, View):
    #: Template of the page (extends "generic/object_list.html").
    template_name: ClassVar[str] = "generic/object_list.html"
    #: Page title.
    title: ClassVar[Any] = ""
    #: Template of the results table (extends "generic/results.html"); alone it answers htmx searches.
    table_template: ClassVar[str] = ""
    #: Rows per page.
    paginate_by: ClassVar[int] = 50

    def get_queryset(self, request: HttpRequest) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def get_extra_context(self, request: HttpRequest) -> dict:
        return {}

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.kwargs = kwargs
        queryset = self.get_queryset(request)
        paginator = Paginator(queryset, self.paginate_by)
        page = paginator.get_page(request.GET.get("page"))
        context = {
            "title": self.title,
            "page_obj": page,
            "object_list": page.object_list,
            "query": request.GET.get("q", ""),
            "table_template": self.table_template,
            **self.get_extra_context(request),
        }
        template = self.template_name
        if request.htmx and request.htmx.target == "object-list":  # type: ignore[attr-defined]
            template = self.table_template
        return render(request, template, context)


class ObjectDetailView(LoginRequiredMixin, ApplicationErrorMixin, View):
    template_name: ClassVar[str] = "generic/object_detail.html"
    #: Name of the active tab.
    tab: ClassVar[str] = "overview"

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict:
        return {}

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object(request, **kwargs)
        context = {"object": obj, "tab": self.tab, **self.get_extra_context(request, obj)}
        return render(request, self.template_name, context)


class ObjectHistoryView(ObjectDetailView):
    """The "Lịch sử thay đổi" tab: who, when, which fields, before → after, reason."""

    template_name = "generic/object_history.html"
    tab = "history"

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict:
        paginator = Paginator(history_rows(obj), 25)
        return {"history_page": paginator.get_page(request.GET.get("page"))}


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about.html")


@login_required
def activity_log(request: HttpRequest) -> HttpResponse:
    """All recorded changes, newest first, for administrators."""
    from django.core.exceptions import PermissionDenied

    from .activity import activity_records, activity_rows, model_choices

    if not request.user.has_perm("accounts.view_activity_log"):
        raise PermissionDenied
    form = ActivityFilterForm(request.GET or None, model_choices=model_choices())
    filters = form.cleaned_data if form.is_valid() else {}
    records = activity_records(
        model_label=filters.get("model") or "",
        username=filters.get("user") or "",
        kind=filters.get("kind") or "",
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    page.object_list = activity_rows(list(page.object_list))  # diffs only for the rows shown
    return render(request, "core/activity_log.html", {"form": form, "page_obj": page})


# ---- error pages: HTML for pages, the API's JSON error body under /api/ -----------------------------------------

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def api_error(code: str, message: Any, status: int, **extra: Any) -> HttpResponse:
    """The API's error body (`{"code", "message"}`), the same as `core.api.exceptions` gives inside DRF views."""
    from django.http import JsonResponse

    return JsonResponse({"code": code, "message": str(message), **extra}, status=status)


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    from django.utils.translation import gettext as _

    if is_api(request):
        return api_error("invalid", _("The request could not be understood."), 400)
    return render(request, "400.html", status=400)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    from django.utils.translation import gettext as _

    if is_api(request):
        return api_error("permission_denied", _("Your role does not allow this action."), 403)
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    from django.utils.translation import gettext as _

    if is_api(request):
        return api_error("not_found", _("Not found, or outside your area."), 404)
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    from django.template import loader
    from django.utils.translation import gettext as _

    if is_api(request):
        return api_error(
            "server_error", _("Server error. Nothing was changed. Please try again in a few minutes."), 500
        )
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    from django.utils.translation import gettext as _

    message = _("The form had expired or came from another site. Reload the page and try again.")
    if is_api(request):
        return api_error("csrf_failed", message, 403)
    return render(request, "403.html", {"message": message}, status=403)


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: the icon is the static SVG the pages name."""
    from django.shortcuts import redirect
    from django.templatetags.static import static

    return redirect(static("favicon.svg"), permanent=True)


def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker (static/js/sw.js) served from the site's root, so that it may keep the collaborator's
    pages under /collaborators/ for use offline; never cached by the browser's HTTP cache (updates reach it)."""
    from django.contrib.staticfiles import finders
    from django.contrib.staticfiles.storage import staticfiles_storage

    found = finders.find("js/sw.js")
    if found:
        with open(found, "rb") as handle:
            body = handle.read()
    else:
        with staticfiles_storage.open("js/sw.js") as handle:
            body = handle.read()
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


def web_manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: the collaborator can add the reports to a phone's home screen."""
    import json

    from django.templatetags.static import static
    from django.urls import reverse
    from django.utils.translation import gettext as _

    manifest = {
        "name": _("Khuyến công management system"),
        "short_name": _("Khuyến công"),
        "lang": "vi",
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5d3b",
        "icons": [{"src": static("favicon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    return HttpResponse(json.dumps(manifest, ensure_ascii=False), content_type="application/manifest+json")
