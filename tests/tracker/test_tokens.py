"""API and feed tokens: stored hashed, shown once, revocable, refused for deactivated officers."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import NOW, make_officer
from tracker.models import ApiToken, TokenKind
from tracker.services.errors import InvalidInput, NotFound
from tracker.services.tokens import (
    authenticate_token,
    create_token,
    hash_token,
    list_tokens,
    revoke_token,
    token_to_dict,
)


def test_only_the_hash_is_stored_and_the_token_authenticates(session: Session) -> None:
    officer = make_officer(session)
    token, plaintext = create_token(session, officer, "api", "laptop script", NOW)

    stored = session.scalars(select(ApiToken.token_hash)).all()
    assert stored == [hash_token(plaintext)]
    assert plaintext not in stored and len(plaintext) >= 40
    assert token.name == "laptop script" and token.kind == TokenKind.API
    assert authenticate_token(session, plaintext, "api", NOW) is officer
    assert token.last_used_at == NOW
    assert "token_hash" not in token_to_dict(token) and plaintext not in str(token_to_dict(token))


def test_a_token_works_only_for_its_own_kind(session: Session) -> None:
    officer = make_officer(session)
    _api, api_plain = create_token(session, officer, TokenKind.API, "", NOW)
    _feed, feed_plain = create_token(session, officer, TokenKind.FEED, "", NOW)
    assert authenticate_token(session, api_plain, "feed", NOW) is None
    assert authenticate_token(session, feed_plain, "api", NOW) is None
    assert authenticate_token(session, feed_plain, "feed", NOW) is officer


def test_unknown_empty_and_oversized_tokens_are_refused(session: Session) -> None:
    make_officer(session)
    assert authenticate_token(session, "", "api", NOW) is None
    assert authenticate_token(session, "no-such-token", "api", NOW) is None
    assert authenticate_token(session, "x" * 10_000, "api", NOW) is None


def test_revoked_tokens_stop_working(session: Session) -> None:
    officer = make_officer(session)
    token, plaintext = create_token(session, officer, "api", "ci", NOW)
    later = NOW + dt.timedelta(hours=1)
    revoke_token(session, officer, token.id, later)
    assert token.revoked_at == later
    assert authenticate_token(session, plaintext, "api", later) is None
    # Revoking again keeps the first time.
    revoke_token(session, officer, token.id, later + dt.timedelta(hours=1))
    assert token.revoked_at == later


def test_a_deactivated_officers_tokens_stop_working(session: Session) -> None:
    officer = make_officer(session)
    _token, plaintext = create_token(session, officer, "api", "", NOW)
    officer.is_active = False
    assert authenticate_token(session, plaintext, "api", NOW) is None
    with pytest.raises(InvalidInput):
        create_token(session, officer, "api", "", NOW)


def test_nobody_revokes_another_officers_token(session: Session) -> None:
    owner = make_officer(session)
    other = make_officer(session)
    token, plaintext = create_token(session, owner, "api", "", NOW)
    with pytest.raises(NotFound):
        revoke_token(session, other, token.id, NOW)
    with pytest.raises(NotFound):
        revoke_token(session, owner, 999_999, NOW)
    assert authenticate_token(session, plaintext, "api", NOW) is owner
    # The operator at the command line (officer None) may revoke any token.
    revoke_token(session, None, token.id, NOW)
    assert authenticate_token(session, plaintext, "api", NOW) is None


def test_a_new_feed_token_replaces_the_old_one(session: Session) -> None:
    officer = make_officer(session)
    first, first_plain = create_token(session, officer, "feed", "", NOW)
    api, api_plain = create_token(session, officer, "api", "", NOW)
    second, second_plain = create_token(session, officer, "feed", "", NOW + dt.timedelta(minutes=5))
    assert first.revoked_at == NOW + dt.timedelta(minutes=5)
    assert authenticate_token(session, first_plain, "feed", NOW) is None
    assert authenticate_token(session, second_plain, "feed", NOW) is officer
    # API tokens are many per officer; a new feed leaves them alone.
    assert api.revoked_at is None and authenticate_token(session, api_plain, "api", NOW) is officer
    assert [t.id for t in list_tokens(session, officer, include_revoked=False)] == sorted(
        [api.id, second.id], reverse=True
    )


def test_last_used_is_written_at_most_once_a_minute(session: Session) -> None:
    officer = make_officer(session)
    token, plaintext = create_token(session, officer, "api", "", NOW)
    authenticate_token(session, plaintext, "api", NOW)
    authenticate_token(session, plaintext, "api", NOW + dt.timedelta(seconds=30))
    assert token.last_used_at == NOW
    authenticate_token(session, plaintext, "api", NOW + dt.timedelta(minutes=2))
    assert token.last_used_at == NOW + dt.timedelta(minutes=2)


def test_bad_kind_and_long_name_are_refused(session: Session) -> None:
    officer = make_officer(session)
    with pytest.raises(InvalidInput):
        create_token(session, officer, "admin", "", NOW)
    with pytest.raises(InvalidInput):
        create_token(session, officer, "api", "x" * 201, NOW)
