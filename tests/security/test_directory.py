"""Signing in through the ministry's directory (issue 19), against a real slapd (tests/slapd.py).

slapd refuses every operation outside TLS, so each successful sign-in here also proves that the
tracker used StartTLS and verified the test CA's certificate for `localhost`.

- a directory officer signs in and gets the role and desk of their groups; the row is made at
  the first sign-in and follows a changed group at the next;
- a wrong or empty password, a disabled account (a disabled group, AD's userAccountControl,
  nsAccountLock), an account in no tracker group, and an officer deactivated in the tracker are
  refused; an email with filter characters matches nobody;
- a certificate the tracker does not trust, or that names another host, is refused;
- local accounts still sign in, also while the directory is down; otherwise a directory that
  is down gets a clear 503, not a 500;
- the settings refuse a directory without TLS and malformed group maps.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import threading
import time
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import Backend
from tests.factories import PASSWORD
from tests.jobs.conftest import free_port
from tests.slapd import (
    ADMINS,
    DESK_EU,
    DESK_NA,
    DISABLED,
    GROUPS,
    PEOPLE,
    SEARCH_DN,
    SEARCH_PASSWORD,
    SUPERVISORS,
    Slapd,
    slapd_available,
)
from tests.web.conftest import EU_DESK, NA_DESK, World, csrf_token
from tracker.config import Settings
from tracker.directory import (
    DirectoryRefused,
    DirectorySettings,
    DirectoryUnavailable,
    NotInDirectory,
    check_directory,
    disabled_reason,
    record_sign_in,
    sign_in,
)
from tracker.models import Officer, Role
from tracker.services.officers import create_officer
from web.auth import DIRECTORY_DOWN, LOGIN_FAILED


@pytest.fixture(scope="session")
def slapd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Slapd]:
    """One slapd for the whole test session (per xdist worker)."""
    if not slapd_available():
        pytest.fail("Debian's slapd is not installed: `make slapd` (make test runs it) installs it")
    server = Slapd(tmp_path_factory.mktemp("slapd"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def directory(slapd: Slapd) -> DirectorySettings:
    """The tracker's settings for the test directory, as TRACKER_LDAP_* would give them."""
    return DirectorySettings(
        url=slapd.url,
        user_base=PEOPLE,
        ca_file=str(slapd.ca_file),
        bind_dn=SEARCH_DN,
        bind_password=SEARCH_PASSWORD,
        group_base=GROUPS,
        role_groups=((Role.ADMIN, ADMINS), (Role.SUPERVISOR, SUPERVISORS)),
        desk_groups=((NA_DESK, DESK_NA), (EU_DESK, DESK_EU)),
        disabled_group=DISABLED,
        timeout_seconds=3,
    )


def _email(uid: str) -> str:
    return f"{uid}@ministry.example"


def _login(app: Flask, email: str, password: str) -> tuple[int, str]:
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    return response.status_code, response.get_data(as_text=True)


def _officer(world: World, email: str) -> Officer | None:
    with world.session() as session:
        officer = session.scalar(select(Officer).where(Officer.email == email))
        if officer is not None:
            _ = officer.desk  # loaded before the session closes
        return officer


def _down(directory: DirectorySettings) -> DirectorySettings:
    """The same directory settings pointing at a port where nothing listens."""
    return dataclasses.replace(directory, url=f"ldap://localhost:{free_port()}")


# --- the directory's answers (no database) ---------------------------------------------------


def test_groups_map_to_role_and_desk(directory: DirectorySettings) -> None:
    hana = check_directory(directory, _email("hana"), "hana-password")
    assert (hana.role, hana.desk, hana.name) == (Role.OFFICER, NA_DESK, "Hana Sato")
    assert hana.dn == f"uid=hana,{PEOPLE}"
    ken = check_directory(directory, _email("ken"), "ken-password")
    assert (ken.role, ken.desk) == (Role.SUPERVISOR, NA_DESK)
    # The email is matched as the directory does, whatever its case.
    aiko = check_directory(directory, "Aiko@Ministry.Example", "aiko-password")
    assert (aiko.role, aiko.desk, aiko.email) == (Role.ADMIN, EU_DESK, _email("aiko"))


