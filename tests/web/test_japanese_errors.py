"""Refusals in the officer's language (issue 18): the messages of tracker's services keep their
message id and values (tracker.services.errors), and the web app says them with its catalog; the
CLI and the API keep the English text (`str(exc)`)."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from tests.web.conftest import page_token
from tests.web.test_i18n import _set_language
from tests.world import World
from tracker.i18n import translations
from tracker.services.errors import InvalidInput, Message
from tracker.services.ingest_review import _as_of, _id
from tracker.services.restrictions import check_marking

Client = Callable[[str], FlaskClient]


def test_a_japanese_officer_reads_refusals_in_japanese(client_for: Client, world: World) -> None:
    _set_language(world, "desk", "ja")
    client = client_for("desk")
    token = page_token(client, "/settings")
    form = {"csrf_token": token, "timezone": "UTC", "digest_frequency": "weekly", "language": "xx"}
    page = client.post("/settings", data=form).get_data(as_text=True)
    assert (
        "不明な言語 &#39;xx&#39;：en, ja のいずれかを選んでください" in page
        and "unknown language" not in page
    )

    token = page_token(client, "/readouts/new")
    response = client.post(
        "/readouts/new",
        data={"csrf_token": token, "meeting_date": "2018-03-03", "document": (io.BytesIO(b"MZ"), "tool.exe")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "のファイルをアップロードしてください" in page
    assert "upload a" not in page

    response = client.get("/brief?party=Atlantis")
    assert response.status_code == 404 and "&#39;Atlantis&#39; という当事者はありません" in response.get_data(
        as_text=True
    )
    response = client.get("/brief?party=United+States&from=2018-07-01&to=2018-06-01")
    assert response.status_code == 400 and "開始日が終了日より後です" in response.get_data(as_text=True)


def test_an_english_officer_and_the_cli_read_them_as_they_were(client_for: Client, world: World) -> None:
    _set_language(world, "desk", "en")
    response = client_for("desk").get("/brief?party=Atlantis")
    assert "no party called &#39;Atlantis&#39;" in response.get_data(as_text=True)
    with pytest.raises(InvalidInput) as refused:
        check_marking("x" * 500)
    assert str(refused.value).startswith("the marking is 500 characters long; the limit is ")


def test_the_previews_list_of_problems_is_said_line_by_line() -> None:
    """The preview's corrections name the row a problem is in ("Commitment 3"): the label is a
    message of its own, translated inside the sentence."""
    errors: list[Message] = []
    _id("99", {1, 2}, Message("Commitment %(n)s", {"n": 3}), "owner", errors)
    _as_of("03/03/2018", None, errors)
    refused = InvalidInput(errors)
    assert str(refused) == (
        "Commitment 3: choose the owner from the list; "
        "Statuses as of: give a date as YYYY-MM-DD, not '03/03/2018'"
    )
    assert refused.said(translations("ja").gettext) == [
        "約束3：担当者を一覧から選んでください",
        "状況の基準日：'03/03/2018' ではなく YYYY-MM-DD 形式の日付を入力してください",
    ]
    with pytest.raises(InvalidInput) as marking:
        check_marking("x" * 500)
    [said] = marking.value.said(translations("ja").gettext)
    assert said.startswith("表示区分が500文字あります。上限は")
