"""The status tables of 信息公开: charter versions, announcements and suggestions, every action from
every status."""

from __future__ import annotations

import pytest

from marketplace import clock
from marketplace.disclosure import operations, suggestions
from marketplace.disclosure.models import PublicationStatus
from marketplace.extensions import db
from tests.disclosure.helpers import DisclosureWorld
from tests.statuses import check_action


@pytest.fixture
def world(app, clock):
    return DisclosureWorld()


def _put_in(doc, status) -> None:
    """The status with the facts its CHECK asks for: a published version has its number and date."""
    doc.status = status
    if status.is_public:
        doc.number, doc.published_at = 1, clock.now()
    db.session.commit()


def _put_announcement_in(doc, status) -> None:
    doc.status = status
    doc.published_at = clock.now() if status == PublicationStatus.PUBLISHED else None
    db.session.commit()


def _move(doc, action, actor, reason=None) -> None:
    facts = {"number": 2} if action == "approve" and hasattr(doc, "number") else {}
    operations.move(doc, action, actor, reason=reason, **facts)


@pytest.mark.parametrize("action", operations.CHARTER_TRANSITIONS)
def test_each_charter_action_moves_from_its_sources_and_is_refused_from_every_other(action, world):
    version = world.charter()
    check_action(operations.CHARTERS, action, version, _put_in, _move, world.reviewer, reason="理由")


@pytest.mark.parametrize("action", operations.TRANSITIONS)
def test_each_announcement_action_moves_from_its_sources_and_is_refused_from_every_other(action, world):
    announcement = world.announcement()
    check_action(
        operations.ANNOUNCEMENTS,
        action,
        announcement,
        _put_announcement_in,
        _move,
        world.reviewer,
        reason="理由",
    )


def _put_suggestion_in(suggestion, status) -> None:
    suggestion.status = status
    suggestion.answer = "答复" if status == "answered" else None
    db.session.commit()


@pytest.mark.parametrize("action", suggestions.SUGGESTION_TRANSITIONS)
def test_each_suggestion_action_moves_from_its_sources_and_is_refused_from_every_other(action, world):
    suggestion = world.suggestion()
    check_action(
        suggestions.SUGGESTIONS,
        action,
        suggestion,
        _put_suggestion_in,
        lambda s, a, actor, reason=None: suggestions.move_suggestion(s, a, actor, answer="答复"),
        world.staff,
    )
