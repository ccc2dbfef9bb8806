"""意见建议: a student writes to a union, its staff answer, and the author is told. A suggestion is
published — its title, text and answer, never the author — only once answered, and only if the author
asked for it when writing. Plain functions; nothing here commits.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import audit, clock, permissions
from ..errors import DomainError
from ..extensions import db
from ..notify import operations as notify
from ..statuses import NEW, StatusTable
from .models import Suggestion, SuggestionStatus
from .operations import MAX_TITLE, union_or_none

MAX_TEXT = 5000
MAX_ANSWER = 5000

SUGGESTION_TRANSITIONS = {
    "submit": (frozenset({NEW}), SuggestionStatus.SUBMITTED),
    "answer": (frozenset({SuggestionStatus.SUBMITTED}), SuggestionStatus.ANSWERED),
}
SUGGESTIONS = StatusTable("suggestion", _l("这条意见建议"), SUGGESTION_TRANSITIONS)


def move_suggestion(suggestion: Suggestion, action: str, actor, **facts) -> None:
    SUGGESTIONS.move(suggestion, action, actor, **facts)


def _text(data: dict, key: str, what: str, most: int) -> str:
    text = (data.get(key) or "").strip()
    if not text:
        raise DomainError(_("请填写%(what)s。", what=what), field=key)
    if len(text) > most:
        raise DomainError(
            _("%(what)s最多 %(n)s 个字，现在有 %(m)s 个字。", what=what, n=most, m=len(text)), field=key
        )
    return text


def write(author, data: dict) -> Suggestion:
    """提意见建议 to ``data["union"]`` (a union's id): ``title``, ``body`` (Markdown) and ``wants_public``,
    whether it may be published, without the author's name, once answered. The audit entry records
    that it was written, not what it says."""
    permissions.require(author, "suggestion.write")
    union = union_or_none(data.get("union"))
    if union is None:
        raise DomainError(_("请选择要提意见的学生会。"), field="union")
    suggestion = Suggestion(
        union_id=union.id,
        author_id=author.id,
        title=_text(data, "title", _("标题"), MAX_TITLE),
        body=_text(data, "body", _("意见建议的内容"), MAX_TEXT),
        wants_public=bool(data.get("wants_public")),
    )
    suggestion.union = union
    move_suggestion(suggestion, "submit", author)
    db.session.add(suggestion)
    db.session.flush()
    return suggestion


def answer(actor, suggestion: Suggestion, data: dict) -> None:
    """答复 a suggestion (``data["answer"]``, Markdown), once: the author is told."""
    permissions.require(actor, "suggestion.moderate", suggestion)
    text = _text(data, "answer", _("答复"), MAX_ANSWER)
    move_suggestion(
        suggestion, "answer", actor, answer=text, answered_by_id=actor.id, answered_at=clock.now()
    )
    notify.send(
        suggestion.author,
        "suggestion.answered",
        link=suggestion.url,
        suggestion=suggestion,
        union=suggestion.union.name,
    )


def set_public(author, suggestion: Suggestion, data: dict) -> None:
    """The author changes their mind about publishing (公开): it takes effect once answered."""
    permissions.require(author, "suggestion.write")
    if suggestion.author_id != author.id:
        raise DomainError(_("只有提出人可以决定是否公开。"))
    wanted = bool(data.get("wants_public"))
    if wanted != suggestion.wants_public:
        before = {"wants_public": suggestion.wants_public}
        suggestion.wants_public = wanted
        audit.record(
            author, "suggestion.publicity", suggestion, before=before, after={"wants_public": wanted}
        )
