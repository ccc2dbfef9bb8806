"""The replayable draw (同等条件下随机): one utility for the award tie-break and the volunteer lottery.

The seed is fixed and published before anyone could want to redraw: the SHA-256 of the scope's id and
the sorted public ids of the candidates. Candidates are then ordered by
``sha256(f"{seed}:{public_id}").hexdigest()``, ascending. Anyone holding the published seed and ids
can replay the order; nobody can redraw, because nothing in it is chosen at draw time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable


def seed_text(scope_id: int | str, public_ids: Iterable[str]) -> str:
    """What the seed is the hash of: ``"<scope id>:<sorted public ids, comma-separated>"``."""
    return f"{scope_id}:{','.join(sorted(public_ids))}"


def seed_for(scope_id: int | str, public_ids: Iterable[str]) -> str:
    """SHA-256 of :func:`seed_text`."""
    return hashlib.sha256(seed_text(scope_id, public_ids).encode()).hexdigest()


def draw_key(seed: str, public_id: str) -> str:
    return hashlib.sha256(f"{seed}:{public_id}".encode()).hexdigest()


def draw_order(seed: str, public_ids: Iterable[str]) -> list[str]:
    """The candidates in drawn order."""
    return sorted(public_ids, key=lambda pid: draw_key(seed, pid))
