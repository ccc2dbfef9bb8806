from datetime import timedelta

from marketplace.extensions import db
from marketplace.notify.models import Notification
from marketplace.orgs.models import OrgKind
from marketplace.projects.operations import send_deadline_reminders
from tests import factories
from tests.projects.helpers import World


def _reminded(user) -> int:
    return db.session.scalar(
        db.select(db.func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.kind == "project.deadline_soon")
    )


def test_a_day_before_the_deadline_only_eligible_organizations_without_a_bid_are_reminded_once(app, clock):
    world = World()
    project = world.open_project()  # clubs and college unions may bid, classes may not
    world.bid(project)  # club A has bid
    a_class = factories.org(OrgKind.CLASS)
    monitor = factories.manager_of(a_class)
    clock.set(project.bid_deadline - timedelta(hours=25))
    assert send_deadline_reminders() == 0
    clock.set(project.bid_deadline - timedelta(hours=23))
    assert send_deadline_reminders() == 1
    assert send_deadline_reminders() == 0
    assert _reminded(world.manager_b) == 1
    assert _reminded(world.manager_a) == 0
    assert _reminded(monitor) == 0
