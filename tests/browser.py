"""What the browser suites share: signing a person in, and the screens they are tried on."""

import re
from typing import Any

from django.test import Client
from playwright.sync_api import expect

from khuyencong.accounts.tests.factories import PASSWORD

#: The screens every page is tried on: a desktop and a 360 px phone (the `page` and `phone_page` fixtures).
SCREENS = ("page", "phone_page")

#: The login page: a person signed in has left it (for home, "Báo cáo của tôi" or their establishment).
LOGIN = re.compile(r"/accounts/login/")


def log_in(page: Any, user: Any, password: str = PASSWORD) -> None:
    """Sign `user` (a user or a username) in through the login page, as a person does. An account that needs the
    second factor is given a verified session instead (the login with a code has its own browser test).

    Whoever was signed in is signed out on the server first: clearing the browser's cookies alone is not enough, as a
    request still on its way (a collaborator's service worker keeping report pages) brings the old session's cookie
    back with its answer (the session is saved on every request)."""
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    if "sessionid" in cookies:
        page.request.post("/accounts/logout/", headers={"X-CSRFToken": cookies.get("csrftoken", "")})
    page.context.clear_cookies()
    if not isinstance(user, str) and getattr(user, "requires_two_factor", False):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from tests.conftest import login

        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name="essai", confirmed=True)
        client = login(Client(), user)
        page.goto("/accounts/login/")
        root = page.url.split("/accounts/", 1)[0] + "/"
        page.context.add_cookies([{"name": "sessionid", "value": client.session.session_key, "url": root}])
        page.goto("/")
        return
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    page.get_by_label("Tên đăng nhập").fill(user if isinstance(user, str) else user.username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).not_to_have_url(LOGIN)


def header_problems(page: Any) -> list[str]:
    """What is wrong with the page's header as shown: wider than the screen, wrapped onto a second row on a desktop,
    or the language switch and the user menu (or the login button) out of sight."""
    return list(
        page.evaluate(
            """() => {
        const problems = [];
        const bar = document.querySelector('nav.navbar');
        const width = document.documentElement.clientWidth;
        if (!bar) return ['no header'];
        if (bar.scrollWidth > bar.clientWidth + 1) problems.push(`header ${bar.scrollWidth} px in ${bar.clientWidth}`);
        const collapsed = getComputedStyle(document.querySelector('.navbar-toggler')).display !== 'none';
        if (!collapsed) {
          const brand = bar.querySelector('.navbar-brand').getBoundingClientRect();
          if (bar.getBoundingClientRect().height > brand.height * 2.2) problems.push('header on more than one row');
          for (const [name, selector] of [['language', '#language-select'],
                                          ['account', '[data-testid=user-menu], a[href="/accounts/login/"]']]) {
            const element = bar.querySelector(selector);
            if (!element) { problems.push(`no ${name} control`); continue; }
            const box = element.getBoundingClientRect();
            if (box.width === 0 || box.right > width + 1 || box.top > brand.bottom + 8)
              problems.push(`${name} control out of the row (${Math.round(box.right)} of ${width} px)`);
          }
          for (const link of bar.querySelectorAll('.nav-link')) {
            const box = link.getBoundingClientRect();
            if (box.right > width + 1) problems.push(`menu item beyond the screen: ${link.textContent.trim()}`);
          }
        }
        return problems;
      }"""
        )
    )


def wider_than_the_screen(page: Any) -> list[str]:
    """The page is wider than the screen (a sideways scroll): the outermost elements that reach beyond it, named by
    tag, class and their first words, so that the failure says what to mend."""
    return list(
        page.evaluate(
            """() => {
        const width = window.innerWidth;
        if (document.scrollingElement.scrollWidth <= width + 1) return [];
        const found = [];
        for (const element of document.querySelectorAll('body *')) {
          const box = element.getBoundingClientRect();
          if (box.right > width + 1 && !found.some(([outer]) => outer.contains(element))) {
            const name = `${element.tagName.toLowerCase()}.${[...element.classList].join('.')}`;
            const words = element.textContent.trim().slice(0, 40);
            found.push([element, `${name} "${words}" to ${Math.round(box.right)} px`]);
          }
        }
        if (!found.length) return [`page ${document.scrollingElement.scrollWidth} px wide`];
        return found.slice(0, 8).map(([, text]) => text);
      }"""
        )
    )


def broken_figures(page: Any) -> list[str]:
    """Amounts and rates ("1.234.567 đ", "481,41 tỷ đồng", "47,15 %") whose text runs onto a second line: each is
    measured where it stands (its own text range), not guessed from the markup."""
    return list(
        page.evaluate(
            r"""() => {
        const figure = /\d[\d.,]*\s(?:đ|VND|tỷ đồng|triệu đồng|nghìn đồng|%)/g;
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        const broken = [];
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const parent = node.parentElement;
          if (!parent || parent.closest('script, style, template, select, option, [hidden]')) continue;
          for (const match of node.textContent.matchAll(figure)) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const tops = [...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top));
            if (tops.length && Math.max(...tops) - Math.min(...tops) > 3) broken.push(match[0]);
          }
        }
        return broken.slice(0, 8);
      }"""
        )
    )


def tabs_out_of_sight(page: Any) -> list[str]:
    """Tabs of the page that lie beyond the screen's edges (to be scrolled to, so not seen)."""
    return list(
        page.evaluate(
            """() => [...document.querySelectorAll('.nav-tabs .nav-link')]
          .filter(tab => { const box = tab.getBoundingClientRect();
                           return box.width && (box.right > window.innerWidth + 1 || box.left < -1); })
          .map(tab => `tab "${tab.textContent.trim()}" out of sight`)"""
        )
    )


def tables_scrolled_sideways(page: Any, selector: str) -> list[str]:
    """Tables matching `selector` that need a sideways scroll to be read."""
    return list(
        page.evaluate(
            """(selector) => [...document.querySelectorAll(selector)]
          .filter(table => {
            const box = table.parentElement;
            const right = table.getBoundingClientRect().right;
            return box.scrollWidth > box.clientWidth + 1 || right > window.innerWidth + 1;
          })
          .map(table => `${selector} ${Math.round(table.getBoundingClientRect().width)} px wide`)""",
            selector,
        )
    )
