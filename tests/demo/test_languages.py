"""Both languages complete (issue 14): every page each role reaches from its home, in the
demo, rendered in Traditional Chinese and in English — and not one label (heading, table
header, button, badge, form label, link button, breadcrumb, navigation) left in the other
language or showing a code instead of words.

The pages are found the way a person finds them: from the home page, following the links
the pages give (a few of each kind of page per role). What people and parties wrote — names,
titles, numbers, notes — is content, not a label: every text value stored in the portal's
tables is taken out of a label before it is judged, so a Chinese case title in a Chinese
heading is fine, and a heading that still reads "Checkpoints" in Chinese is not.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from urllib.parse import urlsplit

import pytest
import tinyhtml5
from django.apps import apps
from django.db import models
from django.urls import Resolver404, resolve

pytestmark = pytest.mark.django_db

# The demo's people, one per role (demo/data/people.yaml).
ROLES = {
    "office": "office",
    "contractor": "raytheon",
    "reviewer": "reviewer",
    "agency": "mnd",
    "recipient": "aidc",
    "proposer": "proposer",
}
# Pages of one kind visited per role (a case page, a meeting page…): their templates are
# the same, the data differs.
PER_KIND = {"office": 3}
PER_KIND_DEFAULT = 2
MAX_PAGES = 160
SKIP = ("/accounts/logout", "/i18n/", "/admin/", "/api/", "/static/", "/media/")

LABEL_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "button", "label", "summary", "caption"}
LABEL_TAGS |= {"dt", "legend", "title"}
LABEL_CLASSES = ("badge", "btn", "nav-link", "breadcrumb-item", "card-title", "navbar-brand")
# Latin words that are the same in both languages: the program's and the world's codes.
CODES = {
    "ICP", "API", "PDF", "USD", "NT", "TWD", "Excel", "KPI", "LOA", "ID", "CSV", "XLSX",
    "SVG", "OK", "MND", "MOEA", "Q1", "Q2", "Q3", "Q4", "e-mail", "Email", "E-mail",
}  # fmt: skip
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z\-]+")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
IDENTIFIER = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
HTML = "{http://www.w3.org/1999/xhtml}"


def _content_strings() -> list[str]:
    """Every text people and parties stored (names, titles, numbers, notes): content."""
    values: set[str] = set()
    for model in apps.get_models():
        if model._meta.app_label not in {
            "organizations", "agreements", "cases", "demand_items", "feedback",
            "committee", "reports",
        } or model.__name__.startswith("Historical") or model.__name__ in {"AuditEvent"}:  # fmt: skip
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
            and not f.choices
            and f.name not in {"password", "key", "digest", "source_hash", "token_hash"}
        ]
        if not fields:
            continue
        for row in model.objects.values_list(*fields):
            values.update(v.strip() for v in row if isinstance(v, str) and len(v.strip()) > 1)
    User = apps.get_model("organizations", "User")
    for user in User.objects.all():
        values.update({user.display_name, user.username, user.get_full_name()})
    return sorted((v for v in values if v), key=len, reverse=True)


def _strip_content(text: str, content: list[str], index: dict[str, list[str]]) -> str:
    # Only the content strings that share a character with the text are tried.
    for value in index_candidates(text, index):
        if value in text:
            text = text.replace(value, " ")
    return text


def index_candidates(text: str, index: dict[str, list[str]]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for char in set(text):
        for value in index.get(char, ()):
            if value not in seen:
                seen.add(value)
                out.append(value)
    return sorted(out, key=len, reverse=True)


def _labels(html: str) -> list[tuple[str, str]]:
    """(tag, text) of each label element of the page."""
    root = tinyhtml5.parse(html)
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.removeprefix(HTML)
        classes = (element.get("class") or "").split()
        column_header = tag == "th" and element.get("scope") != "row"
        if tag in LABEL_TAGS or column_header or any(c in LABEL_CLASSES for c in classes):
            text = " ".join("".join(element.itertext()).split())
            if text:
                found.append((tag, text))
        elif tag == "input" and element.get("type") in {"submit", "button"}:
            found.append((tag, element.get("value") or ""))
        elif tag in {"input", "textarea"} and element.get("placeholder"):
            found.append(("placeholder", element.get("placeholder")))
    return found


def _links(html: str) -> list[str]:
    return re.findall(r'href="(/[^"#]*)', html)


def _kind(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _problems(text: str, language: str) -> list[str]:
    problems = []
    if IDENTIFIER.search(text):
        problems.append("code")
    if language == "en" and CJK.search(text):
        problems.append("Chinese")
    if language == "zh-hant":
        words = [w for w in LATIN_WORD.findall(text) if w not in CODES]
        if words:
            problems.append("English: " + " ".join(words))
    return problems


def _crawl(client, role: str, content, index) -> tuple[list[str], int]:
    limit = PER_KIND.get(role, PER_KIND_DEFAULT)
    kinds: Counter[str] = Counter()
    queue, seen = deque(["/"]), {"/"}
    findings: list[str] = []
    visited = 0
    while queue and visited < MAX_PAGES:
        url = queue.popleft()
        pages = {}
        for language in ("zh-hant", "en"):
            client.cookies["django_language"] = language
            response = client.get(url, follow=True)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                pages = {}
                break
            pages[language] = response.content.decode()
        if not pages:
            continue
        visited += 1
        for language, html in pages.items():
            for tag, text in _labels(html):
                remaining = _strip_content(text, content, index)
                for problem in _problems(remaining, language):
                    findings.append(f"{role} {language} {url} <{tag}> {text!r}: {problem}")
        for link in _links(pages["en"]):
            path = urlsplit(link).path
            if link in seen or path.startswith(SKIP) or "format=" in link or "page=" in link:
                continue
            kind = _kind(path)
            if kind is None or kinds[kind] >= limit:
                continue
            kinds[kind] += 1
            seen.add(link)
            queue.append(link)
    return findings, visited


def test_every_page_of_every_role_has_its_labels_in_the_reader_language(demo_db, client):
    content = _content_strings()
    index: dict[str, list[str]] = {}
    for value in content:
        for char in set(value[:2]):
            index.setdefault(char, []).append(value)
    User = apps.get_model("organizations", "User")
    findings, visits = [], {}
    for role, username in ROLES.items():
        client.force_login(User.objects.get(username=username))
        found, visited = _crawl(client, role, content, index)
        findings += found
        visits[role] = visited
    import os

    if os.environ.get("LANG_DEBUG"):
        print(visits, len(content), [v for v in content if len(v) <= 3][:80])
    # Every role reached a real part of the portal, not only its home.
    assert all(count >= 5 for count in visits.values()), visits
    unique = sorted(set(findings))
    assert not unique, f"{len(unique)} untranslated labels:\n" + "\n".join(unique[:300])
