"""bot/store/base.py: the key user ids are hashed with, and the hash itself."""

from __future__ import annotations

import pytest

from bot.store.base import check_vote, derive_user_key, hash_user

ALICE = 123456789012345678
BOB = 876543210987654321


def test_derive_user_key() -> None:
    assert derive_user_key("my secret", "token") == b"my secret"
    from_token = derive_user_key(None, "token")
    assert from_token == derive_user_key("", "token")  # an empty setting counts as unset
    assert from_token != b"token"  # derived, not the token itself
    assert len(from_token) == 32
    assert derive_user_key(None, "other token") != from_token
    with pytest.raises(ValueError, match="STUDYBOT_USER_HASH_KEY"):
        derive_user_key(None, "")


def test_user_hash_is_stable_per_key_and_differs_between_keys() -> None:
    digest = hash_user(b"key", ALICE)

    assert len(digest) == 64
    assert int(digest, 16) >= 0
    assert hash_user(b"key", ALICE) == digest
    assert hash_user(b"key", BOB) != digest
    assert hash_user(b"another key", ALICE) != digest
    assert str(ALICE) not in digest


@pytest.mark.parametrize("vote", [0, 2, -2])
def test_only_plus_and_minus_one_are_votes(vote: int) -> None:
    check_vote(1)
    check_vote(-1)
    with pytest.raises(ValueError, match=f"not {vote}"):
        check_vote(vote)
