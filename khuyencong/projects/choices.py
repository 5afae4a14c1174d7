from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    NORMAL = "normal", pgettext_lazy("project kind", "Regular project")
    FLAGSHIP = "flagship", _("Flagship project (đề án điểm)")
    GROUP = "group", _("Group project (đề án nhóm)")
    TASK = "task", _("Task (nhiệm vụ)")


class SelectionMethod(models.TextChoices):
    REVIEW = "review", _("Selection by review (xét chọn)")
    TENDER = "tender", _("Tendering (đấu thầu)")


class Status(models.TextChoices):
    """The states of a đề án (domain.md §5.3). Which of them a project passes through depends on its fund."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the Department")
    BASE_APPRAISAL = "base_appraisal", _("Base-level appraisal")
    BASE_APPROVED = "base_approved", _("Passed base-level appraisal")
    REGISTERED = "registered", _("Registered with the ministry")
    MINISTRY_APPRAISAL = "ministry_appraisal", _("Ministry-level appraisal")
    IN_PLAN = "in_plan", _("Included in the plan")
    ASSIGNED = "assigned", _("Plan assigned")
    CONTRACTED = "contracted", _("Contract signed")
    IN_PROGRESS = "in_progress", _("In progress")
    ADJUSTMENT_PENDING = "adjustment_pending", _("Adjustment requested")
    SUSPENDED = "suspended", _("Suspended")
    ACCEPTED = "accepted", _("Accepted (nghiệm thu)")
    SETTLED = "settled", _("Settled (thanh quyết toán)")
    EVALUATED = "evaluated", _("Evaluated after support")
    REJECTED = "rejected", _("Rejected")
    STOPPED = "stopped", _("Stopped (ngừng triển khai)")


#: States after which the project's content and budget are no longer edited through the form.
EDITABLE_STATES = frozenset({Status.DRAFT})
FINAL_STATES = frozenset({Status.EVALUATED, Status.REJECTED, Status.STOPPED})
#: States in which a project counts as supporting its beneficiaries (the plan is assigned and it was not stopped).
SUPPORTING_STATES = (
    Status.ASSIGNED,
    Status.CONTRACTED,
    Status.IN_PROGRESS,
    Status.ADJUSTMENT_PENDING,
    Status.SUSPENDED,
    Status.ACCEPTED,
    Status.SETTLED,
    Status.EVALUATED,
)


class BudgetSource(models.TextChoices):
    KHUYEN_CONG = "khuyen_cong", _("Khuyến công funds")
    COUNTERPART = "counterpart", _("Counterpart capital")
    OTHER = "other", _("Other sources")


class DocumentKind(models.TextChoices):
    REQUEST_LETTER = "request_letter", _("Request letter")
    PROJECT_DOCUMENT = "project_document", _("Project document (hồ sơ đề án)")
    BENEFICIARY_REQUEST = "beneficiary_request", _("Beneficiary's request for support")
    ESTIMATE = "estimate", _("Budget estimate (dự toán)")
    BUSINESS_REGISTRATION = "business_registration", _("Business registration")
    APPRAISAL_SHEET = "appraisal_sheet", _("Appraisal sheet (phiếu thẩm định)")
    DECISION = "decision", _("Decision")
    CONTRACT = "contract", _("Contract")
    PROGRESS_REPORT = "progress_report", _("Progress report")
    ACCEPTANCE_MINUTES = "acceptance_minutes", _("Acceptance minutes (biên bản nghiệm thu)")
    SETTLEMENT_DOSSIER = "settlement_dossier", _("Settlement dossier (hồ sơ quyết toán)")
    PHOTO = "photo", _("Photo")
    OTHER = "other", _("Other")


class DecisionKind(models.TextChoices):
    APPRAISAL = "appraisal", _("Appraisal result")
    PLAN_APPROVAL = "plan_approval", _("Plan approval decision")
    ASSIGNMENT = "assignment", _("Plan assignment decision")
    CONTRACT = "contract", _("Contract")
    ACCEPTANCE = "acceptance", _("Acceptance minutes")
    SETTLEMENT = "settlement", _("Settlement approval")
    ADJUSTMENT = "adjustment", _("Adjustment decision")
    SUSPENSION = "suspension", _("Suspension or stop decision")


class AdjustmentScale(models.TextChoices):
    MINOR = "minor", _("Minor (location, beneficiary, partner, timing within the year)")
    MAJOR = "major", _("Major (budget, content, extension into another year)")


class AdjustmentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")


class LocalApprover(models.TextChoices):
    PROVINCIAL_CHAIRMAN = "chairman", _("Chairman of the provincial People's Committee")
    DEPARTMENT_DIRECTOR = "director", _("Director of the Department of Industry and Trade")