def test_control_characters_in_a_directory_name_never_reach_the_officer(directory: DirectorySettings) -> None:
    # The name goes into digest mail headers: a line break there would add a header.
    eve = check_directory(directory, _email("eve"), "eve-password")
    assert eve.name == "Eve Ota Bcc: all@ministry.example"


def test_groups_from_member_of_when_no_group_base(directory: DirectorySettings) -> None:
    # Without a group base the tracker reads the entry's memberOf, as Active Directory keeps it
    # (the test directory carries it for hana and aiko only).
    on_entry = dataclasses.replace(directory, group_base=None)
    aiko = check_directory(on_entry, _email("aiko"), "aiko-password")
    assert (aiko.role, aiko.desk) == (Role.ADMIN, EU_DESK)
    hana = check_directory(on_entry, _email("hana"), "hana-password")
    assert (hana.role, hana.desk) == (Role.OFFICER, NA_DESK)
    with pytest.raises(DirectoryRefused, match="none of the tracker's groups"):
        check_directory(on_entry, _email("ken"), "ken-password")


def test_ldaps_signs_in_too(directory: DirectorySettings, slapd: Slapd) -> None:
    over_ldaps = dataclasses.replace(directory, url=slapd.ldaps_url)
    assert over_ldaps.uses_ssl
    assert check_directory(over_ldaps, _email("ken"), "ken-password").role == Role.SUPERVISOR
    with pytest.raises(DirectoryUnavailable, match="CERTIFICATE_VERIFY_FAILED"):
        check_directory(dataclasses.replace(over_ldaps, ca_file=None), _email("ken"), "ken-password")


def test_a_wrong_or_empty_password_is_refused(directory: DirectorySettings) -> None:
    with pytest.raises(DirectoryRefused, match="bind refused"):
        check_directory(directory, _email("hana"), "not-hanas-password")
    # LDAP treats a bind with an empty password as an anonymous bind that succeeds.
    with pytest.raises(DirectoryRefused, match="empty password"):
        check_directory(directory, _email("hana"), "")


@pytest.mark.parametrize(
    ("uid", "reason"),
    [
        ("ryo", "member of the disabled group"),
        ("yui", "userAccountControl"),
        ("taro", "nsAccountLock"),
    ],
)
def test_a_disabled_account_is_refused_with_the_right_password(
    directory: DirectorySettings, uid: str, reason: str
) -> None:
    with pytest.raises(DirectoryRefused, match=reason):
        check_directory(directory, _email(uid), f"{uid}-password")


def test_disabled_attributes_of_each_kind_of_directory() -> None:
    assert disabled_reason({"userAccountControl": 512}) is None  # a normal AD account
    assert disabled_reason({"userAccountControl": [514]}) is not None
    assert disabled_reason({"nsAccountLock": ["false"]}) is None
    assert disabled_reason({"nsAccountLock": "True"}) is not None
    assert disabled_reason({"pwdAccountLockedTime": ["20261203120000Z"]}) is not None
    assert disabled_reason({"userAccountControl": "garbled"}) is not None  # fail closed
    assert disabled_reason({}) is None


def test_an_account_in_no_tracker_group_is_refused(directory: DirectorySettings) -> None:
    with pytest.raises(DirectoryRefused, match="none of the tracker's groups"):
        check_directory(directory, _email("sora"), "sora-password")


def test_filter_characters_in_the_email_match_nobody(directory: DirectorySettings) -> None:
    for email in ("*", "*@ministry.example", "hana@ministry.example)(mail=*"):
        with pytest.raises(NotInDirectory):
            check_directory(directory, email, "hana-password")


def test_an_email_that_matches_several_entries_is_refused(directory: DirectorySettings) -> None:
    # A filter that matches everyone (a configuration mistake) must not sign in the first entry.
    loose = dataclasses.replace(directory, user_filter="(|(mail={email})(objectClass=inetOrgPerson))")
    with pytest.raises(DirectoryRefused, match="entries match"):
        check_directory(loose, _email("hana"), "hana-password")


