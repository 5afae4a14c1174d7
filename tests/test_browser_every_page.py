"""Every page, in Debian's chromium on a 1366 × 768 desktop: the header holds on one row (the language switch and the
user menu in sight) and the page is no wider than the screen. The pages are generated, not listed: for each role, its
home, every module of its menu, its own records' pages and every page those link to."""

from urllib.parse import urlsplit

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.browser import (
    broken_figures,
    header_problems,
    log_in,
    tables_scrolled_sideways,
    tabs_out_of_sight,
    wider_than_the_screen,
)
from tests.conftest import login
from tests.test_role_links import _links, _start_pages
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: The roles whose menus differ: the widest (a province's officer, the ministry, the administrator), the narrow ones.
ROLES = ("so", "mofficer", "admin", "auditor", "collaborator", "representative")


def _html_pages(client: Client, pages: list[str]) -> list[str]:
    """The pages (not files, redirects or refusals) among `pages` and the links they show, as the role gets them."""
    seen: dict[str, bool] = {}
    queue = list(pages)
    for depth in range(2):
        found = []
        for url in queue:
            if url in seen:
                continue
            response = client.get(url)
            seen[url] = response.status_code == 200 and "text/html" in response.get("Content-Type", "")
            if seen[url] and depth == 0 and not response.headers.get("HX-Request"):
                found += sorted(_links(response.content.decode()))
        queue = found
    return sorted(url for url, ok in seen.items() if ok)


def test_every_page_keeps_its_header_on_one_row_at_1366_px(page, live_server):
    world = build_world()
    problems: dict[str, list[str]] = {}
    visited = 0
    for role in ROLES:
        user = world.users[role]
        pages = _html_pages(login(Client(), user), _start_pages(world, user))
        assert len(pages) > 3, (role, pages)
        log_in(page, user)
        for url in pages:
            page.goto(url)
            visited += 1
            found = header_problems(page) + wider_than_the_screen(page)
            if found:
                problems[f"{role} {urlsplit(url).path}"] = found
    # in English, whose words are longer, for the widest menu
    user = world.users["so"]
    log_in(page, user)
    page.get_by_label("Ngôn ngữ").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")  # the switch's own page load is over
    for url in _start_pages(world, user):
        page.goto(url)
        visited += 1
        found = header_problems(page) + wider_than_the_screen(page)
        if found:
            problems[f"so (English) {urlsplit(url).path}"] = found
    page.context.clear_cookies()
    for url in ("/", "/public/", "/public/data/", "/accounts/login/"):
        page.goto(url)
        visited += 1
        found = header_problems(page) + wider_than_the_screen(page)
        if found:
            problems[f"visitor {url}"] = found
    assert visited > 100, visited
    assert not problems, problems


#: The roles whose pages hold the figures, tabs and histories a phone must show whole.
PHONE_ROLES = ("so", "collaborator", "representative")


def test_every_page_on_a_360px_phone_keeps_figures_whole_tabs_in_sight_and_the_history_readable(
    phone_page, live_server
):
    """On a 360 px phone: no amount or rate breaks across two lines, every tab (and so "Lịch sử thay đổi") is on
    the screen without scrolling the tab bar, the change history reads without a sideways scroll, and no page is
    wider than the screen."""
    page = phone_page
    world = build_world()
    problems: dict[str, list[str]] = {}
    visited = histories = figures = 0
    for role in PHONE_ROLES:
        user = world.users[role]
        pages = _html_pages(login(Client(), user), _start_pages(world, user))
        log_in(page, user)
        for url in pages:
            page.goto(url)
            visited += 1
            found = broken_figures(page) + tabs_out_of_sight(page) + wider_than_the_screen(page)
            found += tables_scrolled_sideways(page, "[data-testid=history-table]")
            histories += page.locator("[data-testid=history-table]").count()
            figures += page.locator(".kc-figure, td.text-end").count()
            if found:
                problems[f"{role} {urlsplit(url).path}"] = found
    assert visited > 30 and histories >= 3 and figures > 50, (visited, histories, figures)
    assert not problems, problems
