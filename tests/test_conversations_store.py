"""Stored conversation references (Teams' proactive messages), on both engines."""

from __future__ import annotations

import datetime as dt

import pytest

from duediligence import Store

AT = dt.datetime(2021, 3, 15, 10, 0, tzinfo=dt.UTC)


@pytest.mark.both_engines
def test_a_reference_is_saved_refreshed_and_found(store: Store) -> None:
    assert store.conversation_ref("aad-1") is None
    assert store.latest_conversation_ref() is None
    with store.transaction():
        store.save_conversation(
            "aad-1", conversation="a:1", service_url="https://s/", tenant="t", at=AT
        )
        store.save_conversation(
            "channel:19:x",
            conversation="19:x",
            service_url="https://s2/",
            tenant="t",
            at=AT + dt.timedelta(minutes=1),
        )
    assert store.conversation_ref("aad-1").conversation == "a:1"  # type: ignore[union-attr]
    assert store.latest_conversation_ref().key == "channel:19:x"  # type: ignore[union-attr]
    with store.transaction():
        store.save_conversation(
            "aad-1",
            conversation="a:2",
            service_url="https://s3/",
            tenant="t",
            at=AT + dt.timedelta(minutes=2),
        )
    ref = store.conversation_ref("aad-1")
    assert ref is not None and (ref.conversation, ref.service_url) == ("a:2", "https://s3/")
    assert store.latest_conversation_ref().key == "aad-1"  # type: ignore[union-attr]


@pytest.mark.both_engines
def test_aliases_of_a_user(store: Store) -> None:
    assert store.aliases_of("aad-1") == []
    with store.transaction():
        store.link_user("Shuno@City.example.lg.jp", "aad-1")
    assert store.aliases_of("aad-1") == ["shuno@city.example.lg.jp"]
