"""Two managers of one club submitting its first bid at the same moment leave exactly one bid: the
other is told, in words, that the club has already bid — never a server error."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.bids import operations as bid_ops
from marketplace.bids.models import Bid, BidRevision
from marketplace.errors import Conflict
from marketplace.extensions import db
from marketplace.orgs.models import Organization
from marketplace.projects.models import Project
from tests import factories
from tests.projects.helpers import bid_data

pytestmark = [pytest.mark.postgres, pytest.mark.commits]


def test_two_concurrent_first_bids_by_one_club_leave_exactly_one_bid(app, world, project):
    co_manager = factories.manager_of(world.club_a, name="学业互助社副社长")
    ids = (project.id, world.club_a.id)
    managers = [world.manager_a.id, co_manager.id]
    barrier = threading.Barrier(len(managers))
    outcomes: dict[int, str] = {}

    def bid_as(user_id: int) -> None:
        with app.app_context():
            try:
                actor = db.session.get(User, user_id)
                target, org = db.session.get(Project, ids[0]), db.session.get(Organization, ids[1])
                barrier.wait(timeout=10)
                bid_ops.submit_bid(actor, target, org, bid_data(summary=f"{actor.name}的方案"))
                db.session.commit()
                outcomes[user_id] = "saved"
            except Conflict as conflict:
                db.session.rollback()
                outcomes[user_id] = conflict.message
            except Exception as error:  # anything else would have been a 500
                db.session.rollback()
                outcomes[user_id] = f"unexpected {error!r}"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=bid_as, args=(user_id,)) for user_id in managers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == sorted(
        ["saved", "本组织已经提交过这个项目的标书，请在“我的标书”中修改。"]
    )
    assert db.session.scalar(select(func.count()).select_from(Bid)) == 1
    assert db.session.scalar(select(func.count()).select_from(BidRevision)) == 1
