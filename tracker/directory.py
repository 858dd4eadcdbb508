"""Signing in against the ministry's directory (LDAP or Active Directory), with `ldap3`.

An officer the directory knows signs in with the directory's password only: the tracker finds
their entry (with its own search account, or anonymously), binds as them with the password
typed, reads their groups, and maps the groups to a role and a desk (TRACKER_LDAP_ROLE_GROUPS,
TRACKER_LDAP_DESK_GROUPS). Their officer row is created or brought up to date at every sign-in,
so a changed group changes the role and desk at the next one, and their local password, if they
had one, is cleared: a directory account must not keep a second way in that outlives its
disabling there. An email the directory does not know falls back to the local accounts (the
demo login, a break-glass admin), as does any local account while the directory is down.

Passwords only cross the network inside TLS: `ldaps://`, or `ldap://` with StartTLS, and the
server's certificate is always verified (TRACKER_LDAP_CA_FILE, else the system's store). A
disabled account (Active Directory's userAccountControl, `nsAccountLock`, an OpenLDAP
`pwdAccountLockedTime`, or membership of TRACKER_LDAP_DISABLED_GROUP) is refused even when its
password is right.
"""

from __future__ import annotations

import contextlib
import logging
import ssl
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ldap3 import NONE, SUBTREE, Connection, Server, Tls
from ldap3.core.exceptions import LDAPException, LDAPInvalidDnError
from ldap3.utils.conv import escape_filter_chars
from ldap3.utils.dn import parse_dn
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker.models import Officer, Role
from tracker.services.officers import authenticate, create_officer, get_or_create_desk

log = logging.getLogger(__name__)

DEFAULT_USER_FILTER = "(mail={email})"
DEFAULT_GROUP_FILTER = "(member={dn})"
# Highest first: an officer in several role groups gets the strongest role.
_ROLE_ORDER = (Role.ADMIN, Role.SUPERVISOR, Role.OFFICER)
# Active Directory's userAccountControl flag ACCOUNTDISABLE.
_AD_ACCOUNT_DISABLED = 0x2
# LDAP result code 49: the password (or, in AD, a disabled or expired account) was refused.
_INVALID_CREDENTIALS = 49
_NAME_LIMIT = 200


class DirectoryError(Exception):
    """Base of the directory's answers other than a signed-in account."""


class DirectoryUnavailable(DirectoryError):
    """The directory could not be reached, or refused the tracker's own search account."""


class NotInDirectory(DirectoryError):
    """The directory has no entry for this email: local accounts may answer instead."""


class DirectoryRefused(DirectoryError):
    """The directory knows the officer but does not let them in; `reason` says why (for logs, never users)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class DirectorySettings:
    """Where the directory is and how its groups map to roles and desks (TRACKER_LDAP_*)."""

    url: str
    user_base: str
    start_tls: bool = True
    ca_file: str | None = None
    bind_dn: str | None = None
    bind_password: str | None = field(default=None, repr=False)  # never in a log line
    user_filter: str = DEFAULT_USER_FILTER
    name_attribute: str = "displayName"
    # Empty: the groups are the user's `memberOf` values (Active Directory, OpenLDAP's memberof
    # overlay); else the groups under this base that match `group_filter`.
    group_base: str | None = None
    group_filter: str = DEFAULT_GROUP_FILTER
    role_groups: tuple[tuple[Role, str], ...] = ()
    desk_groups: tuple[tuple[str, str], ...] = ()
    disabled_group: str | None = None
    timeout_seconds: int = 5

    @property
    def uses_ssl(self) -> bool:
        """True for `ldaps://` (TLS from the first byte); `ldap://` relies on StartTLS."""
        return self.url.lower().startswith("ldaps://")


@dataclass(frozen=True)
class DirectoryAccount:
    """What the directory says about an officer who has just proved their password."""

    dn: str
    email: str
    name: str
    role: Role
    desk: str | None


def parse_group_map(raw: str, variable: str) -> tuple[tuple[str, str], ...]:
    """`NAME:GROUP DN;NAME:GROUP DN` as (name, dn) pairs, in order; ValueError naming `variable`."""
    pairs = []
    for item in raw.split(";"):
        if not item.strip():
            continue
        name, colon, dn = item.partition(":")
        if not colon or not name.strip() or not dn.strip():
            raise ValueError(f"{variable}: {item.strip()!r} is not NAME:GROUP DN")
        try:
            parse_dn(dn.strip())
        except LDAPInvalidDnError:
            raise ValueError(f"{variable}: {dn.strip()!r} is not a distinguished name") from None
        pairs.append((name.strip(), dn.strip()))
    return tuple(pairs)


def parse_role_groups(raw: str, variable: str) -> tuple[tuple[Role, str], ...]:
    """`ROLE:GROUP DN;...` with each ROLE one of the tracker's roles; ValueError naming `variable`."""
    roles = []
    for name, dn in parse_group_map(raw, variable):
        try:
            roles.append((Role(name.lower()), dn))
        except ValueError:
            choices = ", ".join(r.value for r in Role)
            raise ValueError(f"{variable}: unknown role {name!r} (choose from {choices})") from None
    return tuple(roles)


