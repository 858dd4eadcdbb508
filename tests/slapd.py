"""A real OpenLDAP server (Debian's slapd) for the directory sign-in tests.

`Slapd.start(tmp)` writes a test CA and a server certificate for `localhost` (the `cryptography`
package), a slapd.conf with the suffix dc=example,dc=org that refuses every operation outside
TLS (`security tls=1`, so a client that skipped StartTLS fails), loads `LDIF` with slapadd, and
runs slapd in the foreground (`-d 0`: it never forks, so it dies with the test run) on a free
loopback port. `make test` installs slapd and ldap-utils (Makefile target `slapd`).
"""

from __future__ import annotations

import base64
import datetime as dt
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from ldap3 import MODIFY_ADD, MODIFY_DELETE, NONE, Connection, Server, Tls

from tests.jobs.conftest import free_port

SLAPD = "/usr/sbin/slapd"
SLAPADD = "/usr/sbin/slapadd"
SUFFIX = "dc=example,dc=org"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PASSWORD = "root-secret"
SEARCH_DN = f"cn=tracker,ou=services,{SUFFIX}"
SEARCH_PASSWORD = "search-secret"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
ADMINS = f"cn=tracker-admins,{GROUPS}"
SUPERVISORS = f"cn=tracker-supervisors,{GROUPS}"
DESK_NA = f"cn=desk-north-america,{GROUPS}"
DESK_EU = f"cn=desk-europe,{GROUPS}"
DISABLED = f"cn=tracker-disabled,{GROUPS}"

# Active Directory's userAccountControl and memberOf, and 389-DS's nsAccountLock (their real
# OIDs), so that the test directory can disable an account and list its groups on the entry the
# way those directories do.
_SCHEMA = """
attributetype ( 1.2.840.113556.1.2.102 NAME 'memberOf' SUP distinguishedName )
attributetype ( 1.2.840.113556.1.4.8 NAME 'userAccountControl'
  EQUALITY integerMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
attributetype ( 2.16.840.1.113730.3.1.610 NAME 'nsAccountLock'
  EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
objectclass ( 1.3.6.1.4.1.4203.666.100.1 NAME 'trackerTestAccount' SUP top AUXILIARY
  MAY ( userAccountControl $ nsAccountLock $ memberOf ) )
"""


def _person(uid: str, name: str, password: str, extra: str = "") -> str:
    return (
        f"""dn: uid={uid},{PEOPLE}
objectClass: inetOrgPerson
objectClass: trackerTestAccount
uid: {uid}
cn: {name}
sn: {name.split()[-1]}
displayName: {name}
mail: {uid}@ministry.example
userPassword: {password}
"""
        + (f"{extra}\n" if extra else "")
        + "\n"
    )


def _group(dn: str, *members: str) -> str:
    lines = "".join(f"member: uid={m},{PEOPLE}\n" for m in members)
    return f"dn: {dn}\nobjectClass: groupOfNames\ncn: {dn.split(',')[0][3:]}\n{lines}\n"


_HOSTILE_NAME = base64.b64encode(b"Eve Ota\r\nBcc: all@ministry.example").decode()

# Every person's password is "<uid>-password".
LDIF = (
    f"""dn: {SUFFIX}
objectClass: dcObject
objectClass: organization
o: Example Ministry
dc: example

dn: {PEOPLE}
objectClass: organizationalUnit
ou: people

dn: {GROUPS}
objectClass: organizationalUnit
ou: groups

dn: ou=services,{SUFFIX}
objectClass: organizationalUnit
ou: services

dn: {SEARCH_DN}
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: tracker
userPassword: {SEARCH_PASSWORD}

"""
    + _person("hana", "Hana Sato", "hana-password", f"memberOf: {DESK_NA}")
    + _person("ken", "Ken Mori", "ken-password")
    + _person("aiko", "Aiko Ito", "aiko-password", f"memberOf: {ADMINS}\nmemberOf: {DESK_EU}")
    + _person("ryo", "Ryo Abe", "ryo-password")
    + _person("yui", "Yui Oda", "yui-password", "userAccountControl: 514")
    + _person("taro", "Taro Kato", "taro-password", "nsAccountLock: TRUE")
    + _person("mio", "Mio Ueda", "mio-password")
    + _person("sora", "Sora Endo", "sora-password")
    # A display name with a line break and a mail header in it (LDIF base64, `::`).
    + f"""dn: uid=eve,{PEOPLE}
objectClass: inetOrgPerson
uid: eve
cn: Eve Ota
sn: Ota
displayName:: {_HOSTILE_NAME}
mail: eve@ministry.example
userPassword: eve-password

"""
    + _group(ADMINS, "aiko")
    + _group(SUPERVISORS, "ken")
    + _group(DESK_NA, "hana", "ken", "ryo", "yui", "taro", "mio", "eve")
    + _group(DESK_EU, "aiko")
    + _group(DISABLED, "ryo")
)


