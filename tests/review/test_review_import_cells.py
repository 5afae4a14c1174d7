# mypy: disable-error-code="union-attr"
"""Review: a spreadsheet cell whose text, once read, holds a NUL or a control character (OOXML's `_x0000_`
escape, which the reader decodes). Run on both databases:

    .venv/bin/python -m pytest -q -p no:xdist tests/review/test_review_import_cells.py
    .venv/bin/python -m pytest -q -p no:xdist --ds=PostgreSQL (DATABASE_URL) tests/review/test_review_import_cells.py
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from khuyencong.establishments.models import Establishment, ImportBatch
from khuyencong.establishments.tests import files
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("escape", ["_x0000_", "_x0001_", "_x001B_"])
def test_escaped_control_character_in_an_xlsx_cell(world, escape):
    commune = world.own["commune"]
    name = f"Cơ sở{escape}điều khiển"
    data = files.xlsx([files.row(name=name, legal_form="Hộ kinh doanh", commune_code=commune.code)])
    client = login(Client(raise_request_exception=False), world.users["officer"])
    response = client.post(reverse("establishments:import"), {"file": SimpleUploadedFile("co-so.xlsx", data)})
    assert response.status_code < 500
    batch = ImportBatch.objects.filter(user=world.users["officer"]).order_by("-created_at").first()
    assert batch.status == "checked", (batch.status, batch.error)
    response = client.post(reverse("establishments:import_commit", args=[batch.pk]))
    assert response.status_code < 500
    batch.refresh_from_db()
    saved = Establishment.objects.filter(name__startswith="Cơ sở").filter(name__endswith="điều khiển").first()
    assert batch.status == "committed", (batch.status, batch.error)
    assert saved is not None
    bad = [c for c in saved.name if ord(c) < 32]
    assert not bad, f"stored name {saved.name!r} holds control characters"
