"""Who may do what in the needs pool (需求征集): the ``need.*`` actions of the policy.

Posting, supporting and commenting are for students whose accounts may write; answering, transferring
and hiding a need are for the staff of the union it belongs to; the appeal against hiding is the
author's, and its ruling the league reviewers'. ``need.view_private`` is who moderates — the union's
staff and the league reviewers —: they see who wrote a need or a comment, and a hidden need's text.
Besides them, only the author sees their own (the pages ask ``is_author``); never other students or
the public (docs/needs.md).
"""

from __future__ import annotations

from ..accounts.models import AccountKind
from ..permissions import Role, has_role, may_write, rule, staff_union_ids


def writing_student(user) -> bool:
    return may_write(user) and user.kind == AccountKind.STUDENT


def union_staff(user, need) -> bool:
    """Works today for the union the need belongs to."""
    return need is not None and need.union_id in staff_union_ids(user)


@rule("need.post")
def _posts(user, obj=None) -> bool:
    """发布需求: any student whose account may write (not a graduate's read-only one)."""
    return writing_student(user)


@rule("need.support", "need.comment")
def _takes_part(user, need=None) -> bool:
    """支持 and 评论: any student who may write (supporting one's own need is refused with a reason)."""
    return writing_student(user)


@rule("need.answer", "need.transfer", "need.hide")
def _answers(user, need=None) -> bool:
    """答复 (采纳、合并、不采纳), 转交 to the other union, 隐藏: the staff of the need's union."""
    return may_write(user) and union_staff(user, need)


@rule("need.view_private")
def _sees_private(user, need=None) -> bool:
    """Who wrote a need and its comments, and a hidden need's text: the union's staff (who moderate) and
    the league reviewers (who rule on appeals)."""
    return need is not None and (union_staff(user, need) or has_role(user, Role.LEAGUE_REVIEWER))


def is_author(user, need) -> bool:
    return getattr(user, "is_authenticated", False) and need.author_id == user.id


@rule("need.appeal")
def _appeals(user, need=None) -> bool:
    """申诉 the hiding of a need: its author."""
    return need is not None and may_write(user) and need.author_id == user.id


@rule("need.rule_appeal")
def _rules_appeal(user, obj=None) -> bool:
    """处理申诉: the league reviewers."""
    return may_write(user) and has_role(user, Role.LEAGUE_REVIEWER)