def test_an_untrusted_or_misnamed_certificate_is_refused(directory: DirectorySettings, slapd: Slapd) -> None:
    # The system's CAs do not know the test CA: verification is on by default.
    with pytest.raises(DirectoryUnavailable, match="CERTIFICATE_VERIFY_FAILED"):
        check_directory(dataclasses.replace(directory, ca_file=None), _email("hana"), "hana-password")


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_certificate_for_another_host_is_refused(directory: DirectorySettings, slapd: Slapd) -> None:
    # The certificate names localhost; 127.0.0.1 is the same server under a name it does not
    # carry. (ldap3 drops the TLS socket it made before raising: the warning filter is for that.)
    misnamed = dataclasses.replace(directory, url=f"ldap://127.0.0.1:{slapd.port}")
    with pytest.raises(DirectoryUnavailable, match="doesn't match"):
        check_directory(misnamed, _email("hana"), "hana-password")


def test_a_directory_that_is_down_is_unavailable_at_once(directory: DirectorySettings) -> None:
    started = time.monotonic()
    with pytest.raises(DirectoryUnavailable):
        check_directory(_down(directory), _email("hana"), "hana-password")
    assert time.monotonic() - started < directory.timeout_seconds


# --- signing in through the app (SQLite and PostgreSQL) --------------------------------------


def test_a_directory_officer_signs_in_with_the_mapped_role_and_desk(
    world: World, directory: DirectorySettings
) -> None:
    app = world.make_app(directory=directory)
    status, _ = _login(app, _email("hana"), "hana-password")
    assert status == 302
    hana = _officer(world, _email("hana"))
    assert hana is not None and hana.desk is not None
    assert (hana.name, hana.role, hana.desk.name) == ("Hana Sato", Role.OFFICER, NA_DESK)
    assert hana.password_hash is None
    status, _ = _login(app, _email("aiko"), "aiko-password")
    aiko = _officer(world, _email("aiko"))
    assert status == 302 and aiko is not None and aiko.desk is not None
    assert (aiko.role, aiko.desk.name) == (Role.ADMIN, EU_DESK)


@pytest.mark.parametrize(
    ("uid", "password"),
    [
        ("hana", "not-hanas-password"),
        ("ryo", "ryo-password"),
        ("yui", "yui-password"),
        ("sora", "sora-password"),
    ],
)
def test_a_refused_directory_sign_in_gets_the_usual_answer_and_no_row(
    world: World, directory: DirectorySettings, uid: str, password: str
) -> None:
    status, page = _login(world.make_app(directory=directory), _email(uid), password)
    assert status == 200 and LOGIN_FAILED in page
    assert _officer(world, _email(uid)) is None


def test_a_changed_group_changes_role_and_desk_at_the_next_sign_in(
    world: World, directory: DirectorySettings, slapd: Slapd
) -> None:
    app = world.make_app(directory=directory)
    assert _login(app, _email("mio"), "mio-password")[0] == 302
    mio = _officer(world, _email("mio"))
    assert mio is not None and mio.desk is not None and (mio.role, mio.desk.name) == (Role.OFFICER, NA_DESK)
    slapd.move("mio", leave=DESK_NA, join=DESK_EU)
    slapd.move("mio", join=SUPERVISORS)
    try:
        assert _login(app, _email("mio"), "mio-password")[0] == 302
        mio = _officer(world, _email("mio"))
        assert mio is not None and mio.desk is not None
        assert (mio.role, mio.desk.name) == (Role.SUPERVISOR, EU_DESK)
        # Out of every tracker group: refused, and the row keeps what it had.
        slapd.move("mio", leave=DESK_EU)
        slapd.move("mio", leave=SUPERVISORS)
        assert _login(app, _email("mio"), "mio-password")[0] == 200
    finally:
        # The directory lives for the whole session (this test runs once per database).
        for group in (DESK_EU, SUPERVISORS):
            with contextlib.suppress(RuntimeError):  # not a member any more
                slapd.move("mio", leave=group)
        slapd.move("mio", join=DESK_NA)


