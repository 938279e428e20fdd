"""Signed tokens: what verifies, and every way a token can be wrong."""

from __future__ import annotations

from serving.tokens import TokenSigner, new_citizen_id


class Clock:
    def __init__(self) -> None:
        self.t = 1_000_000.0

    def __call__(self) -> float:
        return self.t


def test_staff_token_round_trip_and_expiry() -> None:
    clock = Clock()
    signer = TokenSigner("k" * 40, now=clock)
    token = signer.staff_token(7, 3, ttl_seconds=60)
    claims = signer.staff_claims(token)
    assert claims is not None and (claims.user_id, claims.token_version) == (7, 3)
    clock.t += 61
    assert signer.staff_claims(token) is None


def test_tampered_or_foreign_tokens_are_refused() -> None:
    signer = TokenSigner("secret-one-" * 4)
    token = signer.staff_token(1, 0, 600)
    kind, uid, version, expiry, sig = token.split(".")
    assert signer.staff_claims(".".join([kind, "2", version, expiry, sig])) is None  # other user
    assert signer.staff_claims(".".join([kind, uid, version, str(int(expiry) + 10**6), sig])) is None
    assert TokenSigner("secret-two-" * 4).staff_claims(token) is None  # other deployment
    assert signer.citizen_id(token) is None  # a staff token is not a citizen token
    for junk in ("", "s.1.0", "s.1.0.x.y", "c.é.1.x", "x" * 600):
        assert signer.staff_claims(junk) is None and signer.citizen_id(junk) is None


def test_citizen_token_carries_its_id() -> None:
    signer = TokenSigner("s" * 40)
    cid = new_citizen_id()
    assert len(cid) == 32
    assert signer.citizen_id(signer.citizen_token(cid, 60)) == cid
    assert signer.staff_claims(signer.citizen_token(cid, 60)) is None


def test_csrf_token_is_bound_to_the_session() -> None:
    signer = TokenSigner("s" * 40)
    a, b = signer.staff_token(1, 0, 60), signer.staff_token(2, 0, 60)
    assert signer.check_csrf(a, signer.csrf_token(a))
    assert not signer.check_csrf(a, signer.csrf_token(b))
    assert not signer.check_csrf(a, None)
