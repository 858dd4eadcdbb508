"""The pages in Japanese (issue 18): each officer's language, the browser's by default, dates in
it, and catalogs that are complete and compiled."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.factories import PASSWORD
from tests.web.conftest import NOW, World, page_token
from tests.world import csrf_token
from tracker.deadlines import DeadlineSettings
from tracker.digests import digest_data, render_digest
from tracker.i18n import mail_language
from tracker.models import Commitment, Officer
from tracker.services.commitments import update_commitment
from web.i18n import how_long, human_date

Client = Callable[[str], FlaskClient]
ROOT = Path(__file__).resolve().parents[2]
JA = ROOT / "web" / "translations" / "ja" / "LC_MESSAGES"


def _set_language(world: World, key: str, language: str | None) -> None:
    with world.session() as s:
        officer = s.get(Officer, world.ids[key])
        assert officer is not None
        officer.language = language
        s.commit()


def test_an_officer_switches_to_japanese_in_their_settings(client_for: Client, world: World) -> None:
    client = client_for("desk")
    english = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="en">' in english and ">Dashboard</a>" in english
    token = page_token(client, "/settings")
    form = {
        "csrf_token": token,
        "timezone": "Asia/Tokyo",
        "digest_frequency": "daily",
        "digest_hour": "8",
        "digest_weekday": "0",
        "language": "ja",
    }
    response = client.post("/settings", data=form, headers={"Accept-Language": "en"})
    assert response.status_code == 302
    page = client.get("/settings", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="ja">' in page
    assert "設定を保存しました。" in page  # the flash message, in the language just chosen
    assert ">ダッシュボード</a>" in page and ">個人設定</a>" in page
    with world.session() as s:
        me = s.get(Officer, world.ids["desk"])
        assert me is not None and me.language == "ja"
    # Back to the browser's preference.
    response = client.post("/settings", data={**form, "language": ""}, headers={"Accept-Language": "en"})
    assert response.status_code == 302
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_an_unknown_language_is_refused_and_nothing_is_saved(client_for: Client, world: World) -> None:
    client = client_for("desk")
    token = page_token(client, "/settings")
    form = {"csrf_token": token, "timezone": "Asia/Tokyo", "digest_frequency": "weekly", "language": "xx"}
    response = client.post("/settings", data=form)
    assert response.status_code == 400
    assert "unknown language" in response.get_data(as_text=True)
    with world.session() as s:
        me = s.get(Officer, world.ids["desk"])
        assert me is not None and (me.language, me.timezone) == (None, "UTC")


def test_without_a_choice_the_browsers_preference_decides(client_for: Client, world: World) -> None:
    client = client_for("desk")
    cases = {"ja-JP,ja;q=0.9,en;q=0.8": "ja", "en-GB,en;q=0.9": "en", "fr-FR,ja;q=0.5": "ja", "de": "en"}
    for header, expected in cases.items():
        page = client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
        assert f'<html lang="{expected}">' in page, header
    # The login page, before anyone is known, follows the browser too.
    login = world.client.get("/login", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert '<html lang="ja">' in login
    # And so does the notice on the way there from a page that needs a login.
    redirected = world.client.get("/commitments", headers={"Accept-Language": "ja"}, follow_redirects=True)
    assert "このページを表示するには、ログインしてください。" in redirected.get_data(as_text=True)
    # An officer's own choice wins over the browser's.
    _set_language(world, "desk", "en")
    page = client.get("/", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert '<html lang="en">' in page


def test_the_mail_of_an_officer_who_chose_no_language_follows_their_browser(world: World) -> None:
    """Their pages follow the browser; a digest has no browser, so the login notes what it asked for."""
    _set_language(world, "desk", None)
    email = world.emails["desk"]

    def log_in_with(header: str) -> str | None:
        client = world.app.test_client()
        token = csrf_token(client.get("/login").get_data(as_text=True))
        response = client.post(
            "/login",
            data={"email": email, "password": PASSWORD, "csrf_token": token},
            headers={"Accept-Language": header},
        )
        assert response.status_code == 302
        with world.session() as s:
            officer = s.get_one(Officer, world.ids["desk"])
            return officer.browser_language

    assert log_in_with("ja-JP,ja;q=0.9,en;q=0.8") == "ja"
    with world.session() as s:
        officer = s.get_one(Officer, world.ids["desk"])
        data = digest_data(s, officer, NOW, "http://tracker.example")
        content = render_digest(officer, data, "http://tracker.example")
    assert content is not None and "フォローアップ" in content.subject, content.subject
    assert log_in_with("en-GB,en;q=0.9") == "en"
    assert log_in_with("de") == "en", "no catalog for German: what it had stays"
    with world.session() as s:
        assert mail_language(s.get_one(Officer, world.ids["desk"])) == "en"
    # A language the officer chose is theirs: their mail is in it, and no browser is noted meanwhile.
    _set_language(world, "desk", "ja")
    assert log_in_with("ja") == "en", "not noted: the officer chose"
    with world.session() as s:
        assert mail_language(s.get_one(Officer, world.ids["desk"])) == "ja", "the choice over the browser"


def test_dates_and_spans_are_written_in_the_pages_language(world: World) -> None:
    day = dt.date(2018, 6, 12)
    with world.app.test_request_context(headers={"Accept-Language": "ja"}):
        assert human_date(day) == "2018年6月12日"
        assert how_long(3) == "3日"
        assert how_long(3096) == "8年"
    with world.app.test_request_context(headers={"Accept-Language": "en"}):
        assert human_date(day) == "12 Jun 2018"
        assert (how_long(1), how_long(3), how_long(3096)) == ("1 day", "3 days", "8 years")


def test_every_string_of_the_web_app_has_a_japanese_translation_and_the_mo_is_compiled() -> None:
    """`make messages` was run and the translation is complete: every string the extractor finds
    in web/ is in messages.po with a Japanese text, and the committed .mo says the same."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = {
        (context, _key(msgid))
        for _file, _line, msgid, _comments, context in extract_from_dir(
            str(ROOT),
            method_map,
            options_map,
            keywords={
                "_": None,
                "gettext": None,
                "ngettext": (1, 2),
                "lazy_gettext": None,
                "N_": None,
                "say": None,
                "english": None,
                "pgettext": ((1, "c"), 2),
            },
        )
    }
    with open(JA / "messages.po", "rb") as f:
        po = read_po(f, locale="ja")
    translated = {
        (m.context, _key(m.id)): _text(m.string)
        for m in po
        if m.id and "fuzzy" not in m.flags and all(_text(m.string))
    }
    assert len(found) > 40
    untranslated = sorted(found - set(translated))
    assert not untranslated, f"run `make messages` and translate in messages.po: {untranslated[:20]}"
    with open(JA / "messages.mo", "rb") as f:
        mo = read_mo(f)
    # read_mo gives a context as bytes.
    compiled = {(_context(m.context), _key(m.id)): _text(m.string) for m in mo if m.id}
    assert compiled == translated, "messages.mo is older than messages.po: run `make messages`"


