"""The replayable draw (同等条件下随机): one utility for the award tie-break and the volunteer lottery.

The seed is fixed and published before anyone could want to redraw: the SHA-256 of the scope's id and
the sorted public ids of the candidates. Candidates are then ordered by
``sha256(f"{seed}:{public_id}").hexdigest()``, ascending. Anyone holding the published seed and ids
can replay the order; nobody can redraw, because nothing in it is chosen at draw time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable


def seed_for(scope_id: int | str, public_ids: Iterable[str]) -> str:
    """SHA-256 of ``"<scope id>:<sorted public ids, comma-separated>"``."""
    joined = ",".join(sorted(public_ids))
    return hashlib.sha256(f"{scope_id}:{joined}".encode()).hexdigest()


def draw_key(seed: str, public_id: str) -> str:
    return hashlib.sha256(f"{seed}:{public_id}".encode()).hexdigest()


def draw_order(seed: str, public_ids: Iterable[str]) -> list[str]:
    """The candidates in drawn order."""
    return sorted(public_ids, key=lambda pid: draw_key(seed, pid))
