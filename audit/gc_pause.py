"""Pause Python's cyclic garbage collector while a large audit runs or writes its outputs.

An audit makes millions of small objects that live as long as the audit does (the parsed
cells, the checks' evidence, a worker's results being unpickled, one object per workbook
cell or CSV field when writing). Each batch of new objects triggers a collection, and each
full collection walks every object the audit holds, finding nothing: on a million posts
the audit ran 26.4 s with the collector and 21.9 s without, for the same peak memory
(1,240 and 1,244 MB, one process, ``bench/bench_audit.py``); the workbook of a thousand
institutions spent some 40% of its time in collections. Reference counting frees what the
audit lets go either way; only garbage in cycles waits, and the audit makes little of it.
So the collector is paused while an audit runs and while its files are built, and resumed
after; nothing is leaked. A collector that was already off is left off.

When it resumes, what the block made and kept (the audit's result: over a million tracked
objects for a million posts) is moved straight to the oldest generation, where it belongs:
left in the youngest, it would be walked by the next collection (0.36 s) and by the one
that promotes it again (0.4 s), twice per audit and write, to find nothing. In the oldest
generation it is still collected, by the full collections, which run as rarely as usual.
``gc.freeze`` then ``gc.unfreeze`` is the standard library's way to move it there.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Within this block the cyclic collector does not run; reference counting still frees
    every object as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()  # every tracked object to the permanent generation, and from
            gc.unfreeze()  # there to the oldest one (see the module's docstring)
            gc.enable()
