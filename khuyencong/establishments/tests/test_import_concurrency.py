"""Imports beside other writers, on real connections (one per thread): the same save asked six times at once
writes once; establishments created around imports always get free ids (PostgreSQL's sequence never goes back)."""

import threading
import time
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from khuyencong.establishments import imports
from khuyencong.establishments.models import Establishment, ImportBatch
from khuyencong.establishments.tests import files
from khuyencong.establishments.tests.factories import commune, make_establishment
from tests.concurrency import in_threads

pytestmark = pytest.mark.django_db(transaction=True)


def _checked_batch(user: Any, name: str, rows: list[list[Any]]) -> ImportBatch:
    batch = imports.import_start(user=user, uploaded=SimpleUploadedFile(name, files.xlsx(rows)))
    batch = imports.import_check(batch_id=batch.pk)
    assert batch.status == "checked", batch.error
    return batch


def test_six_saves_of_the_same_file_at_once_save_it_once(officer):
    """Hole 10 of issue 13: the same commit posted six times at once saved every row twice. The batch is claimed by
    one conditional update; the five others are told, and nothing is written twice. Three trials."""
    duc_trong = commune("Xã Đức Trọng")
    for trial in range(3):
        rows = [
            files.row(name=f"Cơ sở lần {trial} số {n}", legal_form="Hộ kinh doanh", commune_code=duc_trong.code)
            for n in range(5)
        ]
        batch = _checked_batch(officer, f"lan-{trial}.xlsx", rows)
        url = reverse("establishments:import_commit", args=[batch.pk])

        def post(_index: int, url: str = url) -> list[str]:
            client = Client()
            client.force_login(type(officer).objects.get(pk=officer.pk))  # login saves the user: one copy each
            response = client.post(url)
            assert response.status_code == 302
            return [str(m) for m in get_messages(response.wsgi_request)]

        outcomes = in_threads(6, post, timeout=120)
        assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
        saved = [o for o in outcomes if o == ["Đã nhập tệp."]]
        refused = [o for o in outcomes if o and "mỗi tệp chỉ được lưu một lần" in o[0]]
        assert len(saved) == 1 and len(refused) == 5, outcomes
        mine = Establishment.objects.filter(name__startswith=f"Cơ sở lần {trial} ")
        assert mine.count() == 5
        assert Establishment.history.filter(name__startswith=f"Cơ sở lần {trial} ").count() == 5
        batch.refresh_from_db()
        assert batch.status == "committed" and batch.counts["created"] == 5


def test_establishments_created_around_imports_get_free_ids(client, officer):
    """Hole 11 of issue 13, the plain sequence: import, create through the service and the API, import again,
    create again; every id is new and every record has its one history row."""
    duc_trong = commune("Xã Đức Trọng")
    first = _checked_batch(
        officer,
        "dot-1.xlsx",
        [
            files.row(name=f"Cơ sở đợt 1 số {n}", legal_form="Hộ kinh doanh", commune_code=duc_trong.code)
            for n in range(3)
        ],
    )
    imports.import_commit(batch_id=first.pk)
    by_service = make_establishment(officer, name="Cơ sở tạo tay sau đợt 1")
    client.force_login(officer)
    payload = {"name": "Cơ sở tạo qua API", "legal_form": "ho_kinh_doanh", "commune_recorded": duc_trong.pk}
    by_api = client.post("/api/v1/establishments/", payload, content_type="application/json")
    assert by_api.status_code == 201, by_api.content
    second = _checked_batch(
        officer,
        "dot-2.xlsx",
        [
            files.row(name=f"Cơ sở đợt 2 số {n}", legal_form="Hộ kinh doanh", commune_code=duc_trong.code)
            for n in range(3)
        ],
    )
    imports.import_commit(batch_id=second.pk)
    last = make_establishment(officer, name="Cơ sở tạo tay sau đợt 2")
    again = client.post("/api/v1/establishments/", {**payload, "name": "Cơ sở API 2"}, content_type="application/json")
    assert again.status_code == 201, again.content
    ids = list(Establishment.objects.values_list("id", flat=True))
    assert len(ids) == len(set(ids)) == 10
    assert {by_service.pk, by_api.json()["id"], last.pk, again.json()["id"]} <= set(ids)
    history = list(Establishment.history.values_list("id", "history_id"))
    assert sorted(i for i, _h in history) == sorted(ids)  # one "+" row each
    assert len({h for _i, h in history}) == 10


def _wait_until_blocked(timeout: float = 30) -> None:
    """Until some PostgreSQL backend waits for a row lock (the import's insert behind an uncommitted tax code)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the import never waited")


def test_an_import_saved_beside_pending_creates_leaves_their_ids_to_them(officer):
    """Hole 11 of issue 13, the duplicate-key 500: while an import was saving, another create took the next id from
    the sequence; the import then set the sequence back to the highest id it could see, so the create after both
    got that id again and failed. Here, deterministically on PostgreSQL: the import's insert waits behind an
    uncommitted establishment with the same tax code (first), another create takes an id meanwhile and stays open
    (second); the first gives up, the import finishes, the second commits; the next create must get a free id.
    SQLite serialises writers (no transaction can hold an id meanwhile): the same steps run one after the other."""
    duc_trong = commune("Xã Đức Trọng")
    batch = _checked_batch(
        officer,
        "song-song.xlsx",
        [
            files.row(name="Công ty nhập", legal_form="DN nhỏ", tax_code="5800123456", commune_code=duc_trong.code),
            files.row(name="Cơ sở nhập", legal_form="Hộ kinh doanh", commune_code=duc_trong.code),
        ],
    )
    if connection.vendor != "postgresql":
        imports.import_commit(batch_id=batch.pk)
        make_establishment(officer, name="Cơ sở tạo bên cạnh")
    else:
        first_ready, first_release = threading.Event(), threading.Event()
        second_ready, second_release = threading.Event(), threading.Event()

        class GiveUp(Exception):
            pass

        def first() -> None:
            try:
                with transaction.atomic():
                    make_establishment(officer, name="Công ty giữ mã", legal_form="dn_nho", tax_code="5800123456")
                    first_ready.set()
                    first_release.wait(30)
                    raise GiveUp
            except GiveUp:
                pass
            finally:
                connections.close_all()

        def second() -> None:
            try:
                with transaction.atomic():
                    make_establishment(officer, name="Cơ sở tạo bên cạnh")
                    second_ready.set()
                    second_release.wait(30)
            finally:
                connections.close_all()

        def save() -> None:
            try:
                imports.import_commit(batch_id=batch.pk)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=first)]
        threads[0].start()
        assert first_ready.wait(30)
        threads.append(threading.Thread(target=save))
        threads[1].start()
        _wait_until_blocked()
        threads.append(threading.Thread(target=second))
        threads[2].start()
        assert second_ready.wait(30)
        first_release.set()
        threads[1].join(60)
        second_release.set()
        for thread in threads:
            thread.join(60)
    batch.refresh_from_db()
    assert batch.status == "committed" and batch.counts["created"] == 2
    after = make_establishment(officer, name="Cơ sở tạo sau cùng")  # the duplicate-key 500 of the issue
    names = set(Establishment.objects.values_list("name", flat=True))
    assert names == {"Công ty nhập", "Cơ sở nhập", "Cơ sở tạo bên cạnh", "Cơ sở tạo sau cùng"}
    assert Establishment.objects.filter(pk=after.pk).exists()