@pytest.mark.committed
def test_two_first_sign_ins_at_once_make_one_officer(
    world: World, directory: DirectorySettings, backend: Backend
) -> None:
    if backend.name != "postgresql":
        pytest.skip("SQLite queues writers (BEGIN IMMEDIATE), so the second sign-in sees the first's row")
    account = check_directory(directory, _email("hana"), "hana-password")
    first, second = world.session(), world.session()
    outcome: dict[str, object] = {}

    def sign_in_again() -> None:
        try:
            officer = record_sign_in(second, account)
            second.commit()
            outcome["officer"] = officer.id if officer is not None else None
        except Exception as exc:  # the test reports it below
            outcome["error"] = exc

    try:
        made = record_sign_in(first, account)  # inserted, not yet committed
        assert made is not None
        other = threading.Thread(target=sign_in_again)
        other.start()
        time.sleep(0.5)  # the second insert now waits on the first's unique email
        first.commit()
        other.join(timeout=30)
        assert outcome == {"officer": made.id}
    finally:
        first.close()
        second.close()
    with world.session() as session:
        assert session.scalar(select(func.count()).where(Officer.email == _email("hana"))) == 1


def test_a_local_account_that_the_directory_knows_signs_in_only_through_it(
    world: World, directory: DirectorySettings
) -> None:
    with world.session() as session:
        create_officer(session, email=_email("ken"), name="Ken (local)", password="ken-local-password")
        session.commit()
    app = world.make_app(directory=directory)
    assert _login(app, _email("ken"), "ken-local-password")[0] == 200
    assert _login(app, _email("ken"), "ken-password")[0] == 302
    ken = _officer(world, _email("ken"))
    assert ken is not None and ken.role == Role.SUPERVISOR and ken.password_hash is None
    # The local password is gone: with the directory down it no longer signs in.
    assert _login(world.make_app(directory=_down(directory)), _email("ken"), "ken-local-password")[0] == 503


def test_an_officer_deactivated_in_the_tracker_stays_out(world: World, directory: DirectorySettings) -> None:
    app = world.make_app(directory=directory)
    assert _login(app, _email("hana"), "hana-password")[0] == 302
    with world.session() as session:
        hana = session.scalar(select(Officer).where(Officer.email == _email("hana")))
        assert hana is not None
        hana.is_active = False
        session.commit()
    status, page = _login(app, _email("hana"), "hana-password")
    assert status == 200 and LOGIN_FAILED in page


def test_a_local_account_still_signs_in(world: World, directory: DirectorySettings) -> None:
    assert _login(world.make_app(directory=directory), world.emails["desk"], PASSWORD)[0] == 302
    # ... also while the directory is down.
    assert _login(world.make_app(directory=_down(directory)), world.emails["desk"], PASSWORD)[0] == 302


def test_a_directory_that_is_down_gets_a_clear_503(world: World, directory: DirectorySettings) -> None:
    app = world.make_app(directory=_down(directory))
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"email": _email("hana"), "password": "hana-password", "csrf_token": token}
    )
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "60"
    assert "cannot be reached just now" in response.get_data(as_text=True)
    assert "cannot be reached just now" in DIRECTORY_DOWN
    assert _officer(world, _email("hana")) is None


def test_no_directory_password_reaches_the_logs(
    world: World, directory: DirectorySettings, caplog: pytest.LogCaptureFixture
) -> None:
    app = world.make_app(directory=directory)
    with caplog.at_level(logging.DEBUG):
        _login(app, _email("hana"), "hana-password")
        _login(app, _email("hana"), "hanas-wrong-password")
        _login(app, _email("ryo"), "ryo-password")
        _login(world.make_app(directory=_down(directory)), _email("ken"), "ken-password")
    # Nor does the settings' repr (the bind account's password), should anything log them.
    configured = Settings.from_env({**_BASE_ENV, "TRACKER_LDAP_BIND_PASSWORD": SEARCH_PASSWORD})
    logged = caplog.text + repr(configured) + repr(directory)
    assert "refused" in caplog.text and "cannot be reached" in caplog.text
    for secret in ("hana-password", "hanas-wrong-password", "ryo-password", "ken-password", SEARCH_PASSWORD):
        assert secret not in logged


