"""Every field a history row or the activity log can name is named in Vietnamese: generated over every model whose
changes are kept (django-simple-history), so a new field without a translated name fails here instead of showing
"created by" or "project" to a Vietnamese official."""

from django.utils import translation
from simple_history.models import registered_models


def _shown_fields() -> list[tuple[str, object]]:
    fields = []
    for model in registered_models.values():
        if not model.__module__.startswith("khuyencong") or model._meta.auto_created:
            continue  # an automatic many-to-many table is shown as its two records, not by field
        for field in model._meta.concrete_fields:
            if field.name != "id" and field.editable:  # what `core.history_views` shows
                fields.append((f"{model._meta.label}.{field.name}", field))
    return fields


def test_every_field_a_history_row_names_is_named_in_vietnamese():
    fields = _shown_fields()
    assert len(fields) > 300  # the walk reaches the project's tracked models
    untranslated = []
    for path, field in fields:
        with translation.override("vi"):
            vi = str(field.verbose_name)  # type: ignore[attr-defined]
        with translation.override("en"):
            en = str(field.verbose_name)  # type: ignore[attr-defined]
        if vi == en:
            untranslated.append(f"{path}: {en!r}")
    assert not untranslated, "fields named only in English:\n" + "\n".join(untranslated)


def test_a_history_row_names_the_record_a_figure_belongs_to_in_vietnamese(make_user):
    from khuyencong.core.history_views import history_rows
    from khuyencong.establishments.services import establishment_year_save
    from khuyencong.establishments.tests.factories import make_establishment

    officer = make_user("provincial_officer", province="68")
    establishment = make_establishment(officer, name="Cơ sở mây tre Phú Vinh")
    year = establishment_year_save(
        user=officer, establishment_id=establishment.pk, data={"year": 2025, "employees": 12}
    )
    with translation.override("vi"):
        labels = {change.label for change in history_rows(year)[0].changes}
    assert {"cơ sở", "năm"} <= labels, labels
