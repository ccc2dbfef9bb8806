"""Who may do what with a union's public record (信息公开): the ``disclosure.*`` and ``suggestion.*``
actions of the policy (see ``permissions``).

What is published needs no rule: anyone may read a published charter version, announcement or
suggestion, signed in or not. The staff list is for the students the policy means ("面向全体学生"):
anyone signed in. The league reviewer approves what a union publishes (重要信息发布审核) and writes none
of it.
"""

from __future__ import annotations

from ..permissions import Role, has_role, may_write, roles, rule
from ..surveys.rules import is_union_member


def _union_id(obj) -> int | None:
    """The union an action is asked about: the union itself, or what belongs to it."""
    return getattr(obj, "union_id", getattr(obj, "id", None))


@rule("disclosure.draft")
def _drafts(user, union=None) -> bool:
    """Draft, edit and submit the union's charter versions and announcements: the union's staff."""
    return union is not None and may_write(user) and is_union_member(user, _union_id(union))


@rule("disclosure.read_drafts")
def _reads_drafts(user, union=None) -> bool:
    """What is not yet (or never) published, with its return reasons: the staff and the league reviewer."""
    return union is not None and (
        has_role(user, Role.LEAGUE_REVIEWER) or is_union_member(user, _union_id(union))
    )


@rule("disclosure.approve")
def _approves(user, obj=None) -> bool:
    """Approve or return what a union submitted for publication: the league reviewer."""
    return may_write(user) and has_role(user, Role.LEAGUE_REVIEWER)


@rule("disclosure.staff_list")
def _reads_staff_list(user, union=None) -> bool:
    """工作人员名单 (name, post, term of office): everyone signed in — the students it is for, the staff."""
    return bool(roles(user))


@rule("suggestion.write")
def _writes_suggestion(user, obj=None) -> bool:
    """意见建议: the students."""
    return may_write(user) and has_role(user, Role.STUDENT)


@rule("suggestion.moderate")
def _moderates(user, union=None) -> bool:
    """Every suggestion to the union with its author, and answering them: the union's staff."""
    return union is not None and may_write(user) and is_union_member(user, _union_id(union))


@rule("suggestion.view")
def _views_suggestion(user, suggestion=None) -> bool:
    """A suggestion not published (or with its author): its author and the union's staff."""
    return suggestion is not None and (
        suggestion.author_id == user.id or is_union_member(user, suggestion.union_id)
    )
