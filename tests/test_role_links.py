"""Menus and buttons only for what the role may do, and no English on a Vietnamese page: for every role of the
world, every link on the pages it lands on (home, each module of its menu, its own records' pages) is followed, and
none may answer “forbidden”, send it to the login page or lead nowhere (a “New plan” button shown to a collaborator
fails here); and every page it reaches, in Vietnamese, must hold none of the English sentences of our catalogue or of
the framework's that its Vietnamese catalogue leaves untranslated."""

import html
import re
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import django
import polib
import pytest
from django.conf import settings

from khuyencong.core.context_processors import PUBLIC_NAVIGATION, navigation_for

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="(/[^"#]*)"')
#: Not pages of the role's work: static files, the language switch, the administration site, the API browser.
SKIPPED = ("/static/", "/media/", "/i18n/", "/admin/", "/api/v1/docs/", "/api/v1/schema/")
#: Records whose pages each role opens (when it can reach them), by the world's keys.
RECORD_PAGES = {
    "project": "/projects/{pk}/",
    "establishment": "/establishments/{pk}/",
    "plan": "/plans/{pk}/",
    "programme": "/plans/programmes/{pk}/",
    "collaborator": "/collaborators/{pk}/",
}


@cache
def _english_sentences() -> tuple[str, ...]:
    """The English texts a Vietnamese page must not show: our catalogue's msgids (translated differently) and the
    framework's untranslated ones — sentences and phrases of two words or more, 10 characters or longer."""
    found: set[str] = set()
    ours = polib.pofile(str(Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"))
    for entry in ours:
        if entry.msgstr and entry.msgstr != entry.msgid:
            found.add(entry.msgid)
    translated = {entry.msgid for entry in ours if entry.msgstr}
    framework = polib.pofile(str(Path(django.__file__).parent / "conf" / "locale" / "vi" / "LC_MESSAGES" / "django.po"))
    for entry in framework:
        if not entry.msgstr and entry.msgid not in translated:
            found.add(entry.msgid)
    return tuple(
        sorted(
            text
            for text in found
            if len(text) >= 10 and " " in text.strip() and "%" not in text and "{" not in text and "\n" not in text
        )
    )


def _visible_text(page: str) -> str:
    """The text a person reads (no scripts, styles, tags or attribute values), entities decoded, spaces folded."""
    page = re.sub(r"<(script|style|template)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<[^>]+>", " ", page)
    return " ".join(html.unescape(page).split())


def _english_on(page: str) -> list[str]:
    text = _visible_text(page)
    return [sentence for sentence in _english_sentences() if sentence in text]


def _links(html: str) -> set[str]:
    found = set()
    for href in HREF.findall(html):
        href = href.replace("&amp;", "&")
        if not href.startswith(SKIPPED):
            found.add(href)
    return found


def _start_pages(world, user) -> list[str]:
    from django.urls import reverse

    pages = ["/"] + [reverse(item["url"]) for item in navigation_for(user) if item["url"]]
    pages += [pattern.format(pk=world.own[key].pk) for key, pattern in RECORD_PAGES.items()]
    return pages


@pytest.mark.parametrize(
    "role",
    ["officer", "so", "approver", "auditor", "collaborator", "representative", "mofficer", "mapprover", "admin",
     "national_auditor"],
)  # fmt: skip
def test_no_link_shown_to_a_role_is_refused_to_it(role, world, as_user):
    user = world.users[role]
    client = as_user(user)
    links: set[str] = set()
    english: dict[str, list[str]] = {}
    for page in _start_pages(world, user):
        response = client.get(page, follow=True)
        if response.status_code != 200:
            continue  # a record outside the role's reach: its page is refused, and shows no links
        links |= _links(response.content.decode())
        found = _english_on(response.content.decode())
        if found:
            english[page] = found
    assert len(links) > 5, links
    bad = []
    for link in sorted(links):
        response = client.get(link)
        location = response.get("Location", "")
        if response.status_code in (403, 404, 500) or "/accounts/login/" in urlsplit(location).path:
            bad.append((link, response.status_code, location))
        elif response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            found = _english_on(response.content.decode())
            if found:
                english[link] = found
    assert not bad, f"{role} is shown links it may not follow: {bad}"
    assert not english, f"English on the Vietnamese pages {role} reaches: {english}"


def test_the_english_check_finds_english():
    """The check itself: a page with a sentence of our catalogue left in English, or Django's empty choice, fails."""
    assert _english_on("<p>Projects waiting for your step</p>") == ["Projects waiting for your step"]
    assert "- Select an option -" in _english_on("<select><option>- Select an option -</option></select>")
    assert _english_on("<p>Đề án chờ bạn xử lý</p><script>var x = 'Projects waiting for your step'</script>") == []


def test_a_visitor_sees_the_public_menu_only(client, world):
    page = client.get("/public/").content.decode()
    menu = page.split('id="nav-main"', 1)[1].split("</ul>", 1)[0]
    hrefs = set(HREF.findall(menu))
    from django.urls import reverse

    assert hrefs == {reverse(str(item["url"])) for item in PUBLIC_NAVIGATION}
