"""Overdue reports are reminded once they are overdue and again a week after, in the app and by e-mail; running
the daily command twice sends nothing more; a report received is not reminded."""

import datetime
import uuid
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from khuyencong.collaborators.models import Reminder
from khuyencong.collaborators.reminders import reminders_send
from khuyencong.collaborators.services import report_submit

from .factories import GOOD, appoint, communes, last_quarter, quarterly, staff

pytestmark = pytest.mark.django_db


def test_overdue_reports_are_reminded_in_the_app_and_by_email(client):
    people = staff()
    places = communes("68", 2)
    collaborator = appoint(people["officer"], places)
    collaborator.email = "hoa.ctv@example.vn"
    collaborator.save()
    form = quarterly()
    form.due_days, form.grace_days = 0, 0
    form.save()
    report_submit(
        user=collaborator.user, form_id=form.pk, commune_id=places[0].pk, period_start=last_quarter(), values=GOOD,
        submit_key=uuid.uuid4().hex,
    )  # fmt: skip
    today = timezone.localdate()

    sent = reminders_send(today=today)
    overdue = set(Reminder.objects.values_list("commune_id", "period_start"))
    assert (places[1].pk, last_quarter()) in overdue and (places[0].pk, last_quarter()) not in overdue
    assert sent.emails == 1 and len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["hoa.ctv@example.vn"]
    assert message.subject == f"Báo cáo khuyến công quá hạn: {sent.reminders}"
    assert places[1].full_name in message.body
    assert f"/collaborators/reports/ctv-quy/{places[1].pk}/{last_quarter().isoformat()}/" in message.body

    assert reminders_send(today=today).reminders == 0  # twice the same day: nothing more
    assert reminders_send(today=today + datetime.timedelta(days=3)).reminders == 0
    again = reminders_send(today=today + datetime.timedelta(days=7))
    assert again.reminders == sent.reminders and len(mail.outbox) == 2

    client.force_login(collaborator.user)
    page = client.get("/collaborators/reports/")
    assert 'data-testid="overdue-banner"' in page.text and "quá hạn" in page.text
    client.force_login(people["officer"])
    assert 'data-testid="overdue-banner"' in client.get("/collaborators/reports/").text

    out = StringIO()
    call_command("send_report_reminders", stdout=out)
    assert out.getvalue().startswith("reminders: 0;")


def test_no_email_address_still_records_the_reminder():
    people = staff()
    collaborator = appoint(people["officer"], communes("68", 1), login=False)
    form = quarterly()
    form.due_days = 0
    form.save()
    sent = reminders_send()
    assert sent.reminders >= 1 and sent.emails == 0 and not mail.outbox
    assert Reminder.objects.filter(collaborator=collaborator, by_email=False).exists()


def test_a_mail_server_that_fails_leaves_the_reminder_for_the_next_run(monkeypatch):
    import smtplib

    from khuyencong.collaborators import reminders

    people = staff()
    collaborator = appoint(people["officer"], communes("68", 1), login=False)
    collaborator.email = "ctv@example.vn"
    collaborator.save()
    form = quarterly()
    form.due_days = 0
    form.save()

    def down(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("mail server down")

    monkeypatch.setattr(reminders, "send_mail", down)
    failed = reminders_send()
    assert (failed.reminders, failed.emails) == (0, 0) and not Reminder.objects.exists()
    monkeypatch.undo()
    again = reminders_send()
    assert again.emails == 1 and len(mail.outbox) == 1 and Reminder.objects.filter(by_email=True).exists()
