"""URL converters: ``<int:…>`` ids that the database can hold, so a huge id is a 404, not a 500."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

# Every id column is a signed 32-bit INTEGER on PostgreSQL (SQLite would overflow at 64 bits).
MAX_ID = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """Werkzeug's integer converter with ``max`` defaulting to the largest id a row can have."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
