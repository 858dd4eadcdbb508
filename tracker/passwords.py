"""Password hashing: salted scrypt (memory-hard) from the standard library, in one place.

Hashes are written as `scrypt:N:r:p$salt$hex`, the format Werkzeug uses, so that the hashes
stored before this module existed (made with Werkzeug) verify unchanged, and these verify there.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string

# OWASP's scrypt parameters (N=2^15, r=8, p=1) and a 64-byte key: Werkzeug's defaults too.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
SALT_LENGTH = 16
_SALT_CHARS = string.ascii_letters + string.digits


def _scrypt(password: str, salt: str, n: int, r: int, p: int) -> str:
    # scrypt needs 128 * N * r * p bytes; a little headroom over OpenSSL's 32 MiB default cap.
    return hashlib.scrypt(
        password.encode(), salt=salt.encode(), n=n, r=r, p=p, maxmem=132 * n * r * p, dklen=64
    ).hex()


def hash_password(password: str) -> str:
    """A salted scrypt hash of `password`."""
    salt = "".join(secrets.choice(_SALT_CHARS) for _ in range(SALT_LENGTH))
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt:{SCRYPT_N}:{SCRYPT_R}:{SCRYPT_P}${salt}${digest}"


def verify_password(stored: str, password: str) -> bool:
    """True when `password` matches the stored hash; False for any other hash or a malformed one."""
    try:
        method, salt, expected = stored.split("$", 2)
        name, n, r, p = method.split(":")
        if name != "scrypt":
            return False
        actual = _scrypt(password, salt, int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)