def _certificates(tmp: Path) -> tuple[Path, Path, Path]:
    """A test CA (ca.pem) and a `localhost` certificate it signed (cert.pem, key.pem)."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "tracker test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    paths = tmp / "ca.pem", tmp / "cert.pem", tmp / "key.pem"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return paths


class Slapd:
    """A running slapd on localhost:`port` (StartTLS) and `ldaps_port` with the test directory;
    `ca_file` verifies its certificate."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.port = free_port()
        self.url = f"ldap://localhost:{self.port}"
        self.ldaps_port = free_port()
        self.ldaps_url = f"ldaps://localhost:{self.ldaps_port}"
        self.ca_file, cert, key = _certificates(tmp)
        (tmp / "data").mkdir()
        (tmp / "tracker-test.schema").write_text(_SCHEMA)
        self.conf = tmp / "slapd.conf"
        self.conf.write_text(
            "\n".join(
                [
                    *(f"include /etc/ldap/schema/{s}.schema" for s in ("core", "cosine", "inetorgperson")),
                    f"include {tmp / 'tracker-test.schema'}",
                    f"pidfile {tmp / 'slapd.pid'}",
                    "modulepath /usr/lib/ldap",
                    "moduleload back_mdb",
                    f"TLSCACertificateFile {self.ca_file}",
                    f"TLSCertificateFile {cert}",
                    f"TLSCertificateKeyFile {key}",
                    # No operation without TLS: a client that skipped StartTLS gets refused.
                    "security tls=1",
                    "access to attrs=userPassword by anonymous auth by * none",
                    "access to * by users read by * none",
                    "database mdb",
                    f'suffix "{SUFFIX}"',
                    f'rootdn "{ROOT_DN}"',
                    f"rootpw {ROOT_PASSWORD}",
                    f"directory {tmp / 'data'}",
                    "maxsize 10485760",
                    "",
                ]
            )
        )
        (tmp / "test.ldif").write_text(LDIF)
        subprocess.run(
            [SLAPADD, "-q", "-f", str(self.conf), "-l", str(tmp / "test.ldif")],
            capture_output=True,
            text=True,
        ).check_returncode()
        self.log = (tmp / "slapd.log").open("wb")
        self.process = subprocess.Popen(
            [
                *(SLAPD, "-d", "0", "-f", str(self.conf)),
                *("-h", f"ldap://127.0.0.1:{self.port}/ ldaps://127.0.0.1:{self.ldaps_port}/"),
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"slapd exited: {(self.tmp / 'slapd.log').read_text()}")
            try:
                for port in (self.port, self.ldaps_port):
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("slapd did not start listening in 15 s")

    def admin(self) -> Connection:
        """A StartTLS connection bound as the directory's root, for changing entries in a test."""
        tls = Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=str(self.ca_file))
        connection = Connection(
            Server(self.url, tls=tls, get_info=NONE), user=ROOT_DN, password=ROOT_PASSWORD
        )
        connection.open()
        connection.start_tls()
        connection.bind()
        return connection

    def move(self, uid: str, *, leave: str | None = None, join: str | None = None) -> None:
        """Take `uid` out of group `leave` and into group `join`."""
        member = f"uid={uid},{PEOPLE}"
        connection = self.admin()
        try:
            for group, op in ((leave, MODIFY_DELETE), (join, MODIFY_ADD)):
                if group is not None and not connection.modify(group, {"member": [(op, [member])]}):
                    raise RuntimeError(f"modify {group}: {connection.result}")
        finally:
            connection.unbind()

    def stop(self) -> None:
        """Stop slapd and close its log."""
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def slapd_available() -> bool:
    """Whether Debian's slapd and slapadd are installed (make test installs them)."""
    return shutil.which(SLAPD) is not None and shutil.which(SLAPADD) is not None
