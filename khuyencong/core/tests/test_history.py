"""Every domain model keeps its history, and nothing can change one behind the history's back."""

import pytest
from django.apps import apps

from khuyencong.core.activity import audited_models
from khuyencong.core.exceptions import ApplicationError, ErrorCode
from khuyencong.core.history import AuditedQuerySet, bulk_update_with_history, update_with_history
from khuyencong.geography.models import Region

# Models of our apps that are deliberately not audited, each with its reason.
NOT_AUDITED: dict[str, str] = {
    "establishments.ExportJob": "job bookkeeping: a progress counter written many times a second",
    "establishments.ImportBatch": "job bookkeeping; the rows it saves are in the establishments' history",
    "reports.ReportJob": "job bookkeeping: the figures it writes come from records with their own history",
    "plans.MoneyTotal": "derived running totals of the money events (each event is in its own history)",
    "plans.MoneyYearTotal": "derived running totals of the money events by year",
    "plans.PlanItemTotal": "derived totals of the projects in a plan version (each item is in its own history)",
    "collaborators.Reminder": "bookkeeping of the reminders sent, so none is sent twice",
    "collaborators.ReportingTotal": "derived running totals of the reports received (each one has its history)",
    "projects.FigureGroup": "the lock row of a group of running project figures",
    "projects.StatusTotal": "derived running figures of the projects (each project is in its own history)",
    "projects.ContentTotal": "derived running figures of the projects by content",
    "projects.TargetTotal": "derived running figures of the projects' targets (each target is in its own history)",
    "projects.SupportedEstablishment": "derived list of the establishments the projects support",
}


def _domain_models():
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith("khuyencong.")
        and not m.__name__.startswith("Historical")
        and m._meta.label not in NOT_AUDITED
    ]


def test_every_domain_model_has_history_and_a_guarded_manager():
    missing = []
    for model in _domain_models():
        label = model._meta.label
        if not hasattr(model, "history"):
            missing.append(f"{label}: no HistoricalRecords")
        if not isinstance(model._default_manager.all(), AuditedQuerySet):
            missing.append(f"{label}: default manager is not AuditedManager")
    assert not missing, missing
    assert {m._meta.label for m in audited_models()} >= {
        "geography.AdminUnit",
        "accounts.Organisation",
        "accounts.User",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("model", _domain_models(), ids=lambda m: m._meta.label)
def test_queryset_update_outside_the_helpers_fails(model):
    with pytest.raises(ApplicationError) as error:
        model._default_manager.filter(pk__in=[]).update()
    assert error.value.code == ErrorCode.UNTRACKED_WRITE
    with pytest.raises(ApplicationError):
        model._default_manager.bulk_update([], [model._meta.pk.name])


@pytest.mark.django_db
def test_helpers_write_one_history_row_per_object(make_user):
    user = make_user("system_admin")
    regions = list(Region.objects.filter(kind="khuyen_cong"))
    before = Region.history.count()
    for region in regions:
        region.sort_order += 10
    assert bulk_update_with_history(regions, Region, ["sort_order"], user=user, reason="Sắp xếp lại") == len(regions)
    rows = Region.history.order_by("-history_id")[: len(regions)]
    assert Region.history.count() == before + len(regions)
    assert {r.history_change_reason for r in rows} == {"Sắp xếp lại"}
    assert {r.history_user_id for r in rows} == {user.pk}

    changed = update_with_history(Region.objects.filter(kind="khuyen_cong"), user=user, reason="Đổi tên", name="X")
    assert changed == len(regions)
    assert set(Region.objects.filter(kind="khuyen_cong").values_list("name", flat=True)) == {"X"}
    assert Region.history.filter(history_change_reason="Đổi tên").count() == len(regions)
