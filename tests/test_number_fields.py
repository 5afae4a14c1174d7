"""Numbers as people type them, generated over every form page: each page of the resolver is opened as each role of
Lâm Đồng and the ministry, and every form it shows that posts a number field is sent back with junk in *all* its
number fields at once ("12abc", "²", "Infinity", 400 digits…) and a marker in every free-text box. The answer must
be the same page again, never a save, a redirect or a 5xx: every number field marked invalid in the one round
(`aria-invalid`), with what was typed still in it, and every other field keeping the value that was sent. Every
number field says how to type it ("vd. 1.250.000.000"), and "1.250.000.000" / "1 250 000" are read as numbers. A new
form or a new number field is covered without writing a test.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from .conftest import login
from .routes import ARGUMENTS, Route, all_routes
from .test_junk_parameters import REFERENCE_ARGUMENTS, SKIPPED, build_url

#: The people whose pages are walked: between them they reach every form of the project.
ROLES = ("mofficer", "officer", "so", "collaborator", "representative", "admin")
#: What is typed into the number fields, one per field in turn: never a number in any reading.
JUNK = ["12abc", "²", "Infinity", "9" * 400, "1,2,3", "-", "NaN", "١٢"]
#: Typed into every free-text box, to be found there again.
MARKER = "Giữ nguyên nội dung"
NUMBER_MODES = ("numeric", "decimal")


@dataclass
class Control:
    tag: str
    name: str
    type: str = "text"
    value: str = ""
    inputmode: str = ""
    placeholder: str = ""
    invalid: bool = False
    checked: bool = False
    autocomplete: str = ""
    options: list[tuple[str, bool]] = field(default_factory=list)


@dataclass
class Form:
    action: str
    method: str
    controls: list[Control] = field(default_factory=list)

    @property
    def numbers(self) -> list[Control]:
        return [
            c
            for c in self.controls
            if c.inputmode in NUMBER_MODES and c.type != "hidden" and c.autocomplete != "one-time-code"
        ]


class _Forms(HTMLParser):
    """The forms of a page with their controls, as a browser would send them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._text: Control | None = None
        self._select: Control | None = None
        self._option: list[Any] | None = None
        self._template = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "template":  # a formset's blank row: not part of the form until a script copies it
            self._template += 1
        if self._template:
            return
        if tag == "form":
            self._form = Form(action=a.get("action", ""), method=a.get("method", "get").lower())
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        if tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, ""]
            return
        if tag in ("input", "textarea", "select") and not a.get("name"):
            return
        invalid = a.get("aria-invalid") == "true"
        if tag == "button" and a.get("name") and a.get("type", "submit") == "submit":
            form.controls.append(Control("button", a["name"], "submit", a.get("value", "")))
        elif tag == "input":
            form.controls.append(
                Control(
                    "input", a["name"], a.get("type", "text").lower(), a.get("value", ""), a.get("inputmode", ""),
                    a.get("placeholder", ""), invalid, "checked" in a, a.get("autocomplete", ""),
                )
            )  # fmt: skip
        elif tag == "textarea":
            self._text = Control("textarea", a["name"], "textarea", "", a.get("inputmode", ""), invalid=invalid)
            form.controls.append(self._text)
        elif tag == "select":
            self._select = Control("select", a["name"], "select-multiple" if "multiple" in a else "select")
            self._select.invalid = invalid
            form.controls.append(self._select)

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.value += data
        if self._option is not None:
            self._option[2] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self._template -= 1
        if self._template:
            return
        if tag == "textarea":
            self._text = None
        elif tag == "option" and self._option is not None and self._select is not None:
            value = self._option[0] if self._option[0] is not None else self._option[2].strip()
            self._select.options.append((value, self._option[1]))
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def forms_of(html: str) -> list[Form]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def payload(form: Form, junk: dict[str, str]) -> dict[str, Any]:
    """What a browser sends for `form`, with `junk` in the number fields and the marker in empty free-text boxes."""
    data: dict[str, Any] = {}
    buttons = [c for c in form.controls if c.type == "submit" and c.name]
    if buttons:  # the button that sends for good, where a form also saves drafts
        button = next((b for b in buttons if b.value == "submit"), buttons[0])
        data[button.name] = button.value
    for control in form.controls:
        if control.type in ("submit", "button", "file", "reset", "image"):
            continue
        if control.name in junk:
            data[control.name] = junk[control.name]
        elif control.type in ("checkbox", "radio"):
            if control.checked:
                data.setdefault(control.name, []).append(control.value or "on")
        elif control.tag == "select":
            chosen = [v for v, selected in control.options if selected]
            if control.type == "select" and not chosen and control.options:
                chosen = [control.options[0][0]]
            if chosen:
                data[control.name] = chosen
        elif control.type == "textarea" and not control.value.strip():
            data[control.name] = MARKER
        else:
            data[control.name] = control.value
    return data


@dataclass
class FormPage:
    url: str
    role: str
    form: Form

    def __str__(self) -> str:
        return f"{self.url} ({self.role}) → {self.form.action or 'itself'}"


def _routes() -> list[Route]:
    routes = []
    for route in all_routes():
        if route.name in SKIPPED or route.pattern.startswith(("api/", "public/", "admin/")):
            continue
        if route.arguments and route.name not in ARGUMENTS and route.name not in REFERENCE_ARGUMENTS:
            continue
        routes.append(route)
    return routes


