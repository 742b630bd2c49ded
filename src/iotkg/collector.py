"""Python's cyclic garbage collector paused around the stages that make millions of objects and few cycles.

Each collection of the oldest generation walks every object of the process (at 100 times the shipped graph,
millions of terms, statements and rows) and, in a forked process, copies the memory pages it touches. The stages
that use ``paused`` (the build, the export, the site) leave few cycles behind (Jinja2's per-page contexts), which
the next collection frees once the collector is on again."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """The cyclic garbage collector off in the block, then as it was (nested pauses restore the outer state)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
