"""Password hashes: salted scrypt in Werkzeug's format, so that hashes stored before either way verify."""

from __future__ import annotations

from werkzeug.security import check_password_hash, generate_password_hash

from tracker.passwords import hash_password, verify_password

PASSWORD = "correct horse battery"


def test_a_hash_verifies_its_password_only_and_is_salted() -> None:
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first.startswith("scrypt:32768:8:1$") and first != second
    assert verify_password(first, PASSWORD) and verify_password(second, PASSWORD)
    assert not verify_password(first, PASSWORD + "x")
    assert PASSWORD not in first


def test_hashes_made_by_werkzeug_verify_and_ours_verify_in_werkzeug() -> None:
    stored = generate_password_hash(PASSWORD, method="scrypt")
    assert verify_password(stored, PASSWORD) and not verify_password(stored, "wrong password")
    assert check_password_hash(hash_password(PASSWORD), PASSWORD)


def test_malformed_or_other_hashes_never_verify() -> None:
    for stored in ("", "scrypt", "scrypt:1:2$salt", "pbkdf2:sha256:600000$salt$00", "plain-text"):
        assert not verify_password(stored, PASSWORD)
