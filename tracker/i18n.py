"""The language of what the domain writes outside a web page (issue 18): the reminder digest and
the pre-meeting brief, in the language the officer chose.

The domain imports no Flask: it reads the web app's own catalogs (web/translations, the .mo files
`make messages` compiles and commits) with Babel's `Translations`, and gives its Jinja2
environments the i18n extension with those translations installed. `make messages` extracts the
domain's strings too (babel.cfg names the modules and templates). English is the text as written:
no catalog is read for it, so an English digest or brief is exactly what it was before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Protocol

from babel.dates import format_date, format_timedelta
from babel.support import NullTranslations, Translations
from jinja2 import Environment

from tracker.history_text import Say, human_date
from tracker.services.admin import LANGUAGES

# The web app's catalog directory: one set of catalogs for the pages, the digests and the brief.
CATALOGS = Path(__file__).resolve().parents[1] / "web" / "translations"
# How a date is written in a list or a subject: the ISO dates English officers know
# ("2018-06-12"); "2018年6月12日" in Japanese (as the web app's tables write them).
DAY_PATTERNS = {"ja": "y年M月d日"}


def N_(text: str) -> str:
    """Mark a constant for the catalog (`make messages`); translate it where it is written out."""
    return text


def language_of(chosen: str | None) -> str:
    """A language there is a catalog for: `chosen` if there is one for it, else English."""
    return chosen if chosen in LANGUAGES else "en"


class _Reader(Protocol):
    language: str | None
    browser_language: str | None


def mail_language(officer: _Reader) -> str:
    """The language of an officer's mail (digests, notices): the one they chose, else the one their
    browser asked for at their last login (their pages' language), else English."""
    return language_of(officer.language or officer.browser_language)


@cache
def translations(locale: str) -> NullTranslations:
    """The catalog for `locale`; English (and any language without a catalog) is the text as written."""
    if locale == "en":
        return NullTranslations()
    return Translations.load(str(CATALOGS), [locale], domain="messages")


def say_in(locale: str) -> Say:
    """A gettext that formats, in `locale`: say("%(n)s overdue", n=3)."""
    catalog = translations(locale)

    def say(msgid: str, **values: object) -> str:
        text = catalog.gettext(msgid)
        return text % values if values else text

    return say


def ngettext_in(locale: str) -> Callable[..., str]:
    """ngettext that formats, in `locale`; `num` is filled in as well: ("%(num)d day", "%(num)d days", n)."""
    catalog = translations(locale)

    def ngettext(singular: str, plural: str, num: int, **values: object) -> str:
        return catalog.ngettext(singular, plural, num) % {"num": num, **values}

    return ngettext


def how_long(days: int | dt.timedelta, locale: str) -> str:
    """A span as people say it ("3 days", "8 years"; "3日", "8年"), as the web app's pages say it."""
    span = days if isinstance(days, dt.timedelta) else dt.timedelta(days=days)
    if abs(span.days) < 14:
        return ngettext_in(locale)("%(num)d day", "%(num)d days", abs(span.days))
    said = str(format_timedelta(span, locale=locale))
    # CLDR writes "8 年"; Japanese text puts no space between a number and its unit.
    return said.replace(" ", "") if locale == "ja" else said


def date_in(value: dt.date | None, locale: str) -> str:
    """A date in running text: "12 Jun 2018", "2018年6月12日"."""
    return human_date(value, say=say_in(locale), locale=locale) if value is not None else "—"


def day_in(value: dt.date, locale: str) -> str:
    """A date in a list, a subject or a fact: "2018-06-12" in English, "2018年6月12日" in Japanese."""
    pattern = DAY_PATTERNS.get(locale)
    return value.isoformat() if pattern is None else str(format_date(value, pattern, locale=locale))


def localized(make: Callable[[], Environment], locale: str, cache_: dict[str, Environment]) -> Environment:
    """The Jinja2 environment `make()` builds, with the i18n extension and `locale`'s translations
    installed (newstyle: `_("%(n)s more", n=3)` formats and escapes its values); one per language,
    built once, so that two renders in two languages never share installed translations."""
    env = cache_.get(locale)
    if env is None:
        env = make()
        env.add_extension("jinja2.ext.i18n")
        env.install_gettext_translations(translations(locale), newstyle=True)  # type: ignore[attr-defined]
        env.globals["language"] = locale
        cache_[locale] = env
    return env
