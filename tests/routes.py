"""The URLs of the project as the generated suites walk them: every named pattern from the resolver, and how to
fill its arguments from a province's records of `tests.world`."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse

#: URL argument → how to fill it from a province's records: a record key (its pk), or "=literal".
ARGUMENTS: dict[str, dict[str, str]] = {
    "accounts:organisation_detail": {"pk": "organisation"},
    "accounts:api_token_revoke": {"pk": "api_token"},
    "accounts:organisation_history": {"pk": "organisation"},
    "establishments:detail": {"pk": "establishment"},
    "establishments:detail_tab": {"pk": "establishment", "tab": "=years"},
    "establishments:edit": {"pk": "establishment"},
    "establishments:year_add": {"pk": "establishment"},
    "establishments:duplicate_decide": {"pk": "establishment", "flag_id": "flag"},
    "establishments:merge": {"pk": "establishment", "other_pk": "establishment_twin"},
    "establishments:representative_link": {"pk": "establishment"},
    "establishments:representative_unlink": {"pk": "establishment", "representative_id": "representative_link"},
    "establishments:filter_delete": {"filter_id": "saved_filter"},
    "establishments:export_job": {"job_id": "export_job"},
    "establishments:export_download": {"job_id": "export_job"},
    "establishments:village_detail": {"pk": "village"},
    "establishments:village_edit": {"pk": "village"},
    "establishments:village_detail_tab": {"pk": "village", "tab": "=history"},
    "establishments:import_batch": {"batch_id": "import_batch"},
    "establishments:import_commit": {"batch_id": "import_batch"},
    "establishments:import_cancel": {"batch_id": "import_batch"},
    "establishments:import_decide": {"batch_id": "import_batch"},
    "establishments:import_rejected": {"batch_id": "import_batch"},
    "collaborators:detail": {"pk": "collaborator"},
    "collaborators:edit": {"pk": "collaborator"},
    "collaborators:report": {"code": "=ctv-quy", "commune_id": "commune", "period": "period"},
    "collaborators:review_step": {"pk": "submission", "step": "=accept"},
    "collaborators:survey": {"pk": "campaign"},
    "collaborators:survey_respond": {"pk": "campaign", "commune_id": "commune"},
    "collaborators:survey_response": {"pk": "campaign", "commune_id": "commune", "response_id": "survey_response"},
    "projects:document_download": {"pk": "document"},
    "projects:detail": {"pk": "project"},
    "projects:detail_tab": {"pk": "project", "tab": "=documents"},
    "projects:edit": {"pk": "draft_project"},
    "projects:step": {"pk": "project", "name": "=suspend"},
    "projects:document_upload": {"pk": "project"},
    "projects:progress_create": {"pk": "project"},
    "projects:progress_confirm": {"pk": "project", "report_pk": "progress_report"},
    "projects:evaluation_save": {"pk": "project", "beneficiary_pk": "beneficiary"},
    "projects:pdf": {"pk": "project"},
    "projects:docx": {"pk": "project"},
    "plans:detail": {"pk": "plan"},
    "plans:adjust": {"pk": "plan"},
    "plans:programme": {"pk": "programme"},
    "plans:programme_edit": {"pk": "programme"},
    "plans:programme_xlsx": {"pk": "programme"},
    "plans:project_money": {"pk": "project"},
    "reports:job": {"job_id": "report_job"},
    "reports:download": {"job_id": "report_job"},
    "organisation-detail": {"pk": "organisation"},
    "establishment-detail": {"pk": "establishment"},
    "collaborator-detail": {"pk": "collaborator"},
    "submission-detail": {"pk": "submission"},
    "submission-accept": {"pk": "submission"},
    "submission-approve": {"pk": "submission"},
    "submission-reopen": {"pk": "submission"},
    "submission-return-": {"pk": "submission"},
    "project-detail": {"pk": "project"},
    "project-documents": {"pk": "project"},
    "project-step": {"pk": "project", "name": "=suspend"},
    "project-steps": {"pk": "project"},
    "project-timeline": {"pk": "project"},
    "plan-detail": {"pk": "plan"},
    "programme-results": {"pk": "programme"},
    "plan-adjust": {"pk": "plan"},
    "plan-items": {"pk": "plan"},
    "money-event-detail": {"pk": "money_event"},
}

#: URLs with arguments that name nothing of a province's, and why.
UNCOVERABLE: dict[str, str] = {
    "geography:unit_detail": "administrative units are public reference data every user reads",
    "geography:unit_history": "administrative units are public reference data every user reads",
    "adminunit-detail": "administrative units are public reference data every user reads",
    "adminunit-successors": "administrative units are public reference data every user reads",
    "report-form-detail": "report forms (their fields and rules) are the same for every province",
    "programme-detail": "programmes are published decisions, read by every user (national and provincial)",
    "establishments:export": "the argument is a file format, not a record",
    "region-detail": "regions are public reference data every user reads",
    "legal-document-detail": "legal documents are public reference data every user reads",
    "activity-content-detail": "activity contents are public reference data every user reads",
    "support-item-detail": "support items are public reference data every user reads",
    "indicator-detail": "indicators are public reference data every user reads",
}


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    arguments: tuple[str, ...]


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            pattern = prefix + str(entry.pattern)
            arguments = tuple(entry.pattern.regex.groupindex) or tuple(
                re.findall(r"<(?:\w+:)?(\w+)>", str(entry.pattern))
            )
            yield Route(name, pattern, arguments)


def object_routes() -> list[Route]:
    """Every named URL of ours that takes arguments (the admin and Django's own views aside)."""
    routes = [
        r
        for r in _walk(get_resolver().url_patterns)
        if r.arguments and not r.pattern.startswith(("admin/", "i18n/")) and r.name not in ("swagger-ui", "schema")
    ]
    return sorted({r.name: r for r in routes}.values(), key=lambda r: r.name)


def all_routes() -> list[Route]:
    """Every named URL of ours, with or without arguments (the admin and Django's language switch aside)."""
    routes = [r for r in _walk(get_resolver().url_patterns) if not r.pattern.startswith(("admin/", "i18n/"))]
    return sorted({r.name: r for r in routes}.values(), key=lambda r: r.name)


def value_of(spec: str, records: dict[str, Any]) -> Any:
    if spec.startswith("="):
        return spec[1:]
    value = records[spec]
    return getattr(value, "pk", value)


def url_for(route: Route, records: dict[str, Any]) -> str:
    return reverse(route.name, kwargs={k: value_of(v, records) for k, v in ARGUMENTS[route.name].items()})
