"""The CLI's language (issue 18): what `tracker` echoes and its errors, through the web app's
gettext catalogs (tracker.i18n reads them without Flask).

The language is the group's `--language`, else TRACKER_LANGUAGE, else the locale of the
environment (LC_ALL, LC_MESSAGES, LANG: "ja_JP.UTF-8" is Japanese); English when none names a
language there is a catalog for. English is the text as written, byte for byte. Machine-readable
output (--json, CSV, ids, ISO dates) is never translated; --help stays English.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from tracker.i18n import N_, language_of, ngettext_in, say_in
from tracker.services.errors import ServiceError

__all__ = ["N_", "choose", "current", "ngettext", "said", "say", "word"]

_language = "en"


def from_environment(environ: Mapping[str, str] | None = None) -> str:
    """TRACKER_LANGUAGE, else the first of LC_ALL, LC_MESSAGES, LANG that is set ("ja_JP.UTF-8" -> "ja")."""
    env = os.environ if environ is None else environ
    chosen = env.get("TRACKER_LANGUAGE", "").strip()
    if not chosen:
        for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
            if env.get(name):
                chosen = env[name]
                break
    code = chosen.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return language_of(code)


def choose(option: str | None) -> str:
    """Set the language of this run: --language if given, else the environment's."""
    global _language
    _language = language_of(option.strip().lower()) if option else from_environment()
    return _language


def current() -> str:
    return _language


def say(msgid: str, **values: object) -> str:
    """gettext that formats, in this run's language: say("commitment %(id)s is now %(status)s", ...)."""
    return say_in(_language)(msgid, **values)


def ngettext(singular: str, plural: str, num: int, **values: object) -> str:
    return ngettext_in(_language)(singular, plural, num, **values)


# The words of a status or state whose catalog entry is not the value itself; English keeps the value.
WORDS = {
    "in_progress": N_("in progress"),
    "not_fulfilled": N_("not fulfilled"),
    "too_early": N_("too early"),
    # Whom an escalation went to (tracker.escalation's contacts).
    "head": N_("head of division"),
    # What a later readout reports about an earlier commitment (tracker.progress).
    "progress": N_("progress"),
    "reaffirmed": N_("reaffirmed"),
    # How a desk counts days (tracker.deadlines.DayCounter).
    "calendar days": N_("calendar days"),
}
# A digest's state: "pending" there means waiting to be sent, not waiting for a decision.
DIGEST_STATES = {"pending": N_("pending (digest state)"), "superseded": N_("superseded"), "sent": N_("sent")}


def word(value: str, words: Mapping[str, str] = WORDS) -> str:
    """A status, state or kind ("open", "pending", "event") in this run's language, in the catalog's
    terms (the web app's pages say them so); in English the value as stored."""
    if _language == "en" or not value:
        return value
    return say(words.get(value, value))


def said(exc: BaseException) -> str:
    """A refusal in this run's language: a service's messages from their ids, anything else as it is."""
    if isinstance(exc, ServiceError):
        gettext = say_in(_language)
        return ("；" if _language == "ja" else "; ").join(exc.said(lambda msgid: gettext(msgid)))
    return str(exc)
