"""The need's, the comment's and the appeal's status tables: every action from every status."""

from __future__ import annotations

import pytest

from marketplace import clock
from marketplace.extensions import db
from marketplace.needs.models import NeedAppeal, NeedAppealStatus, NeedComment, NeedCommentStatus, NeedStatus
from marketplace.needs.operations import (
    APPEAL_TRANSITIONS,
    APPEALS,
    COMMENT_TRANSITIONS,
    COMMENTS,
    NEED_TRANSITIONS,
    NEEDS,
    move_appeal,
    move_comment,
    move_need,
)
from tests.needs.helpers import NeedWorld
from tests.statuses import check_action


@pytest.fixture
def world(app, clock):
    world = NeedWorld()
    world.need = world.post()
    world.target = world.post(author=world.students[0], title="另一条需求")
    world.project_row = world.project()
    return world


def _put_need_in(world):
    def put_in(need, status) -> None:
        """The status with the facts its CHECK asks for (all set before any is flushed)."""
        project_id, target_id = world.project_row.id, world.target.id
        with db.session.no_autoflush:
            need.status = status
            need.project_id = project_id if status == NeedStatus.ACCEPTED else None
            need.merged_into_id = target_id if status == NeedStatus.MERGED else None
            need.decline_reason = "理由" if status == NeedStatus.DECLINED else None
            need.hidden_reason = "理由" if status == NeedStatus.HIDDEN else None
        db.session.commit()

    return put_in


def _move_need(world):
    facts = {
        "accept": lambda: {},
        "merge": lambda: {"merged_into_id": world.target.id},
        "decline": lambda: {"decline_reason": "理由"},
        "hide": lambda: {"hidden_reason": "理由"},
        "restore": lambda: {},
    }

    def move(need, action, actor, reason=None) -> None:
        if action == "accept":  # as operations.accept does: the column first
            need.project_id = world.project_row.id
            db.session.flush()
        move_need(need, action, actor, reason=reason, **facts[action]())

    return move


@pytest.mark.parametrize("action", [a for a in NEED_TRANSITIONS if a != "post"])
def test_each_need_action_moves_from_its_sources_and_is_refused_from_every_other(action, world):
    check_action(NEEDS, action, world.need, _put_need_in(world), _move_need(world), world.staff)


@pytest.mark.parametrize("action", COMMENT_TRANSITIONS)
def test_each_comment_action_moves_from_its_sources_and_is_refused_from_every_other(action, world):
    note = NeedComment(
        need_id=world.need.id, author_id=world.students[1].id, body="评论", status=NeedCommentStatus.SHOWN
    )
    db.session.add(note)
    db.session.commit()

    def put_in(obj, status) -> None:
        obj.status, obj.hidden_reason = status, "理由" if status == NeedCommentStatus.HIDDEN else None
        db.session.commit()

    def move(obj, action, actor, reason=None) -> None:
        move_comment(obj, action, actor, reason=reason, hidden_reason="理由")

    check_action(COMMENTS, action, note, put_in, move, world.staff, reason="不当")


@pytest.mark.parametrize("action", [a for a in APPEAL_TRANSITIONS if a != "file"])
def test_each_appeal_action_moves_from_its_sources_and_is_refused_from_every_other(action, world):
    record = NeedAppeal(need_id=world.need.id, body="申诉", status=NeedAppealStatus.PENDING)
    db.session.add(record)
    db.session.commit()

    def put_in(obj, status) -> None:
        obj.status = status
        obj.ruled_at = None if status == NeedAppealStatus.PENDING else clock.now()
        db.session.commit()

    def move(obj, action, actor, reason=None) -> None:
        move_appeal(obj, action, actor, reason=reason, ruled_at=clock.now())

    check_action(APPEALS, action, record, put_in, move, world.reviewer, reason="说明")