def settings_from_env(env: Mapping[str, str]) -> DirectorySettings | None:
    """The directory settings from TRACKER_LDAP_* variables; None when TRACKER_LDAP_URL is unset."""
    url = env.get("TRACKER_LDAP_URL", "").strip()
    if not url:
        return None
    if not url.lower().startswith(("ldap://", "ldaps://")):
        raise ValueError(f"TRACKER_LDAP_URL must start with ldaps:// or ldap://, got {url!r}")
    start_tls_raw = env.get("TRACKER_LDAP_STARTTLS", "true").strip().lower() or "true"
    if start_tls_raw not in {"1", "true", "yes", "on", "0", "false", "no", "off"}:
        raise ValueError(f"TRACKER_LDAP_STARTTLS must be true or false, got {start_tls_raw!r}")
    start_tls = start_tls_raw in {"1", "true", "yes", "on"}
    if url.lower().startswith("ldap://") and not start_tls:
        # Officers' passwords would cross the network in clear: there is no switch for that.
        raise ValueError("ldap:// with TRACKER_LDAP_STARTTLS off: use ldaps:// or StartTLS")
    user_base = env.get("TRACKER_LDAP_USER_BASE", "").strip()
    if not user_base:
        raise ValueError("TRACKER_LDAP_USER_BASE is needed with TRACKER_LDAP_URL")
    user_filter = env.get("TRACKER_LDAP_USER_FILTER", "").strip() or DEFAULT_USER_FILTER
    if "{email}" not in user_filter:
        raise ValueError("TRACKER_LDAP_USER_FILTER must contain {email}")
    group_filter = env.get("TRACKER_LDAP_GROUP_FILTER", "").strip() or DEFAULT_GROUP_FILTER
    if "{dn}" not in group_filter:
        raise ValueError("TRACKER_LDAP_GROUP_FILTER must contain {dn}")
    role_groups = parse_role_groups(env.get("TRACKER_LDAP_ROLE_GROUPS", ""), "TRACKER_LDAP_ROLE_GROUPS")
    desk_groups = parse_group_map(env.get("TRACKER_LDAP_DESK_GROUPS", ""), "TRACKER_LDAP_DESK_GROUPS")
    if not role_groups and not desk_groups:
        raise ValueError("TRACKER_LDAP_ROLE_GROUPS or TRACKER_LDAP_DESK_GROUPS must name at least one group")
    timeout_raw = env.get("TRACKER_LDAP_TIMEOUT_SECONDS", "").strip() or "5"
    if not timeout_raw.isdigit() or int(timeout_raw) < 1:
        raise ValueError(f"TRACKER_LDAP_TIMEOUT_SECONDS must be a whole number, got {timeout_raw!r}")
    return DirectorySettings(
        url=url,
        user_base=user_base,
        start_tls=start_tls,
        ca_file=env.get("TRACKER_LDAP_CA_FILE", "").strip() or None,
        bind_dn=env.get("TRACKER_LDAP_BIND_DN", "").strip() or None,
        bind_password=env.get("TRACKER_LDAP_BIND_PASSWORD") or None,
        user_filter=user_filter,
        name_attribute=env.get("TRACKER_LDAP_NAME_ATTRIBUTE", "").strip() or "displayName",
        group_base=env.get("TRACKER_LDAP_GROUP_BASE", "").strip() or None,
        group_filter=group_filter,
        role_groups=role_groups,
        desk_groups=desk_groups,
        disabled_group=env.get("TRACKER_LDAP_DISABLED_GROUP", "").strip() or None,
        timeout_seconds=int(timeout_raw),
    )


def _dn_key(dn: str) -> tuple[tuple[str, str], ...]:
    """A DN compared as LDAP does for our purposes: case and spaces between parts ignored."""
    try:
        return tuple((attr.strip().lower(), value.strip().lower()) for attr, value, _ in parse_dn(dn))
    except LDAPInvalidDnError:
        return (("", dn.strip().lower()),)


