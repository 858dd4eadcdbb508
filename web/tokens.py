"""Settings → API tokens: officers create and revoke their API tokens and calendar-feed URL.

A new token is shown once, in the answer to the POST that made it (never through a flash
message or a redirect: Flask's session cookie is signed, not encrypted).
"""

from __future__ import annotations

from flask import Blueprint, Response, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from tracker.models import Officer, TokenKind
from tracker.services.errors import NotFound
from tracker.services.tokens import MAX_NAME_LENGTH, create_token, list_tokens, revoke_token
from web.db import get_session, now, settings

bp = Blueprint("tokens", __name__, url_prefix="/settings/tokens")


class CreateTokenForm(FlaskForm):
    name = StringField(lazy_gettext("Name (what the token is for)"), validators=[Length(max=MAX_NAME_LENGTH)])


class NewFeedForm(FlaskForm):
    pass


class RevokeForm(FlaskForm):
    token_id = HiddenField(validators=[DataRequired(), Regexp(r"^\d{1,9}$")])


def _officer() -> Officer:
    officer: Officer = current_user.officer
    return officer


def _page(new_token: str | None = None, new_feed_url: str | None = None, status: int = 200) -> Response:
    tokens = list_tokens(get_session(), _officer())
    response = make_response(
        render_template(
            "tokens.html",
            title=gettext("API tokens and calendar feed"),
            api_tokens=[t for t in tokens if t.kind == TokenKind.API],
            feed_tokens=[t for t in tokens if t.kind == TokenKind.FEED],
            create_form=CreateTokenForm(formdata=None),
            feed_form=NewFeedForm(formdata=None),
            revoke_form=RevokeForm(formdata=None),
            new_token=new_token,
            new_feed_url=new_feed_url,
            api_docs_url=url_for("api.docs"),
        ),
        status,
    )
    # The page can show a secret once; no cache may keep it.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("")
@login_required
def index() -> Response:
    return _page()


@bp.post("/api")
@login_required
def create_api_token() -> Response:
    form = CreateTokenForm()
    if not form.validate_on_submit():
        flash(
            gettext(
                "The token could not be made: %(reasons)s",
                reasons="; ".join(e for errs in form.errors.values() for e in errs),
            ),
            "error",
        )
        return _page(status=400)
    _token, plaintext = create_token(get_session(), _officer(), TokenKind.API, form.name.data or "", now())
    return _page(new_token=plaintext)


@bp.post("/feed")
@login_required
def new_feed() -> Response:
    if not NewFeedForm().validate_on_submit():
        flash(gettext("The request was refused; reload the page and try again."), "error")
        return _page(status=400)
    _token, plaintext = create_token(get_session(), _officer(), TokenKind.FEED, "calendar feed", now())
    return _page(new_feed_url=f"{settings().base_url}{url_for('feeds.feed', token=plaintext)}")


@bp.post("/revoke")
@login_required
def revoke() -> Response:
    form = RevokeForm()
    if not form.validate_on_submit():
        flash(gettext("The request was refused; reload the page and try again."), "error")
        return _page(status=400)
    try:
        token = revoke_token(get_session(), _officer(), int(form.token_id.data or 0), now())
    except NotFound:
        flash(gettext("No such token."), "error")
        return _page(status=404)
    flash(gettext("Revoked “%(name)s”: it no longer works.", name=token.name), "info")
    response: Response = redirect(url_for("tokens.index"), 303)  # type: ignore[assignment]
    return response
