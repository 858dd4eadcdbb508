"""The pages' language (issue 18): Flask-Babel, the officer's own choice or else the browser's
preference, and dates and spans written in that language.

The catalogs live in web/translations (messages.pot, ja/LC_MESSAGES/messages.po and its compiled
.mo); `make messages` extracts, updates and compiles them (babel.cfg says where strings are)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask, has_request_context, request
from flask_babel import (
    Babel,
    format_date,
    format_timedelta,
    get_locale,
    get_translations,
    gettext,
    lazy_gettext,
    ngettext,
)
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

from tracker.deadline_text import describe_deadline
from tracker.extraction.types import FieldNote
from tracker.models import Commitment
from tracker.services.admin import LANGUAGES
from tracker.services.errors import ServiceError
from tracker.services.readout_links import LinkProposal

# Each language's name in itself, as a language menu shows it.
LANGUAGE_NAMES = {"en": "English", "ja": "日本語"}

# How a date is written in running text, per language: "12 Jun 2018" and "2018年6月12日".
DATE_PATTERNS = {"en": "d MMM y", "ja": "y年M月d日"}
# How a date is written in tables and facts: the English pages keep the ISO dates officers know
# from them ("2018-06-12"); a Japanese officer reads "2018年6月12日".
DAY_PATTERNS = {"en": "yyyy-MM-dd", "ja": "y年M月d日"}


def N_(text: str) -> str:
    """Mark a constant for the catalog (`make messages`) without translating it at import time;
    translate it with gettext(CONSTANT) where it is shown."""
    return text


def select_locale() -> str:
    """The officer's chosen language, else the best match of their browser's Accept-Language."""
    if not has_request_context():
        return "en"
    if current_user.is_authenticated:
        chosen = current_user.officer.language
        if chosen in LANGUAGES:
            return str(chosen)
    return request.accept_languages.best_match(LANGUAGES) or "en"


def language() -> str:
    """The language of the page being rendered ("en" or "ja")."""
    return str(get_locale() or "en")


def how_long(days: int | dt.timedelta) -> str:
    """A span as people say it: "3 days", "2 months", "8 years" (not "3096 d"); "8年" in Japanese."""
    span = days if isinstance(days, dt.timedelta) else dt.timedelta(days=days)
    if abs(span.days) < 14:
        # Under two weeks the day count is what an officer acts on ("overdue by 10 days", not
        # Babel's rounded "1 week").
        n = abs(span.days)
        return ngettext("%(num)d day", "%(num)d days", n)
    said = str(format_timedelta(span))
    # CLDR writes "8 年"; Japanese text puts no space between a number and its unit ("8年").
    return said.replace(" ", "") if language() == "ja" else said


def human_date(value: dt.date | None) -> str:
    """A date as people write it in running text: "12 Jun 2018", "2018年6月12日"."""
    if value is None:
        return "—"
    return str(format_date(value, DATE_PATTERNS.get(language(), DATE_PATTERNS["en"])))


def day(value: dt.date | None) -> str:
    """A date in a table or a list of facts: "2018-06-12" in English, "2018年6月12日" in Japanese."""
    if value is None:
        return "—"
    return str(format_date(value, DAY_PATTERNS.get(language(), DAY_PATTERNS["en"])))


def _template_callables(app: Flask) -> None:
    """`_()`, `gettext()` and `ngettext()` for the templates, that pass the values they fill in
    through the app's `finalize` like any other {{ value }}: Jinja's own would skip it, and a
    readout's hidden direction characters (web.security) would reach the page inside a sentence."""
    finalize = app.jinja_env.finalize or (lambda value: value)

    def fill(context: Any, text: str, values: dict[str, Any]) -> str:
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % {key: finalize(value) for key, value in values.items()} if values else text

    @pass_context
    def template_gettext(context: Any, string: str, **values: Any) -> str:
        return fill(context, get_translations().ugettext(string), values)

    @pass_context
    def template_ngettext(context: Any, singular: str, plural: str, num: int, **values: Any) -> str:
        values.setdefault("num", num)
        return fill(context, get_translations().ungettext(singular, plural, num), values)

    app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext, ngettext=template_ngettext)


def deadline_words(c: Commitment) -> str:
    """A commitment's deadline as people say it ("7 days after the G7 Summit (12 Jun 2018)",
    "G7サミットの7日後（2018年6月12日）"), in the page's language."""
    return describe_deadline(c, say=gettext, locale=language())


def reason(note: FieldNote) -> str:
    """Why the extraction read a field so ("parties from the subject 'the two ministers'"), in the
    page's language: the note's message id and values through the catalog (the readout's words
    stay as written); a note with no message id as its English reason."""
    return note.said(get_translations().ugettext)


def link_reasons(proposal: LinkProposal) -> str:
    """Why a stored readout is taken to report the same meeting ("met the same day; both name
    Japan, United States"), in the page's language; a proposal without message ids in English."""
    if not proposal.said:
        return "; ".join(proposal.reasons)
    gettext = get_translations().ugettext
    return ("；" if language() == "ja" else "; ").join(m.said(gettext) for m in proposal.said)


def init_app(app: Flask) -> None:
    """Flask-Babel on the app, its catalogs in web/translations, and the language filters."""
    Babel(app, locale_selector=select_locale)
    _template_callables(app)
    app.jinja_env.filters["how_long"] = how_long
    app.jinja_env.filters["human_date"] = human_date
    app.jinja_env.filters["deadline_words"] = deadline_words
    app.jinja_env.filters["day"] = day
    app.jinja_env.filters["reason"] = reason
    app.jinja_env.filters["link_reasons"] = link_reasons
    app.jinja_env.globals.update(language=language, LANGUAGE_NAMES=LANGUAGE_NAMES)


__all__ = [
    "LANGUAGE_NAMES",
    "N_",
    "day",
    "how_long",
    "human_date",
    "init_app",
    "lazy_gettext",
    "said",
    "said_text",
    "select_locale",
]


def said(exc: BaseException) -> list[str]:
    """What a refused request says, in the page's language: a service's messages (tracker.services.
    errors keeps each message id and its values) through the catalog; anything else as it is."""
    if isinstance(exc, ServiceError):
        return exc.said(get_translations().ugettext)
    return [str(exc)]


def said_text(exc: BaseException) -> str:
    """`said(exc)` as one sentence."""
    return ("；" if language() == "ja" else "; ").join(said(exc))