def _first(attributes: Mapping[str, Any], name: str) -> Any:
    value = attributes.get(name)
    if isinstance(value, list):
        return value[0] if value else None
    return value


def disabled_reason(attributes: Mapping[str, Any]) -> str | None:
    """Why the directory marks this entry disabled (AD, 389-DS/FreeIPA, OpenLDAP ppolicy), else None."""
    control = _first(attributes, "userAccountControl")
    if control not in (None, ""):
        try:
            flags = int(control)
        except ValueError:
            return f"userAccountControl is not a number ({control!r})"  # fail closed
        if flags & _AD_ACCOUNT_DISABLED:
            return "userAccountControl says the account is disabled"
    if str(_first(attributes, "nsAccountLock") or "").strip().lower() == "true":
        return "nsAccountLock is set"
    if _first(attributes, "pwdAccountLockedTime") not in (None, "", []):
        return "pwdAccountLockedTime is set (password policy lockout)"
    return None


def _clean_name(raw: Any, fallback: str) -> str:
    # The name reaches mail headers and pages: control and format characters (line breaks, bidi
    # overrides) become spaces, runs of spaces one, and it fits the column.
    spaced = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in str(raw or ""))
    text = " ".join(spaced.split())
    return text[:_NAME_LIMIT] or fallback


def map_groups(settings: DirectorySettings, groups: Iterable[str]) -> tuple[Role, str | None] | None:
    """The role and desk that `groups` give (strongest role; first desk in the settings' order),
    or None when no group of the settings is among them."""
    held = {_dn_key(dn) for dn in groups}
    roles = {role for role, dn in settings.role_groups if _dn_key(dn) in held}
    desks = [desk for desk, dn in settings.desk_groups if _dn_key(dn) in held]
    if not roles and not desks:
        return None
    role = next((r for r in _ROLE_ORDER if r in roles), Role.OFFICER)
    return role, desks[0] if desks else None


class _Directory:
    """One sign-in's conversation with the directory server."""

    def __init__(self, settings: DirectorySettings) -> None:
        self.settings = settings
        tls = Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=settings.ca_file)
        # get_info=NONE: no schema download (one round trip less, and attribute names that only
        # some directories know, such as userAccountControl, are not refused by a client check).
        self.server = Server(
            settings.url,
            use_ssl=settings.uses_ssl,
            tls=tls,
            get_info=NONE,
            connect_timeout=settings.timeout_seconds,
        )

    def connect(self, user: str | None, password: str | None) -> Connection:
        """An open connection inside TLS, to be bound as `user` (None: anonymous); LDAPException if down."""
        connection = Connection(
            self.server,
            user=user,
            password=password,
            receive_timeout=self.settings.timeout_seconds,
            read_only=True,
            raise_exceptions=False,
        )
        try:
            connection.open()
            if not self.settings.uses_ssl and not connection.start_tls():
                raise DirectoryUnavailable(f"StartTLS refused: {connection.result.get('description')}")
        except BaseException:
            _close(connection)
            raise
        return connection


def _close(connection: Connection) -> None:
    """Unbind and close the socket, whatever state a failed open or StartTLS left it in."""
    with contextlib.suppress(LDAPException):
        connection.unbind()
    if connection.socket is not None:
        connection.socket.close()


def check_directory(settings: DirectorySettings, email: str, password: str) -> DirectoryAccount:
    """The directory's account for `email` if `password` binds as it and it is enabled and in a mapped group.

    Raises NotInDirectory, DirectoryRefused (wrong password, disabled, no mapped group) or
    DirectoryUnavailable (down, TLS failure, the search account refused)."""
    email = email.strip().lower()
    if not password:
        # An empty password is an "unauthenticated bind" that LDAP servers answer with success.
        raise DirectoryRefused("empty password")
    directory = _Directory(settings)
    try:
        return _check(directory, settings, email, password)
    except LDAPException as exc:
        raise DirectoryUnavailable(f"{type(exc).__name__}: {exc}") from exc


