"""The bid lists cost the same number of queries with many rows as with few (no N+1)."""

from __future__ import annotations

import io
from datetime import timedelta

from werkzeug.datastructures import FileStorage

from marketplace import clock
from marketplace.bids import operations as bid_ops
from marketplace.extensions import db
from marketplace.orgs.models import OrgKind
from marketplace.projects.tasks import tick
from tests import factories
from tests.bids.helpers import PDF, signed_in


def bid_with_attachment(world, project, manager, org):
    bid = world.bid(project, manager, org)
    bid_ops.add_attachment(manager, bid, {"file": FileStorage(io.BytesIO(PDF), "标书.pdf")})
    db.session.commit()
    return bid


def project_with_bids(world, n: int):
    project = world.open_project()
    for _ in range(n):
        club = factories.org(OrgKind.CLUB)
        bid_with_attachment(world, project, factories.manager_of(club), club)
    return project


def test_the_project_bid_list_queries_do_not_grow_with_the_bids(app, world, clock, count_queries):
    few, many = project_with_bids(world, 2), project_with_bids(world, 9)
    clock.set(many.bid_deadline + timedelta(minutes=1))
    tick()
    staff = signed_in(app, world.staff)

    def load(project):
        return lambda: staff.get(f"/projects/{project.id}/bids").status_code

    assert count_queries(load(few)) == count_queries(load(many))
    assert staff.get(f"/projects/{many.id}/bids").get_data(as_text=True).count("/bids/") >= 9


def club_with_bids(world, n: int):
    """A club bidding on ``n`` projects, the first of which closes tomorrow; returns its manager."""
    club = factories.org(OrgKind.CLUB)
    manager = factories.manager_of(club)
    for i in range(n):
        project = world.open_project(bid_deadline=clock.now() + timedelta(days=1 if i == 0 else 10))
        bid_with_attachment(world, project, manager, club)
    return manager


def test_my_bids_queries_do_not_grow_with_the_bids(app, world, count_queries):
    few, many = signed_in(app, club_with_bids(world, 2)), signed_in(app, club_with_bids(world, 10))
    # One project is past its deadline and not yet ticked: its effective state comes from SQL too.
    clock.shift(timedelta(days=2))
    few.get("/bids/mine")  # the welcome message after signing in; not counted
    many.get("/bids/mine")

    assert count_queries(lambda: few.get("/bids/mine")) == count_queries(lambda: many.get("/bids/mine"))
    assert many.get("/bids/mine").get_data(as_text=True).count('href="/bids/') == 10
