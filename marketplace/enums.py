"""Enums that carry their own Chinese label and badge (状态名称与徽标).

A stored status is a ``LabelledEnum``: its value is what the database holds, ``label`` what people
read, ``badge`` the Bootstrap class the templates put on it, and ``choices()`` what a select field
offers. Labels are lazy strings, translated when shown, so one declaration serves forms, templates,
mail and exports alike.

    class BidStatus(LabelledEnum):
        __labels__ = {"draft": _l("草稿"), "submitted": _l("已提交")}
        __badges__ = {"submitted": "text-bg-success"}

        DRAFT = "draft"
        SUBMITTED = "submitted"
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

DEFAULT_BADGE = "text-bg-secondary"


class LabelledEnum(enum.StrEnum):
    """A string enum whose members know their label (``__labels__``) and badge (``__badges__``),
    both keyed by value. Dunder names are not enum members, so the two maps sit in the class body."""

    @property
    def label(self) -> str:
        return str(type(self).__dict__.get("__labels__", {}).get(self.value, self.value))

    @property
    def badge(self) -> str:
        return type(self).__dict__.get("__badges__", {}).get(self.value, DEFAULT_BADGE)

    @classmethod
    def choices(cls, members: Iterable[LabelledEnum] | None = None) -> list[tuple[str, object]]:
        """``(value, lazy label)`` pairs for a select field, in declaration order (or ``members``')."""
        labels = cls.__dict__.get("__labels__", {})
        return [(m.value, labels.get(m.value, m.value)) for m in (members if members is not None else cls)]