def _context(context: object) -> str | None:
    return context.decode() if isinstance(context, bytes) else None if context is None else str(context)


def _key(msgid: object) -> str:
    return str(msgid[0] if isinstance(msgid, tuple | list) else msgid)


def _text(msgstr: object) -> tuple[str, ...]:
    return tuple(msgstr) if isinstance(msgstr, tuple | list) else (str(msgstr),)


def test_history_and_changes_by_others_are_said_in_japanese(client_for: Client, world: World) -> None:
    """The domain's sentences (tracker/history_text.py) reach a Japanese page translated: a
    colleague's change on the dashboard and on the commitment's page."""
    with world.session() as s:
        colleague = s.get(Officer, world.ids["colleague"])
        me = s.get(Officer, world.ids["desk"])
        assert colleague is not None and me is not None
        c = s.scalars(select(Commitment).where(Commitment.id.in_(world.commitment_ids))).first()
        assert c is not None
        c.owner = me
        s.flush()
        update_commitment(
            s, c, by=colleague, note="電話で確認", now=NOW, settings=DeadlineSettings(), status="in_progress"
        )
        me.language = "ja"
        s.commit()
        cid = c.id
        colleague_name = colleague.name
    client = client_for("desk")
    said = f"{colleague_name}が状況を「未着手」から「対応中」に変更しました"
    dashboard = client.get("/").get_data(as_text=True)
    assert "他の人による変更" in dashboard and said in dashboard
    page = client.get(f"/commitments/{cid}").get_data(as_text=True)
    assert said in page and "から作成" in page  # and the first entry: 「…（第N項）から作成」
    # The same sentence in English for an English officer: the domain's default is unchanged.
    with world.session() as s:
        me = s.get(Officer, world.ids["desk"])
        assert me is not None
        me.language = "en"
        s.commit()
    english = client.get(f"/commitments/{cid}").get_data(as_text=True)
    assert f"{colleague_name} changed the status from Open to In progress" in english


def test_a_refused_stale_save_says_what_the_other_changed_in_japanese(
    client_for: Client, world: World
) -> None:
    cid = world.commitment_ids[2]
    _set_language(world, "desk", "ja")
    mine = client_for("desk")
    token = page_token(mine, f"/commitments/{cid}")  # loaded at version 1
    theirs = client_for("colleague")
    their_token = page_token(theirs, f"/commitments/{cid}")
    saved = theirs.post(
        f"/commitments/{cid}",
        data={"csrf_token": their_token, "version": "1", "status": "in_progress", "note": "電話で確認"},
    )
    assert saved.status_code == 302
    refused = mine.post(
        f"/commitments/{cid}",
        data={"csrf_token": token, "version": "1", "status": "done", "note": "完了"},
    )
    page = refused.get_data(as_text=True)
    with world.session() as s:
        colleague_name = s.get_one(Officer, world.ids["colleague"]).name
    assert refused.status_code == 409
    assert f"{colleague_name}が状況を「未着手」から「対応中」に変更しました (電話で確認)" in page
    assert "changed the status" not in page and "changed status" not in page
