"""The collector paused while outputs are built comes back as it was, even on an error."""

from __future__ import annotations

import gc

import pytest

from audit.gc_pause import gc_paused


def test_the_collector_is_off_inside_and_back_on_after():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_still_turns_it_back_on():
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("disk full")
    assert gc.isenabled()


def test_a_collector_already_off_stays_off():
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_audit_runs_with_the_collector_paused_and_gives_it_back(monkeypatch):
    """run_audit pauses the cyclic collector while it scores (and reads, validates,
    clusters): the checks see it off, and the caller gets it back on."""
    from conftest import DEMO

    import audit.pipeline as pipeline
    from audit import run_audit

    seen = []
    real = pipeline._score

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_score", spy)
    result = run_audit([DEMO])
    assert result.usable
    assert seen == [False]
    assert gc.isenabled()
