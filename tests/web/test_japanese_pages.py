"""Every page in Japanese (issue 18): an officer whose language is "ja" sees no English on any page
of the app except data (readouts, commitments, names) and a few codes (CSV, API, PDF, ...).

The pages come from the app's own URL map, as in tests/web/test_routes.py, so a new page is
checked as soon as it exists. What counts as data is read from the database itself: every text
value stored in any table (enum columns excepted: their values are code words the pages must
translate, such as "event" or "pending")."""

from __future__ import annotations

import re
from collections.abc import Callable

from bs4 import BeautifulSoup, Comment, Doctype
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Enum, String, Text, select

from tests.conftest import SEED_READOUT
from tests.web.conftest import page_token
from tests.web.test_routes import _url, _values
from tests.world import NOW, World
from tracker.deadlines import DeadlineSettings
from tracker.models import Base, Commitment, Officer
from tracker.services.commitments import update_commitment
from web.api.docs import problem_list

Client = Callable[[str], FlaskClient]

# Codes and proper nouns that stay as they are in a Japanese page ("English": the language menu
# names each language in itself; "Message": the Message-ID header; file types and "MB").
ALLOWED = {
    "API",
    "CSV",
    "PDF",
    "ID",
    "URL",
    "UTC",
    "JSON",
    "HTTP",
    "HTTPS",
    "http",
    "https",
    "iCalendar",
    "ICS",
    "ics",
    "docx",
    "Word",
    "Excel",
    "OpenAPI",
    "Bearer",
    "Authorization",
    "curl",
    "GET",
    "POST",
    "PATCH",
    "DELETE",
    "English",
    "JP",
    "Message",
    "MB",
    "txt",
    "htm",
    "html",
    "pdf",
    "Thunderbird",
    "calcurse",
    "Cookie",
    "ISO",
    "YYYY",
    "MM",
    "DD",
    "SMTP",
    "webcal",
    "Outlook",
    "Google",
}
WORD = re.compile(r"[A-Za-z][A-Za-z]+")
# An address is the same in every language (the digest's text lists each commitment's link).
ADDRESS = re.compile(r"https?://\S+")
# The readout's own words inside the preview's reasons, which quote them 「so」: data.
QUOTED = re.compile(r"「[^」]*」")
# A name inside a reason ("both name Kono, Pompeo"): data when the readout or the database has it.
NAME = re.compile(r"(?<![A-Za-z])[A-Z][A-Za-z.\-]*(?:\s+(?:of\s+)?[A-Z][A-Za-z.\-]*)*")
# Visible text: the element text, and the attributes a reader sees or hears.
SHOWN_ATTRIBUTES = ("aria-label", "placeholder", "title", "alt")


def _data(world: World) -> str:
    """Every text value stored in the database, one a line: what a page may show as it is."""
    values: list[str] = []
    with world.session() as s:
        for table in Base.metadata.sorted_tables:
            columns = [
                c for c in table.c if isinstance(c.type, String | Text) and not isinstance(c.type, Enum)
            ]
            if not columns:
                continue
            for row in s.execute(select(*columns)):
                values += [line.strip() for v in row if isinstance(v, str) for line in v.splitlines()]
    # Longest first, so that a title is taken out before a shorter name inside it.
    return "\n".join(sorted({v for v in values if len(v) >= 3}, key=len, reverse=True))


def _english(html: str, data: str) -> list[str]:
    """The English words of a page's visible text that are not data."""
    soup = BeautifulSoup(html, "lxml")
    for hidden in soup(["script", "style", "template", "datalist", "code"]):
        hidden.decompose()  # not shown, or code (the same in every language)
    for note in soup.select('.extraction-note, td[id$="_why"]'):
        # The readout preview's reasons (why a field or a point reads so, why a stored readout
        # reports the same meeting) are sentences of the catalog around the readout's words.
        said = QUOTED.sub(" ", note.get_text())
        note.string = NAME.sub(lambda m: " " if m.group() in data else m.group(), said)
    for untranslated in soup.select('[translate="no"]'):
        untranslated.decompose()  # marked as not to be translated: codes, a ladder's syntax
    texts = [str(t) for t in soup.find_all(string=True) if not isinstance(t, Doctype | Comment)]
    for tag in soup.find_all(True):
        texts += [str(tag[a]) for a in SHOWN_ATTRIBUTES if tag.has_attr(a)]
        if tag.name == "input" and tag.get("type") in ("submit", "button"):
            texts.append(str(tag.get("value", "")))
    words = []
    for text in texts:
        text = ADDRESS.sub(" ", text).strip()
        if not text or text in data or text.rstrip(".…").strip() in data:
            continue  # a piece of a readout (or its beginning, cut with "..."), a name, a title: data
        for value in data.split("\n"):
            if value and value in text:
                text = text.replace(value, " ")
        words += [w for w in WORD.findall(text) if w not in ALLOWED]
    return words