def _more_pages(world: Any) -> list[str]:
    """Pages the resolver's one set of arguments does not open: every tab and step of a project, and a
    collaborator's report for a quarter not yet reported."""
    import datetime

    from django.urls import reverse

    from khuyencong.collaborators.tests.factories import last_quarter
    from khuyencong.projects.workflow import STEP_NAMES

    pages = []
    for key in ("project", "draft_project"):
        pk = world.own[key].pk
        pages += [reverse("projects:detail_tab", args=[pk, tab]) for tab in ("progress", "results")]
        pages += [reverse("projects:step", args=[pk, name]) for name in STEP_NAMES]
    earlier = last_quarter(last_quarter() - datetime.timedelta(days=1))
    pages.append(reverse("collaborators:report", args=["ctv-quy", world.own["commune"].pk, earlier.isoformat()]))
    return pages


def number_forms(world: Any) -> Iterator[FormPage]:
    """Every form posting a number field on every page the roles open, once per (page, form action)."""
    seen: set[tuple[str, str, tuple[str, ...]]] = set()
    urls = [build_url(route, world) for route in _routes()] + _more_pages(world)
    for role in ROLES:
        client = login(Client(raise_request_exception=False), world.users[role])
        for url in urls:
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            for form in forms_of(response.content.decode()):
                if form.method != "post" or not form.numbers:
                    continue
                key = (url, form.action, tuple(sorted(c.name for c in form.numbers)))
                if key not in seen:
                    seen.add(key)
                    yield FormPage(url, role, form)


def test_every_number_field_of_every_form_says_how_to_type_it(world, db):
    pages = list(number_forms(world))
    assert len(pages) >= 15, [str(p) for p in pages]  # the walk finds the project's number forms
    silent = [
        f"{page}: {control.name}"
        for page in pages
        for control in page.form.numbers
        if not control.placeholder.startswith("vd.")
    ]
    assert not silent, "number fields without a hint:\n" + "\n".join(silent)


def test_junk_in_every_number_field_comes_back_all_at_once_with_every_value_kept(world, db):
    from django.core.cache import cache

    failures: list[str] = []
    checked = 0
    for page in number_forms(world):
        cache.clear()
        client = login(Client(raise_request_exception=False), world.users[page.role])
        junk = {c.name: JUNK[i % len(JUNK)] for i, c in enumerate(page.form.numbers)}
        # A telephone number that is no Vietnamese number is said in the same round as the numbers.
        junk.update({c.name: "12345" for c in page.form.controls if c.inputmode == "tel"})
        data = payload(page.form, junk)
        target = page.form.action or page.url
        response = client.post(target, data, headers={"referer": page.url})
        if response.status_code not in (200, 400):  # the form again (400: refused, as some pages say)
            failures.append(f"{page}: answered {response.status_code} to junk numbers")
            continue
        again = [f for f in forms_of(response.content.decode()) if {c.name for c in f.controls} >= set(junk)]
        if not again:
            failures.append(f"{page}: the form is not shown again with its number fields")
            continue
        shown = {c.name: c for c in again[0].controls}
        for name, value in junk.items():
            control = shown[name]
            if not control.invalid:
                failures.append(f"{page}: {name}={value[:12]!r} not marked invalid in the same round")
            if control.value != value:
                failures.append(f"{page}: {name} came back as {control.value[:12]!r}, not as typed")
        for name, sent in data.items():
            if name in junk or name not in shown or name in ("csrfmiddlewaretoken",):
                continue
            control = shown[name]
            kept = (
                [v for v, selected in control.options if selected] if control.tag == "select" else control.value.strip()
            )
            expected = sent if control.tag == "select" else str(sent).strip()
            if control.type in ("checkbox", "radio", "hidden", "password"):
                continue
            if control.tag == "select" and not kept and expected == [control.options[0][0]]:
                continue  # the first option, sent because nothing was chosen, is shown as nothing chosen
            if kept != expected:
                failures.append(f"{page}: {name} was {expected!r}, came back {kept!r}")
        checked += 1
    assert not failures, "\n".join(failures)
    assert checked >= 15


@pytest.mark.parametrize("typed", ["1.250.000.000", "1 250 000 000", "1250000000", "1.250.000.000 đ"])
def test_money_is_read_as_people_type_it(typed):
    from khuyencong.core.forms import MoneyField

    assert MoneyField().clean(typed) == 1_250_000_000


@pytest.mark.parametrize("typed", ["1.250", "1 250", "1250"])
def test_counts_are_read_as_people_type_them(typed):
    from khuyencong.core.forms import IntegerField

    assert IntegerField().clean(typed) == 1250


def test_a_phone_is_checked_with_the_other_fields_and_the_number_a_record_holds_stays_acceptable():
    from django import forms as django_forms

    from khuyencong.core.forms import PhoneField, keep_phones

    class Contact(django_forms.Form):
        phone = PhoneField()

    assert Contact({"phone": "0912 345 678 / (0263) 3822 111"}).is_valid()
    refused = Contact({"phone": "12345"})
    assert not refused.is_valid() and "không phải số điện thoại Việt Nam" in refused.errors["phone"][0]
    old = Contact({"phone": "0168 123 4567"}, initial={"phone": "0168 123 4567"})  # brought in before 2018
    keep_phones(old)
    assert old.is_valid()
    changed = Contact({"phone": "0168 123 4568"}, initial={"phone": "0168 123 4567"})
    keep_phones(changed)
    assert not changed.is_valid()


@pytest.mark.parametrize("role", ["auditor", "national_auditor", "representative"])
def test_a_reader_sending_a_years_figures_is_told_no_not_shown_a_bare_page(role, world, db):
    """Found by an outside attack: a refused year's figures came back as a 400 with no message for a reader (the
    form, and so its error, is shown only to those who may change the establishment)."""
    establishment = world.own["establishment"]
    client = login(Client(raise_request_exception=False), world.users[role])
    answer = client.post(f"/establishments/{establishment.pk}/years/add/", {"year": "2024", "employees": "77"})
    assert answer.status_code in (403, 404), answer.status_code
    assert not establishment.years.filter(year=2024, employees=77).exists()
