"""Overdue report reminders: a report expected of a commune and not received by its due date is reminded to the
collaborators covering the commune, in the app (the "My reports" page lists it as overdue) and by e-mail, once it is
overdue and again whenever `every_days` days have passed since the last reminder, until it arrives. Run daily by
`manage.py send_report_reminders` (a day the command missed is caught up the next day); each reminder is recorded,
so running it twice a day sends nothing more."""

import datetime
import logging
import smtplib
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import periods
from .choices import CollaboratorStatus
from .models import Collaborator, Coverage, Reminder, ReportForm, Submission

logger = logging.getLogger(__name__)

#: How many past periods are looked at (older reports are followed by the province, not reminded).
LOOK_BACK = 4


@dataclass
class Sent:
    reminders: int = 0
    emails: int = 0


def _overdue(form: ReportForm, today: datetime.date) -> list[tuple[int, datetime.date]]:
    """(commune, period start) of the reports of `form` overdue today."""
    start = periods.period_start(form.period_type, today)
    starts = []
    for _i in range(LOOK_BACK + 1):
        if periods.due_date(form.period_type, start, form.due_days) < today:
            starts.append(start)
        start = periods.period_start(form.period_type, start - datetime.timedelta(days=1))
    received = set(
        Submission.objects.filter(form=form, period_start__in=starts, first_submitted_at__isnull=False).values_list(
            "commune_id", "period_start"
        )
    )
    overdue = []
    coverages = list(Coverage.objects.values_list("commune_id", "valid_from", "valid_to"))
    for period_start in starts:
        end = periods.period_end(form.period_type, period_start)
        communes = {c for c, since, until in coverages if since <= end and (until is None or until >= end)}
        overdue += [(c, period_start) for c in sorted(communes) if (c, period_start) not in received]
    return overdue


def reminders_send(*, today: datetime.date | None = None, every_days: int = 7) -> Sent:
    today = today or timezone.localdate()
    sent = Sent()
    for form in ReportForm.objects.filter(is_active=True, is_periodic=True):
        by_collaborator: dict[int, list[tuple[int, datetime.date]]] = defaultdict(list)
        recent = set(
            Reminder.objects.filter(form=form, sent_on__gt=today - datetime.timedelta(days=every_days)).values_list(
                "commune_id", "period_start", "collaborator_id"
            )
        )
        for commune_id, period_start in _overdue(form, today):
            for collaborator_id in (
                Coverage.objects.filter(
                    commune_id=commune_id,
                    valid_from__lte=periods.period_end(form.period_type, period_start),
                    collaborator__status=CollaboratorStatus.ACTIVE,
                )
                .exclude(valid_to__lt=periods.period_end(form.period_type, period_start))
                .values_list("collaborator_id", flat=True)
            ):
                if (commune_id, period_start, collaborator_id) not in recent:
                    by_collaborator[collaborator_id].append((commune_id, period_start))
        for collaborator in Collaborator.objects.filter(pk__in=by_collaborator).select_related("user"):
            try:
                with transaction.atomic():  # a mail server that fails undoes the records: tomorrow tries again
                    new = _record(form, collaborator, by_collaborator[collaborator.pk], today)
                    address = collaborator.email or (collaborator.user.email if collaborator.user else "")
                    if new and address:
                        _email(collaborator, form, new, address)
                        Reminder.objects.filter(collaborator=collaborator, form=form, sent_on=today).update(
                            by_email=True
                        )
                        sent.emails += 1
            except (OSError, smtplib.SMTPException):
                logger.exception("reminder e-mail to collaborator %s failed", collaborator.pk)
                continue
            sent.reminders += len(new)
    return sent


def _record(
    form: ReportForm, collaborator: Collaborator, overdue: list[tuple[int, datetime.date]], today: datetime.date
) -> list[tuple[int, datetime.date]]:
    """Record today's reminders (those not recorded yet) and return them."""
    new = []
    for commune_id, period_start in overdue:
        try:
            with transaction.atomic():
                Reminder.objects.create(
                    form=form, commune_id=commune_id, period_start=period_start, collaborator=collaborator,
                    sent_on=today,
                )  # fmt: skip
        except IntegrityError:
            continue  # already sent today
        new.append((commune_id, period_start))
    return new


def _email(collaborator: Collaborator, form: ReportForm, overdue: list[tuple[int, datetime.date]], to: str) -> None:
    from khuyencong.geography.models import AdminUnit

    names = dict(AdminUnit.objects.filter(pk__in=[c for c, _p in overdue]).values_list("pk", "full_name"))
    with translation.override("vi"):
        lines = [
            _("Dear %(name)s,") % {"name": collaborator.full_name},
            "",
            _("These reports are overdue:"),
        ]
        for commune_id, period_start in overdue:
            link = settings.KC_SITE_URL.rstrip("/") + reverse(
                "collaborators:report", args=[form.code, commune_id, period_start.isoformat()]
            )
            lines.append(
                f"- {form.name}, {periods.period_label(form.period_type, period_start)}, {names.get(commune_id, '')}:"
                f" {link}"
            )
        lines += ["", _("Please send them as soon as you can. Thank you.")]
        subject = _("Overdue khuyến công reports: %(n)d") % {"n": len(overdue)}
        send_mail(subject, "\n".join(lines), None, [to])
