"""Short numeric codes sent by SMS (sign-in codes, customer-link codes): drawn from `secrets`,
stored only as a salted HMAC keyed by SECRET_KEY, compared in constant time."""

import hashlib
import hmac
import secrets


def draw_code(length: int) -> str:
    return str(secrets.randbelow(10**length)).zfill(length)


def new_salt() -> str:
    return secrets.token_hex(16)


def hash_code(code: str, salt: str, *, purpose: str = "") -> str:
    """`purpose` keeps one kind of code's hashes useless for another kind."""
    from django.conf import settings

    scope = f"{purpose}:" if purpose else ""
    key = f"{settings.SECRET_KEY}:{scope}{salt}".encode()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def code_matches(stored_hash: str, code: str, salt: str, *, purpose: str = "") -> bool:
    return bool(stored_hash) and hmac.compare_digest(stored_hash, hash_code(code, salt, purpose=purpose))
