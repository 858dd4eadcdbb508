"""Ingest: paste or upload → preview (nothing stored) → corrections → save stores what was corrected."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
from collections.abc import Callable

from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import SEED_READOUT
from tests.web.conftest import NOW, World, page_token
from tests.web.forms import form_fields
from tracker.extraction import extract
from tracker.models import Commitment, Desk, Event, Officer, Party, Readout, ReadoutPoint, StatusChange

Client = Callable[[str], FlaskClient]

TEXT = (
    "Japan-Canada Foreign Ministers' Meeting\n\n"
    "On March 3, Foreign Minister Taro Kono held a meeting with the Honourable Chrystia Freeland, "
    "Minister of Foreign Affairs of Canada. The overview is as follows.\n"
    "1. The two ministers confirmed that Japan and Canada will work together to bring the CPTPP "
    "into force at an early date.\n"
    "2. Minister Freeland explained Canada's position on trade.\n"
    "3. The two ministers confirmed that Japan and Canada will continue close cooperation on North Korea.\n"
)


def _counts(world: World) -> tuple[int, ...]:
    with world.session() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(model)) or 0
            for model in (Readout, ReadoutPoint, Commitment, Party, Event, StatusChange)
        )


def _preview(client: FlaskClient, text: str = TEXT, date: str = "2018-03-03", **extra: object):  # type: ignore[no-untyped-def]
    token = page_token(client, "/readouts/new")
    return client.post(
        "/readouts/new", data={"csrf_token": token, "text": text, "meeting_date": date, **extra}
    )


def test_the_ingest_form(client_for: Client) -> None:
    page = client_for("desk").get("/readouts/new").get_data(as_text=True)
    assert '<label for="text">' in page and '<label for="meeting_date">' in page
    assert 'enctype="multipart/form-data"' in page


def test_a_preview_stores_nothing_and_highlights_points_and_quotes(client_for: Client, world: World) -> None:
    before = _counts(world)
    response = _preview(client_for("desk"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Not saved yet." in page
    assert _counts(world) == before, "nothing is stored before the officer confirms"
    assert page.count('class="point kind-') == 3
    assert page.count('<a class="quote"') == 2
    assert "<mark>Japan and Canada will work together to bring the CPTPP into force" in page
    assert 'id="c1_parties"' in page and 'value="Japan; Canada"' in page
    assert 'id="p2_kind"' in page


def test_saving_the_preview_unchanged_stores_the_extraction(client_for: Client, world: World) -> None:
    client = client_for("desk")
    page = _preview(client).get_data(as_text=True)
    fields = form_fields(page, "/readouts/review")
    fields["action"] = "save"
    response = client.post("/readouts/review", data=fields)
    assert response.status_code == 302
    with world.session() as s:
        readout = s.scalar(select(Readout).where(Readout.title == "Japan-Canada Foreign Ministers' Meeting"))
        assert readout is not None and readout.meeting_date == dt.date(2018, 3, 3)
        assert readout.text == TEXT
        commitments = s.scalars(select(Commitment).where(Commitment.readout_id == readout.id)).all()
        assert len(commitments) == 2
        assert all(c.owner_id == world.ids["desk"] for c in commitments)
        assert all(c.desk is not None and c.desk.name == "North America Desk" for c in commitments)
        assert all(TEXT[c.quote_start : c.quote_end] == c.quote for c in commitments)
    assert response.headers["Location"] == f"/readouts/{readout.id}"


def test_corrections_are_stored_exactly_as_corrected(client_for: Client, world: World) -> None:
    client = client_for("desk")
    fields = form_fields(_preview(client).get_data(as_text=True), "/readouts/review")
    with world.session() as s:
        europe = s.scalar(select(Desk.id).where(Desk.name == "Europe Desk"))
    fields.update(
        {
            "c1_parties": "Japan; Canada; EU",
            "c1_action": "Bring the CPTPP into force",
            "c1_deadline_type": "date",
            "c1_date": "2018-12-30",
            "c1_deadline_text": "at an early date",
            "c1_owner": str(world.ids["other"]),
            "c1_desk": str(europe),
            "c2_deadline_type": "event",
            "c2_event": "G7 Summit",
            "c2_relation": "after",
            "c2_offset_days": "14",
            "p2_kind": "exchange",
            "title": "Japan–Canada FM meeting",
            "publisher": "MOFA",
            "action": "save",
        }
    )
    assert client.post("/readouts/review", data=fields).status_code == 302
    with world.session() as s:
        readout = s.scalar(select(Readout).where(Readout.title == "Japan–Canada FM meeting"))
        assert readout is not None and readout.publisher == "MOFA"
        first, second = sorted(
            s.scalars(select(Commitment).where(Commitment.readout_id == readout.id)),
            key=lambda c: c.quote_start,
        )
        assert [p.name for p in first.parties] == sorted(["Japan", "Canada", "European Union"])
        assert first.action == "Bring the CPTPP into force"
        assert (first.deadline_type.value, first.due_date, first.deadline_text) == (
            "date",
            dt.date(2018, 12, 30),
            "at an early date",
        )
        assert (first.owner_id, first.desk_id) == (world.ids["other"], europe)
        assert second.deadline_type.value == "event" and second.event is not None
        assert second.event.name == "G7 Summit" and second.deadline_offset_days == 14
        assert second.deadline_relation is not None and second.deadline_relation.value == "after"
        kinds = [p.kind.value for p in sorted(readout.points, key=lambda p: p.position)]
        assert kinds[1] == "exchange"
        first_id, second_id, title = first.id, second.id, readout.title
    # The commitment's page says what was corrected in the preview, in its first history entry.
    page = client.get(f"/commitments/{first_id}").get_data(as_text=True)
    assert (
        f"Created from {title} (point 1) by " in page
        and "; corrected in the preview: parties (added European Union), action, deadline" in page
    )
    page = client.get(f"/commitments/{second_id}").get_data(as_text=True)
    assert "; corrected in the preview: deadline" in page


def test_dropping_and_adding_commitments(client_for: Client, world: World) -> None:
    client = client_for("desk")
    fields = form_fields(_preview(client).get_data(as_text=True), "/readouts/review")
    del fields["c2_keep"]
    fields.update(
        {
            "new_point": "2",
            "new_quote": "Minister Freeland explained Canada's position on trade",
            "new_parties": "Canada",
            "new_action": "Explain the trade position in writing",
            "new_deadline_type": "ongoing",
            "action": "update",
        }
    )
    response = client.post("/readouts/review", data=fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Preview updated" in page
    assert 'id="c2_action"' in page and "Explain the trade position in writing" in page
    quotes = re.findall(r'<fieldset class="commitment-row".*?<blockquote><a [^>]*>(.*?)</a>', page, re.S)
    assert len(quotes) == 2
    assert not any("close cooperation on North Korea" in q for q in quotes), "the dropped one is gone"
    fields = form_fields(page, "/readouts/review")
    fields["action"] = "save"
    assert client.post("/readouts/review", data=fields).status_code == 302
    with world.session() as s:
        rows = s.execute(
            select(Commitment.action, Commitment.quote)
            .join(Readout)
            .where(Readout.title.like("Japan-Canada%"))
        ).all()
    actions = {action for action, _ in rows}
    assert len(rows) == 2 and "Explain the trade position in writing" in actions
    assert not any("North Korea" in quote for _, quote in rows)


def test_invalid_corrections_are_listed_and_nothing_is_stored(client_for: Client, world: World) -> None:
    client = client_for("desk")
    before = _counts(world)
    fields = form_fields(_preview(client).get_data(as_text=True), "/readouts/review")
    fields.update(
        {
            "c1_action": "  ",
            "c2_deadline_type": "date",
            "c2_date": "",
            "c1_owner": "424242",
            "new_point": "1",
            "new_quote": "words that are not in the point",
            "new_action": "x",
            "action": "save",
        }
    )
    response = client.post("/readouts/review", data=fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Commitment 1: say what was undertaken" in page
    assert "Commitment 2: a date deadline needs a date" in page
    assert "Commitment 1: choose the owner from the list" in page
    assert "copy its words exactly from point 1" in page
    assert _counts(world) == before


def test_a_tampered_preview_is_refused(client_for: Client, world: World) -> None:
    client = client_for("desk")
    before = _counts(world)
    fields = form_fields(_preview(client).get_data(as_text=True), "/readouts/review")
    fields["action"] = "save"
    forged = dict(fields, state=str(fields["state"])[:-4] + "AAAA")
    response = client.post("/readouts/review", data=forged)
    assert response.status_code == 400
    other_text = dict(fields, text_b64=base64.b64encode(b"something else entirely").decode())
    response = client.post("/readouts/review", data=other_text)
    assert response.status_code == 400
    assert "no longer matches" in response.get_data(as_text=True)
    assert client.post("/readouts/review", data=dict(fields, text_b64="%%%")).status_code == 400
    assert _counts(world) == before


def test_a_duplicate_readout_links_to_the_stored_one(client_for: Client, world: World) -> None:
    response = _preview(client_for("desk"), SEED_READOUT.read_text(encoding="utf-8"), "2018-06-06")
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "This readout is already stored" in page
    assert f'href="/readouts/{world.readout_id}"' in page


def test_a_readout_saved_twice_is_stored_once(client_for: Client, world: World) -> None:
    client = client_for("desk")
    fields = form_fields(_preview(client).get_data(as_text=True), "/readouts/review")
    fields["action"] = "save"
    assert client.post("/readouts/review", data=fields).status_code == 302
    after_first = _counts(world)
    response = client.post("/readouts/review", data=fields)
    assert response.status_code == 409 and "already stored" in response.get_data(as_text=True)
    assert _counts(world) == after_first


def test_pasted_text_with_crlf_line_ends_is_stored_with_lf(client_for: Client, world: World) -> None:
    client = client_for("desk")
    fields = form_fields(
        _preview(client, TEXT.replace("\n", "\r\n")).get_data(as_text=True), "/readouts/review"
    )
    fields["action"] = "save"
    assert client.post("/readouts/review", data=fields).status_code == 302
    with world.session() as s:
        assert s.scalar(select(Readout.text).where(Readout.title.like("Japan-Canada%"))) == TEXT


def test_upload_a_text_and_an_html_file(client_for: Client) -> None:
    client = client_for("desk")
    token = page_token(client, "/readouts/new")
    response = client.post(
        "/readouts/new",
        data={
            "csrf_token": token,
            "meeting_date": "2018-03-03",
            "document": (io.BytesIO(TEXT.encode()), "r.txt"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200 and "Not saved yet." in response.get_data(as_text=True)
    html = (
        "<html><body><h1>Japan-Canada Foreign Ministers' Meeting</h1>"
        + "".join(f"<p>{line}</p>" for line in TEXT.splitlines()[1:] if line)
        + "</body></html>"
    )
    response = client.post(
        "/readouts/new",
        data={
            "csrf_token": token,
            "meeting_date": "2018-03-03",
            "document": (io.BytesIO(html.encode()), "r.html"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200 and 'value="r.html"' in response.get_data(as_text=True)


def test_unreadable_or_wrong_uploads_and_empty_input_are_explained(client_for: Client) -> None:
    client = client_for("desk")
    token = page_token(client, "/readouts/new")
    for document, message in (
        ((io.BytesIO(b"MZ\x90\x00"), "tool.exe"), "upload a .txt"),
        ((io.BytesIO(b"not a pdf at all"), "r.pdf"), "could not be read"),
    ):
        response = client.post(
            "/readouts/new",
            data={"csrf_token": token, "meeting_date": "2018-03-03", "document": document},
            content_type="multipart/form-data",
        )
        assert response.status_code == 400 and message in response.get_data(as_text=True)
    response = _preview(client, "   ")
    assert response.status_code == 400 and "paste the readout" in response.get_data(as_text=True)
    response = _preview(client, TEXT, "03/03/2018")
    assert response.status_code == 400 and "must be a date" in response.get_data(as_text=True)


def test_an_upload_over_the_limit_gets_a_friendly_413(client_for: Client, app) -> None:  # type: ignore[no-untyped-def]
    client = client_for("desk")
    token = page_token(client, "/readouts/new")
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    response = client.post(
        "/readouts/new",
        data={"csrf_token": token, "document": (io.BytesIO(b"x" * 20_000), "big.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "File too large" in response.get_data(as_text=True)


JA_TEXT = (
    "日加外相電話会談\n\n令和2年3月3日\n\n"
    " 本3日，茂木敏充外務大臣は，フランソワ＝フィリップ・シャンパーニュ・カナダ外務大臣と"
    "電話会談を行ったところ，概要は以下のとおりです。\n\n"
    "1 両外相は，日加で緊密に連携していくことで一致しました。\n"
    "2 シャンパーニュ外務大臣から，カナダの立場について説明がありました。\n"
)


def test_a_japanese_readout_previews_with_its_language_selected_and_saves_it(
    client_for: Client, world: World
) -> None:
    client = client_for("desk")
    page = _preview(client, text=JA_TEXT, date="").get_data(as_text=True)
    assert "Not saved yet." in page
    assert '<option value="ja" selected>' in page
    assert "<mark>日加で緊密に連携していく" in page
    fields = form_fields(page, "/readouts/review")
    fields["action"] = "save"
    assert client.post("/readouts/review", data=fields).status_code == 302
    with world.session() as s:
        readout = s.scalar(select(Readout).where(Readout.title == "日加外相電話会談"))
        assert readout is not None and readout.language == "ja"
        assert readout.meeting_date == dt.date(2020, 3, 3)
        commitments = s.scalars(select(Commitment).where(Commitment.readout_id == readout.id)).all()
        assert [sorted(p.name for p in c.parties) for c in commitments] == [["Canada", "Japan"]]


def test_choosing_another_language_in_the_preview_reads_the_text_again(client_for: Client) -> None:
    client = client_for("desk")
    fields = form_fields(_preview(client, text=JA_TEXT, date="").get_data(as_text=True), "/readouts/review")
    fields["language"] = "en"
    page = client.post("/readouts/review", data=fields).get_data(as_text=True)
    assert "Read again as English" in page
    assert '<option value="en" selected>' in page
    fields["language"] = "xx"
    assert client.post("/readouts/review", data=fields).status_code == 400


# Issue 15: nothing lost silently, and the least sure first.
UNSURE = (
    "Japan-Canada Foreign Ministers' Meeting\n\n"
    "On March 3, Foreign Minister Taro Kono held a meeting with the Honourable Chrystia Freeland, "
    "Minister of Foreign Affairs of Canada. The overview is as follows.\n"
    "1. The two ministers confirmed that Japan and Canada will continue close cooperation on North Korea.\n"
    "2. Minister Kono stated that it was important that Japan and Canada continue to work together "
    "toward the success of the G7 Summit.\n"
    "3. The two ministers confirmed that Japan and Canada will work together to bring the CPTPP "
    "into force at an early date.\n"
)


def test_a_possible_undertaking_is_shown_and_one_click_makes_it_a_commitment(
    client_for: Client, world: World
) -> None:
    client = client_for("desk")
    page = _preview(client, UNSURE).get_data(as_text=True)
    assert "Possible undertakings — not extracted" in page
    assert "possible undertaking — not extracted" in page
    flag_quote = "Japan and Canada continue to work together toward the success of the G7 Summit"
    assert f'<a href="#q-flag-1">{flag_quote}</a>' in page
    assert '<a class="quote flag" href="#flag-1"' in page  # marked in the text too
    button = re.search(r'<button type="submit" name="promote" value="([\d:]+)"', page)
    assert button is not None
    fields = form_fields(page, "/readouts/review")
    fields["promote"] = button.group(1)
    response = client.post("/readouts/review", data=fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "is now commitment C2" in page
    assert "Possible undertakings — not extracted" not in page, "the flag became a commitment"
    assert 'id="c2_parties"' in page and 'id="c3_parties"' in page
    row = page.split('id="row-2"', 1)[1].split("</fieldset>", 1)[0]
    assert f'<blockquote><a href="#q-row-2">{flag_quote}</a></blockquote>' in row
    assert 'value="Japan; Canada"' in row and '<option value="event" selected>' in row
    assert "G7 Summit" in row and "is not in the event registry" in row
    fields = form_fields(page, "/readouts/review")
    fields["action"] = "save"
    assert client.post("/readouts/review", data=fields).status_code == 302
    with world.session() as s:
        quotes = s.scalars(
            select(Commitment.quote).join(Readout).where(Readout.text == UNSURE).order_by(Commitment.id)
        ).all()
    assert flag_quote in quotes and len(quotes) == 3


def test_the_least_sure_commitments_come_first_with_their_weak_fields_marked(client_for: Client) -> None:
    page = _preview(client_for("desk"), UNSURE).get_data(as_text=True)
    # C2 (a speed word with no event) comes before C1 (ongoing cooperation, read from its subject).
    assert page.index('id="row-2"') < page.index('id="row-1"')
    weak = page.split('id="row-2"', 1)[1].split("</fieldset>", 1)[0]
    assert 'data-check="first"' in page.split('id="row-2"', 1)[1][:40]
    assert "Check deadline:" in weak and "speed word &#39;at an early date&#39;" in weak
    sure = page.split('id="row-1"', 1)[1].split("</fieldset>", 1)[0]
    assert "Check" not in sure and "parties from the subject &#39;Japan and Canada&#39;" in sure
    assert '<td id="p2_why">&#39;important that&#39; reads as a position</td>' in page  # why each kind


def test_a_stale_promote_is_refused_with_a_message(client_for: Client, world: World) -> None:
    client = client_for("desk")
    before = _counts(world)
    fields = form_fields(_preview(client, UNSURE).get_data(as_text=True), "/readouts/review")
    fields["promote"] = "2:1:5"
    response = client.post("/readouts/review", data=fields)
    assert response.status_code == 400
    assert "no longer in the preview" in response.get_data(as_text=True)
    assert _counts(world) == before


def test_an_old_readout_is_stored_with_the_statuses_as_of_a_date(client_for: Client, world: World) -> None:
    """A readout three months old: one commitment already done, one in progress, reviews counted
    from the "as of" day, so that neither floods the lists as overdue or stale."""
    client = client_for("desk")
    page = _preview(client).get_data(as_text=True)
    today = NOW.date()
    assert "This readout is 3 months old" in page
    assert f'id="as_of" name="as_of" type="date" value="{today.isoformat()}"' in page
    fields = form_fields(page, "/readouts/review")
    assert fields["c1_status"] == "open"
    fields.update({"c1_status": "done", "c2_status": "in_progress", "action": "save"})
    assert client.post("/readouts/review", data=fields).status_code == 302
    with world.session() as s:
        readout = s.scalar(select(Readout).where(Readout.title == "Japan-Canada Foreign Ministers' Meeting"))
        assert readout is not None
        first, second = sorted(
            s.scalars(select(Commitment).where(Commitment.readout_id == readout.id)),
            key=lambda c: c.quote_start,
        )
        assert (first.status.value, second.status.value) == ("done", "in_progress")
        assert second.deadline_type.value == "ongoing"
        assert second.review_date == today + dt.timedelta(days=30), "the review counts from the as-of day"
        assert not second.is_stale(today) and not first.is_overdue(today)
        history = s.scalars(select(StatusChange).where(StatusChange.commitment_id == first.id)).all()
        assert [(h.field, h.old_value, h.new_value, h.note) for h in history] == [
            ("status", "open", "done", f"set in the preview as of {today.isoformat()}")
        ]


def test_an_as_of_date_before_the_meeting_is_refused(client_for: Client, world: World) -> None:
    client = client_for("desk")
    fields = form_fields(_preview(client).get_data(as_text=True), "/readouts/review")
    before = _counts(world)
    fields.update({"as_of": "2017-01-01", "c1_status": "done", "action": "save"})
    response = client.post("/readouts/review", data=fields)
    assert response.status_code == 400
    assert "Statuses as of: 2017-01-01 is before the meeting (2018-03-03)" in response.get_data(as_text=True)
    assert _counts(world) == before


def test_the_preview_shows_only_the_deadline_fields_of_each_type(client_for: Client) -> None:
    page = _preview(client_for("desk")).get_data(as_text=True)
    fields = form_fields(page, "/readouts/review")
    assert fields["c2_deadline_type"] == "ongoing"

    def shown(name: str) -> bool:
        tag = re.search(rf'<div class="field[^"]*"( data-for="\w+")?( hidden)?><label for="{name}"', page)
        assert tag is not None, name
        return tag.group(2) is None

    assert not any(shown(f"c2_{f}") for f in ("date", "event", "relation", "offset_days"))
    assert shown("c2_deadline_type") and shown("c2_deadline_text")
    assert fields["c1_deadline_type"] == "date"
    assert shown("c1_date") and not shown("c1_event")


def test_the_preview_gives_the_readout_to_the_desk_covering_its_counterpart(
    client_for: Client, world: World
) -> None:
    admin = client_for("admin")
    with world.session() as s:
        europe = s.scalar(select(Desk.id).where(Desk.name == "Europe Desk"))
    token = page_token(admin, "/admin/desks")
    saved = admin.post(
        f"/admin/desks/{europe}/countries", data={"csrf_token": token, "countries": "canada; EU"}
    )
    assert saved.status_code == 302
    page = admin.get("/admin/desks").get_data(as_text=True)
    assert 'value="Canada; European Union"' in page
    refused = admin.post(f"/admin/desks/{europe}/countries", data={"csrf_token": token, "countries": "Cnada"})
    assert refused.status_code == 400 and "not a country or organisation" in refused.get_data(as_text=True)
    # Only admins say which desk covers what.
    desk = client_for("desk")
    denied = desk.post(
        f"/admin/desks/{europe}/countries",
        data={"csrf_token": page_token(desk, "/settings"), "countries": ""},
    )
    assert denied.status_code == 403

    # A Japan-Canada readout ingested by a North America officer: the Europe Desk's, and its one
    # active officer's.
    response = _preview(desk)
    page = response.get_data(as_text=True)
    assert "Given to Europe Desk, which covers the readout" in page
    fields = form_fields(page, "/readouts/review")
    assert (fields["c1_desk"], fields["c1_owner"]) == (str(europe), str(world.ids["other"]))
    assert (fields["c2_desk"], fields["c2_owner"]) == (str(europe), str(world.ids["other"]))
    # A readout with no covered counterpart stays with the officer and their desk.
    other_text = TEXT.replace("Canada", "France").replace("Chrystia Freeland", "Jean-Yves Le Drian")
    fields = form_fields(_preview(desk, other_text).get_data(as_text=True), "/readouts/review")
    with world.session() as s:
        na = s.scalar(select(Desk.id).where(Desk.name == "North America Desk"))
    assert (fields["c1_desk"], fields["c1_owner"]) == (str(na), str(world.ids["desk"]))


# Issue 18: the extraction's reasons in the officer's language, the readout's words as they are.
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _speaks(world: World, language: str) -> None:
    with world.session() as s:
        officer = s.get(Officer, world.ids["desk"])
        assert officer is not None
        officer.language = language
        s.commit()


def _reasons(page: str) -> list[str]:
    """The preview's reasons: why each point has its kind and each field reads as it does."""
    soup = BeautifulSoup(page, "lxml")
    return [el.get_text(" ", strip=True) for el in soup.select('td[id$="_why"], .notes .extraction-note')]


