"""Shared test fixtures: users for every role and scope, and a real browser (Debian's chromium via Playwright)."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API inside pytest-django

ARTIFACTS = Path(__file__).resolve().parent / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Each test starts with an empty cache: a rolled-back test leaves nothing behind in the database, and must not
    leave figures kept for a state of the database that no longer exists (SQLite reuses the ids it rolled back)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def province_factory(db: Any) -> Any:
    from khuyencong.geography.models import AdminUnit

    def get(code: str) -> AdminUnit:
        return AdminUnit.objects.get(level="province", code=code, valid_to__isnull=True)

    return get


@pytest.fixture
def make_user(db: Any) -> Any:
    from khuyencong.accounts.tests.factories import make_user

    return make_user


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Debian's chromium is missing at {CHROMIUM}: run `make test` (it installs it) or apt-get install chromium"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: Any, call: Any) -> Any:
    report = yield
    if report.when == "call" and report.failed:
        for name in ("page", "phone_page"):
            page = item.funcargs.get(name) if hasattr(item, "funcargs") else None
            if page is not None:
                ARTIFACTS.mkdir(exist_ok=True)
                try:
                    page.screenshot(path=str(ARTIFACTS / f"{item.name}-{name}.png"), full_page=True)
                except Exception as exc:  # noqa: BLE001 - best effort, the failure itself is reported
                    print(f"screenshot failed: {exc}")
    return report


def _new_page(browser: Any, live_server: Any, **context_args: Any) -> Any:
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", **context_args)
    context.set_default_timeout(10_000)
    return context, context.new_page()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A desktop browser tab on the live server."""
    context, page = _new_page(browser, live_server, viewport={"width": 1366, "height": 900})
    yield page
    context.close()


@pytest.fixture
def phone_page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A 360 px phone browser tab on the live server."""
    context, page = _new_page(
        browser, live_server, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    yield page
    context.close()
