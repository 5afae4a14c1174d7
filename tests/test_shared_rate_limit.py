"""Hole 12 of issue 13: with several server processes, the public rate limit must be one limit, not one per process.
Two real server processes (gunicorn, production settings, no CACHE_URL: the database cache table) answer in turn.

In a module of its own: it needs committed data (a transactional test), which the rolled-back world of the other
suites cannot give."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url_for_servers(tmp_path: Path) -> str:
    """A database the server processes can open: on PostgreSQL the test database itself; on SQLite (in memory) a
    file copy of it."""
    import sqlite3

    from django.db import connection

    if connection.vendor == "postgresql":
        s = connection.settings_dict
        return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    target = tmp_path / "servers.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)
    return f"sqlite:///{target}"


@pytest.mark.django_db(transaction=True)
def test_12_two_server_processes_share_one_rate_limit(tmp_path):
    database_url = _database_url_for_servers(tmp_path)
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "KC_PUBLIC_RATE_PER_MINUTE": "10",
    }
    environment.pop("CACHE_URL", None)  # production's default: the database cache table, shared
    created = subprocess.run(
        [sys.executable, "manage.py", "createcachetable"], cwd=ROOT, env=environment, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    ports = [_free_port(), _free_port()]
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    servers = [
        subprocess.Popen(  # noqa: S603 - our own server
            [gunicorn, "config.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", "1", "--log-level", "warning"],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        for port in ports
    ]
    try:
        import urllib.error
        import urllib.request

        def status(port: int) -> int:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/public/projects.json", timeout=10) as response:  # noqa: S310
                    return response.status
            except urllib.error.HTTPError as error:
                return error.code

        for port in ports:  # wait until both answer (not counting these requests: the window below starts afresh)
            deadline = time.monotonic() + 60
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1):
                        break
                except OSError:
                    assert time.monotonic() < deadline, servers[ports.index(port)].stderr.read().decode()  # type: ignore[union-attr]
                    time.sleep(0.2)
        if time.time() % 60 > 50:  # the limit counts per minute: start with the minute ahead of us
            time.sleep(61 - time.time() % 60)
        answers = [status(ports[i % 2]) for i in range(14)]
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
    assert answers[:10] == [200] * 10, answers
    assert answers[10:] == [429] * 4, answers  # 10 a minute in all, whichever process answers: not 10 each
