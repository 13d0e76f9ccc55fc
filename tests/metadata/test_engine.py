"""The engine's own machinery (its precedence rules are tested through the API)."""

from __future__ import annotations


def test_codec_memo_is_per_thread() -> None:
    """A writer thread's ``forget`` leaves other threads' remembered readings alone."""
    import threading

    from captions.metadata import engine

    calls: list[bytes] = []

    def decode(payload: bytes) -> tuple[dict[str, str], list[str]]:
        calls.append(payload)
        return {"city": payload.decode()}, []

    engine.forget()
    assert engine._decode(decode, b"Lyon")[0] == {"city": "Lyon"}
    assert engine._decode(decode, b"Lyon")[0] == {"city": "Lyon"}
    assert calls == [b"Lyon"]
    other = threading.Thread(target=engine.forget)
    other.start()
    other.join()
    engine._decode(decode, b"Lyon")
    assert calls == [b"Lyon"]  # still remembered here
    seen_elsewhere: list[dict[str, str]] = []
    other = threading.Thread(target=lambda: seen_elsewhere.append(engine._decode(decode, b"Lyon")[0]))
    other.start()
    other.join()
    assert seen_elsewhere == [{"city": "Lyon"}] and calls == [b"Lyon", b"Lyon"]  # its own memo
    engine.forget()
    engine._decode(decode, b"Lyon")
    assert calls == [b"Lyon", b"Lyon", b"Lyon"]
