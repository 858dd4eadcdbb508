"""Personal API and calendar-feed tokens: made, listed, revoked and checked.

Only a token's SHA-256 hash is stored: a stolen database (or backup) yields no usable token.
A plain hash (no salt, no slow scheme) is enough because the token itself is 256 random bits,
and it keeps the lookup a single indexed equality.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from tracker.models import ApiToken, Officer, TokenKind
from tracker.services.errors import N_, InvalidInput, NotFound

TOKEN_BYTES = 32
MAX_NAME_LENGTH = 200
# A token longer than this cannot be one of ours; refusing it early saves hashing junk.
MAX_TOKEN_LENGTH = 200
# last_used_at is written at most this often per token, so that a busy API client does not
# turn every read into a write (and a lock on SQLite).
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def hash_token(plaintext: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def parse_kind(value: TokenKind | str) -> TokenKind:
    """`value` as a TokenKind, or InvalidInput naming the valid ones."""
    try:
        return TokenKind(value)
    except ValueError:
        raise InvalidInput(
            N_("unknown token kind %(value)r (choose from %(choices)s)"),
            value=value,
            choices=", ".join(k.value for k in TokenKind),
        ) from None


def create_token(
    session: Session, officer: Officer, kind: TokenKind | str, name: str, now: dt.datetime
) -> tuple[ApiToken, str]:
    """A new token for `officer` and its plaintext, which is shown once and never stored.

    An officer has one calendar feed: a new feed token revokes the previous one, so that
    "get a new feed URL" is also how a leaked one is shut.
    """
    kind = parse_kind(kind)
    if not officer.is_active:
        raise InvalidInput(N_("%(email)s is deactivated and cannot have tokens"), email=officer.email)
    name = (name or "").strip()
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidInput(
            N_("a token name has at most %(MAX_NAME_LENGTH)s characters"), MAX_NAME_LENGTH=MAX_NAME_LENGTH
        )
    if kind == TokenKind.FEED:
        for old in _active(session, officer, TokenKind.FEED):
            old.revoked_at = now
    plaintext = secrets.token_urlsafe(TOKEN_BYTES)
    token = ApiToken(
        officer=officer,
        kind=kind,
        name=name or ("calendar feed" if kind == TokenKind.FEED else "API token"),
        token_hash=hash_token(plaintext),
        created_at=now,
    )
    session.add(token)
    session.flush()
    return token, plaintext


def _active(session: Session, officer: Officer, kind: TokenKind) -> list[ApiToken]:
    return list(
        session.scalars(
            select(ApiToken).where(
                ApiToken.officer_id == officer.id, ApiToken.kind == kind, ApiToken.revoked_at.is_(None)
            )
        )
    )


def list_tokens(session: Session, officer: Officer, *, include_revoked: bool = True) -> list[ApiToken]:
    """The officer's tokens, newest first."""
    stmt = select(ApiToken).where(ApiToken.officer_id == officer.id)
    if not include_revoked:
        stmt = stmt.where(ApiToken.revoked_at.is_(None))
    return list(session.scalars(stmt.order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def get_token(session: Session, token_id: int) -> ApiToken:
    """The token with `token_id`, or NotFound."""
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(N_("no token with id %(token_id)s"), token_id=token_id)
    return token


def revoke_token(session: Session, officer: Officer | None, token_id: int, now: dt.datetime) -> ApiToken:
    """Revoke one of `officer`'s tokens (any officer's when `officer` is None: the operator's CLI).

    Another officer's token is reported as not found rather than forbidden, so that ids of
    other people's tokens cannot be probed. Revoking twice keeps the first revocation time.
    """
    token = session.get(ApiToken, token_id)
    if token is None or (officer is not None and token.officer_id != officer.id):
        raise NotFound(N_("no token with id %(token_id)s"), token_id=token_id)
    if token.revoked_at is None:
        token.revoked_at = now
        session.flush()
    return token


def revoke_all(session: Session, officer: Officer, now: dt.datetime) -> int:
    """Revoke every live token of `officer` (on deactivation: reactivating them revives none)."""
    tokens = list_tokens(session, officer, include_revoked=False)
    for token in tokens:
        token.revoked_at = now
    session.flush()
    return len(tokens)


def authenticate_token(
    session: Session, plaintext: str, kind: TokenKind | str, now: dt.datetime
) -> Officer | None:
    """The active officer whose unrevoked token of `kind` this is, else None."""
    kind = parse_kind(kind)
    if not plaintext or len(plaintext) > MAX_TOKEN_LENGTH:
        return None
    token = session.scalar(
        select(ApiToken)
        .where(ApiToken.token_hash == hash_token(plaintext), ApiToken.kind == kind)
        .options(joinedload(ApiToken.officer))
    )
    if token is None or token.revoked_at is not None or not token.officer.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
    return token.officer


def token_to_dict(token: ApiToken) -> dict[str, object]:
    """A token as shown to its owner: never the hash."""
    return {
        "id": token.id,
        "kind": token.kind.value,
        "name": token.name,
        "created_at": token.created_at.isoformat(),
        "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
        "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
    }
