"""Building large structures that are kept for the whole run, without the cyclic collector
walking them again and again."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def building_long_lived() -> Iterator[None]:
    """Pause the cyclic collector while a pack is built or read from the cache, then move what was
    built straight to the oldest generation.

    Loading builds hundreds of thousands of small objects and frees few of them: the
    collector would otherwise scan them every few hundred allocations (about 3x slower), and
    afterwards once in each younger generation before they settle in the oldest. (Anything
    else the process made since its last collection is moved along too; cycles among it wait
    for the next full collection.) Free the temporary objects before leaving the block.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()
