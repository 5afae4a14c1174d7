"""One live survey response per establishment in a survey, held by the database. Before the constraint, responses
that already break it (possible before: an officer accepting a proposed establishment as one already answered, a merge
of two surveyed records, two phones at once) are resolved: the most advanced of each group is kept (accepted, then
sent, then draft; the newest among equals) and the others are set aside as rejected, with the reason in their note
and a row in their history."""

from django.conf import settings
from django.db import migrations
from django.db.models import Count
from django.utils import timezone

RANK = {"accepted": 0, "submitted": 1, "draft": 2}
REASON = "Để lại một phiếu cho mỗi cơ sở trong đợt khảo sát"


def set_aside_duplicates(apps, schema_editor):
    Response = apps.get_model("collaborators", "SurveyResponse")
    History = apps.get_model("collaborators", "HistoricalSurveyResponse")
    live = Response.objects.filter(establishment__isnull=False).exclude(status="rejected")
    groups = live.values("campaign_id", "establishment_id").annotate(n=Count("pk")).filter(n__gt=1)
    fields = [f.attname for f in Response._meta.concrete_fields]
    now = timezone.now()
    for group in groups:
        rows = list(live.filter(campaign_id=group["campaign_id"], establishment_id=group["establishment_id"]))
        rows.sort(key=lambda r: (RANK.get(r.status, 3), -(r.submitted_at or r.decided_at or now).timestamp(), -r.pk))
        kept, others = rows[0], rows[1:]
        for row in others:
            row.status = "rejected"
            note = f"Phiếu trùng cơ sở với phiếu #{kept.pk} trong cùng đợt khảo sát: để lại phiếu #{kept.pk}."
            row.note = f"{row.note}\n{note}" if row.note else note
            row.save(update_fields=["status", "note"])
            History.objects.create(
                **{name: getattr(row, name) for name in fields},
                history_date=now, history_type="~", history_change_reason=REASON, history_user_id=None,
            )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [
        ("collaborators", "0007_field_labels"),
        ("establishments", "0008_field_labels"),
        ("geography", "0005_field_labels"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # Its own migration: PostgreSQL builds the constraint's index in the next one, after these rows are written.
    operations = [migrations.RunPython(set_aside_duplicates, migrations.RunPython.noop, elidable=False)]
