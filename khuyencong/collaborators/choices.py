from django.db import models
from django.utils.translation import gettext_lazy as _


class CollaboratorStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


class PeriodType(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Half-yearly")
    YEARLY = "yearly", _("Yearly")


#: Months per period of each type.
PERIOD_MONTHS = {
    PeriodType.MONTHLY: 1,
    PeriodType.QUARTERLY: 3,
    PeriodType.HALF_YEARLY: 6,
    PeriodType.YEARLY: 12,
}


class FieldType(models.TextChoices):
    INTEGER = "integer", _("Whole number")
    MONEY = "money", _("Amount (VND)")
    TEXT = "text", _("Text")
    CHOICE = "choice", _("Choice")
    ESTABLISHMENT = "establishment", _("Establishment")
    ROWS = "rows", _("Repeating rows")


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    ACCEPTED = "accepted", _("Accepted")
    APPROVED = "approved", _("Approved (locked)")


#: States in which the collaborator may still change it.
EDITABLE_STATES = (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)


class ReviewAction(models.TextChoices):
    SUBMIT = "submit", _("Submitted")
    RETURN = "return", _("Returned")
    ACCEPT = "accept", _("Accepted")
    APPROVE = "approve", _("Approved")
    REOPEN = "reopen", _("Reopened")