def test_a_refused_directory_sign_in_never_opens_the_database(directory: DirectorySettings) -> None:
    # The request's session (and with it SQLite's write lock) is asked for only after the
    # directory has answered, and not at all when it refuses.
    def open_session() -> Session:
        raise AssertionError("the database was opened")

    assert sign_in(open_session, directory, _email("hana"), "not-hanas-password") is None


# --- settings ---------------------------------------------------------------------------------

_BASE_ENV = {
    "TRACKER_LDAP_URL": "ldaps://dc1.ministry.example",
    "TRACKER_LDAP_USER_BASE": PEOPLE,
    "TRACKER_LDAP_DESK_GROUPS": f"{NA_DESK}:{DESK_NA};{EU_DESK}:{DESK_EU}",
}


def test_settings_read_the_directory_from_the_environment() -> None:
    assert Settings.from_env({}).directory is None
    settings = Settings.from_env(
        {
            **_BASE_ENV,
            "TRACKER_LDAP_ROLE_GROUPS": f"admin:{ADMINS};Supervisor:{SUPERVISORS}",
            "TRACKER_LDAP_DISABLED_GROUP": DISABLED,
            "TRACKER_LDAP_CA_FILE": "/etc/ssl/ministry-ca.pem",
        }
    ).directory
    assert settings is not None and settings.uses_ssl
    assert settings.role_groups == ((Role.ADMIN, ADMINS), (Role.SUPERVISOR, SUPERVISORS))
    assert settings.desk_groups == ((NA_DESK, DESK_NA), (EU_DESK, DESK_EU))
    assert (settings.disabled_group, settings.ca_file, settings.group_base) == (
        DISABLED,
        "/etc/ssl/ministry-ca.pem",
        None,
    )


def test_the_environment_alone_configures_a_working_directory(slapd: Slapd) -> None:
    env = {
        "TRACKER_LDAP_URL": slapd.url,
        "TRACKER_LDAP_CA_FILE": str(slapd.ca_file),
        "TRACKER_LDAP_BIND_DN": SEARCH_DN,
        "TRACKER_LDAP_BIND_PASSWORD": SEARCH_PASSWORD,
        "TRACKER_LDAP_USER_BASE": PEOPLE,
        "TRACKER_LDAP_GROUP_BASE": GROUPS,
        "TRACKER_LDAP_ROLE_GROUPS": f"supervisor:{SUPERVISORS}",
        "TRACKER_LDAP_DESK_GROUPS": f"{NA_DESK}:{DESK_NA}",
        "TRACKER_LDAP_DISABLED_GROUP": DISABLED,
    }
    settings = Settings.from_env(env).directory
    assert settings is not None and settings.start_tls and not settings.uses_ssl
    ken = check_directory(settings, _email("ken"), "ken-password")
    assert (ken.role, ken.desk) == (Role.SUPERVISOR, NA_DESK)
    with pytest.raises(DirectoryRefused, match="disabled"):
        check_directory(settings, _email("ryo"), "ryo-password")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"TRACKER_LDAP_URL": "ldap://dc1", "TRACKER_LDAP_STARTTLS": "false"}, "StartTLS"),
        ({"TRACKER_LDAP_URL": "http://dc1"}, "ldaps://"),
        ({"TRACKER_LDAP_USER_BASE": ""}, "TRACKER_LDAP_USER_BASE"),
        ({"TRACKER_LDAP_DESK_GROUPS": "North America Desk"}, "NAME:GROUP DN"),
        ({"TRACKER_LDAP_DESK_GROUPS": "North America Desk:not a dn"}, "distinguished name"),
        ({"TRACKER_LDAP_ROLE_GROUPS": f"king:{ADMINS}"}, "unknown role"),
        ({"TRACKER_LDAP_DESK_GROUPS": ""}, "at least one group"),
        ({"TRACKER_LDAP_USER_FILTER": "(mail=*)"}, "{email}"),
        ({"TRACKER_LDAP_TIMEOUT_SECONDS": "soon"}, "TIMEOUT"),
    ],
)
def test_settings_refuse_a_directory_without_tls_or_with_bad_maps(
    change: dict[str, str], message: str
) -> None:
    with pytest.raises(ValueError, match=message.replace("{", r"\{").replace("}", r"\}")):
        Settings.from_env({**_BASE_ENV, **change})