def _check(directory: _Directory, settings: DirectorySettings, email: str, password: str) -> DirectoryAccount:
    searcher = directory.connect(settings.bind_dn, settings.bind_password)
    try:
        if settings.bind_dn and not searcher.bind():
            raise DirectoryUnavailable(f"search account refused: {searcher.result.get('description')}")
        attributes = ["mail", settings.name_attribute, "cn", "memberOf", "userAccountControl"]
        attributes += ["nsAccountLock", "pwdAccountLockedTime"]
        query = settings.user_filter.format(email=escape_filter_chars(email))
        found_any = searcher.search(settings.user_base, query, SUBTREE, attributes=attributes, size_limit=2)
        if not found_any and searcher.result.get("result") not in (0, None):
            raise DirectoryUnavailable(f"user search failed: {searcher.result.get('description')}")
        entries = list(searcher.response or [])
    finally:
        _close(searcher)
    entries = [e for e in entries if e.get("type") == "searchResEntry"]
    if not entries:
        raise NotInDirectory(email)
    if len(entries) > 1:
        raise DirectoryRefused(f"{len(entries)} entries match {email}")
    dn: str = entries[0]["dn"]
    found: dict[str, Any] = dict(entries[0]["attributes"])

    user = directory.connect(dn, password)
    try:
        if not user.bind():
            if user.result.get("result") == _INVALID_CREDENTIALS:
                detail = user.result.get("message") or "bad password"
                raise DirectoryRefused(f"bind refused for {dn}: {detail}")
            raise DirectoryRefused(f"bind refused for {dn}: {user.result.get('description')}")
        groups = _groups(user, settings, dn, found)
    finally:
        _close(user)

    reason = disabled_reason(found)
    disabled_group = _dn_key(settings.disabled_group) if settings.disabled_group else None
    if reason is None and disabled_group in {_dn_key(g) for g in groups}:
        reason = "member of the disabled group"
    if reason is not None:
        raise DirectoryRefused(f"{dn} is disabled: {reason}")
    mapped = map_groups(settings, groups)
    if mapped is None:
        raise DirectoryRefused(f"{dn} is in none of the tracker's groups")
    role, desk = mapped
    name = _clean_name(_first(found, settings.name_attribute) or _first(found, "cn"), email)
    return DirectoryAccount(dn=dn, email=email, name=name, role=role, desk=desk)


def _groups(user: Connection, settings: DirectorySettings, dn: str, found: Mapping[str, Any]) -> list[str]:
    """The DNs of the groups `dn` belongs to, read with the officer's own bind where searched."""
    if settings.group_base is None:
        member_of = found.get("memberOf") or []
        return [member_of] if isinstance(member_of, str) else list(member_of)
    query = settings.group_filter.format(dn=escape_filter_chars(dn))
    found_any = user.search(settings.group_base, query, SUBTREE, attributes=["cn"])
    if not found_any and user.result.get("result") not in (0, None):
        raise DirectoryUnavailable(f"group search failed: {user.result.get('description')}")
    return [e["dn"] for e in user.response or [] if e.get("type") == "searchResEntry"]


def record_sign_in(session: Session, account: DirectoryAccount) -> Officer | None:
    """Create or update the officer row from the directory's account; None if deactivated locally."""
    officer = session.scalar(select(Officer).where(func.lower(Officer.email) == account.email))
    if officer is None:
        try:
            with session.begin_nested():
                return create_officer(
                    session,
                    email=account.email,
                    name=account.name,
                    role=account.role.value,
                    desk=account.desk,
                )
        except IntegrityError:
            # A second first sign-in (another tab) made the row meanwhile: on PostgreSQL both
            # looked before either inserted. Take that row and bring it up to date as usual.
            officer = session.scalar(select(Officer).where(func.lower(Officer.email) == account.email))
            if officer is None:
                raise
    if not officer.is_active:
        # An admin's deactivation in the tracker stands, whatever the directory says.
        return None
    officer.name = account.name
    officer.role = account.role
    officer.desk = get_or_create_desk(session, account.desk) if account.desk else None
    officer.password_hash = None
    session.flush()
    return officer


def sign_in(
    open_session: Callable[[], Session], settings: DirectorySettings | None, email: str, password: str
) -> Officer | None:
    """The officer that `email` and `password` sign in as (directory first, then local), else None.

    `open_session` is called only after the directory has answered, so a slow directory never
    holds the database's write lock. Raises DirectoryUnavailable when the directory is down and no
    local account matches."""
    if settings is None:
        return authenticate(open_session(), email, password)
    try:
        account = check_directory(settings, email, password)
    except NotInDirectory:
        return authenticate(open_session(), email, password)
    except DirectoryRefused as exc:
        log.info("directory sign-in refused: %s", exc.reason)
        return None
    except DirectoryUnavailable as exc:
        log.error("the directory cannot be reached: %s", exc)
        officer = authenticate(open_session(), email, password)
        if officer is None:
            raise
        return officer
    return record_sign_in(open_session(), account)