def _strings(value: object) -> list[str]:
    """Every string in a JSON document, keys included, split into lines."""
    if isinstance(value, dict):
        return [line for k, v in value.items() for line in [*_strings(k), *_strings(v)]]
    if isinstance(value, list):
        return [line for v in value for line in _strings(v)]
    if not isinstance(value, str):
        return []
    # The page shows `code` in descriptions as <code>, which splits the text around it.
    return [piece.strip() for line in value.splitlines() for piece in re.split(r"`[^`]*`", line)]


def _pages(app: Flask) -> list[tuple[str, str]]:
    """Every page of the app: its GET routes but the static files, calendar feeds and the JSON API
    (the API's own documentation page is a page)."""
    pages = []
    for rule in app.url_map.iter_rules():
        area = rule.endpoint.split(".")[0]
        if "GET" not in (rule.methods or ()) or area in ("static", "feeds"):
            continue
        if area == "api" and rule.endpoint != "api.docs":
            continue
        pages.append((rule.endpoint, rule.rule))
    return sorted(pages)


def _in_japanese(world: World, key: str) -> None:
    with world.session() as s:
        officer = s.get(Officer, world.ids[key])
        assert officer is not None
        officer.language = "ja"
        s.commit()


def test_every_page_speaks_japanese_to_an_officer_who_chose_it(
    client_for: Client, app: Flask, world: World
) -> None:
    # A colleague's change to one of the desk officer's commitments: their dashboard lists it with
    # "Mark read" and the navigation counts it (notifications), in Japanese too.
    with world.session() as s, s.begin():
        update_commitment(
            s,
            s.get_one(Commitment, world.commitment_ids[0]),
            by=s.get_one(Officer, world.ids["colleague"]),
            note="着手しました",
            now=NOW,
            settings=DeadlineSettings(),
            status="in_progress",
        )
    values: dict[str, int | str] = {**_values(world), "name": "open-overdue"}
    data = _data(world)
    found: dict[str, list[str]] = {}
    pages = 0
    # The API page shows the OpenAPI document's own reference text (operation summaries, field
    # descriptions, schema names): the API's contract, kept in English for the programs and their
    # authors and served as it is at /api/v1/openapi.json, and its problem types. Only the page
    # around them is translated.
    spec = [client_for("admin").get("/api/v1/openapi.json").get_json(), [list(p[2:]) for p in problem_list()]]
    api_reference = "\n".join(
        sorted({*data.split("\n"), *(v for v in _strings(spec) if len(v) >= 3)}, key=len, reverse=True)
    )
    for key in ("admin", "desk"):
        _in_japanese(world, key)
        client = client_for(key)
        for endpoint, rule in _pages(app):
            if endpoint in ("auth.login", "admin.index"):
                continue
            response = client.get(_url(rule, values))
            if response.mimetype != "text/html":
                continue  # a CSV, PDF, .docx, chart or stylesheet
            # 200, or the friendly error page (the brief's downloads without a counterpart: 400; the
            # admin pages for an officer: 403)
            assert response.status_code in (200, 400, 403), rule
            pages += 1
            html = response.get_data(as_text=True)
            assert '<html lang="ja">' in html, rule
            english = _english(html, api_reference if endpoint == "api.docs" else data)
            if english:
                found[f"{key} {rule}"] = sorted(set(english))
        # The error pages: a page that does not exist, and one the officer may not see.
        for url in ("/no-such-page", "/admin/officers"):
            response = client.get(url)
            if response.status_code in (403, 404):
                pages += 1
                english = _english(response.get_data(as_text=True), data)
                if english:
                    found[f"{key} {url} ({response.status_code})"] = sorted(set(english))
    # The readout preview (a POST): the sample readout read in Japanese pages.
    client = client_for("desk")
    form = {"csrf_token": page_token(client, "/readouts/new"), "meeting_date": "2018-06-06"}
    form["text"] = SEED_READOUT.read_text(encoding="utf-8").replace("Japan-U.S.", "Japan-US")
    preview = client.post("/readouts/new", data=form)
    assert preview.status_code == 200 and 'name="p1_kind"' in preview.get_data(as_text=True)
    pages += 1
    readout_words = "\n".join(sorted({*data.split("\n"), *form["text"].splitlines()}, key=len, reverse=True))
    english = _english(preview.get_data(as_text=True), readout_words)
    if english:
        found["desk preview"] = sorted(set(english))
    login = world.client.get("/login", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    if _english(login, data):
        found["/login"] = sorted(set(_english(login, data)))
    assert pages >= 30
    dashboard = client_for("desk").get("/").get_data(as_text=True)
    assert "着手しました" in dashboard and "既読にする" in dashboard and 'class="badge unread"' in dashboard
    assert not found, "English left on Japanese pages:\n" + "\n".join(f"{k}: {v}" for k, v in found.items())