def _promoted(client: FlaskClient) -> str:
    """The preview of UNSURE with its possible undertaking made a commitment (the officer's notes
    and the event registry's join the grammar's)."""
    page = _preview(client, UNSURE).get_data(as_text=True)
    button = re.search(r'<button type="submit" name="promote" value="([\d:]+)"', page)
    assert button is not None
    fields = form_fields(page, "/readouts/review")
    fields["promote"] = button.group(1)
    return client.post("/readouts/review", data=fields).get_data(as_text=True)


def test_the_preview_says_the_extractions_reasons_in_the_officers_language(
    client_for: Client, world: World
) -> None:
    extracted = extract(UNSURE, dt.date(2018, 3, 3))
    grammar = [*(p.kind_note.reason for p in extracted.points if p.kind_note)]
    grammar += [n.reason for c in extracted.commitments for n in c.notes]
    client = client_for("desk")
    _speaks(world, "en")
    english = _reasons(_preview(client, UNSURE).get_data(as_text=True))
    assert set(grammar) <= set(english), "an English officer reads the reasons as before"
    english_promoted = _reasons(_promoted(client))
    assert "from a possible undertaking ('continue to work'): check who undertakes it" in english_promoted
    assert "'G7 Summit' is not in the event registry: no due date until it is entered" in english_promoted
    _speaks(world, "ja")
    pages = [_preview(client, UNSURE).get_data(as_text=True), _promoted(client)]
    japanese = [_reasons(page) for page in pages]
    assert [len(r) for r in japanese] == [len(english), len(english_promoted)]
    for page in pages:
        shown = BeautifulSoup(page, "lxml").get_text(" ")
        assert not [r for r in {*english, *english_promoted} if r in shown], "no English reason left"
    for reason in {*japanese[0], *japanese[1]}:
        assert JAPANESE.search(reason), reason
        # Only the readout's words 「as quoted」 and the event's name stay as written.
        assert not re.search(r"[a-z]{2,}", re.sub(r"「[^」]*」", "", reason).replace("G7 Summit", "")), reason
    assert "「important that」から立場表明と判断" in japanese[0]
    assert "約束の候補（「continue to work」）から作成：約束した当事者を確認してください" in japanese[1]
    assert "「G7 Summit」は行事に登録されていません：登録されるまで期限は決まりません" in japanese[1]
    assert "約束を含む" in japanese[1] and "担当官が追加した約束を含む" in japanese[1]
