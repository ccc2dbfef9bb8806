"""Errors that operations raise and views turn into messages beside the form."""

from __future__ import annotations


class DomainError(Exception):
    """A rule said no. ``message`` is already translated for the user; ``field`` names the form
    field it belongs beside, if any."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class Conflict(DomainError):
    """Someone else changed the thing first (a stale form, a unique key taken)."""
