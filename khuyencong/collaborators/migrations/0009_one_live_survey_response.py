"""One live survey response per establishment in a survey, held by the database (duplicates were set aside by
0008)."""

from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):
    dependencies = [("collaborators", "0008_set_aside_duplicate_survey_responses")]

    operations = [
        migrations.AddConstraint(
            model_name="surveyresponse",
            constraint=models.UniqueConstraint(
                condition=Q(("establishment__isnull", False), Q(("status", "rejected"), _negated=True)),
                fields=("campaign", "establishment"),
                name="survey_one_live_response",
            ),
        ),
    ]
