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


def test_what_the_block_kept_is_moved_to_the_oldest_generation():
    """The next young collection must not walk the audit's objects again."""
    with gc_paused():
        kept = [[i] for i in range(1000)]
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    young = {id(o) for o in gc.get_objects(generation=0)}
    assert id(kept) in oldest and id(kept[-1]) in oldest
    assert id(kept) not in young


def test_cycles_made_inside_are_still_collected():
    """Moved to the oldest generation, not frozen: garbage in cycles is not leaked."""
    import weakref

    class Node:
        pass

    with gc_paused():
        node = Node()
        node.self = node
        alive = weakref.ref(node)
        del node
    assert alive() is not None  # only the collector frees a cycle
    gc.collect()
    assert alive() is None
