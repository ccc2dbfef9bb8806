"""Loading: nothing is eager by default; each query says what it loads (docs/architecture.md).

A relationship declared ``lazy="joined"`` (or selectin, subquery, immediate) is read by every query of
its class, whether the page shows it or not, and hides the N+1 of the lists that do show it. The lists
outside tests/test_page_budgets.py whose rows show a related row of their own are measured here, with
N and 3N rows, each row pointing at a different related row (so the identity map hides nothing).
"""

from __future__ import annotations

from marketplace import audit, clock
from marketplace.extensions import db
from marketplace.volunteers.models import Training, TrainingAttendance
from tests import factories
from tests.bids.helpers import signed_in
from tests.volunteers.helpers import HostingWorld

EAGER = {"joined", "selectin", "subquery", "immediate"}
N = 3


def test_no_relationship_is_loaded_eagerly_by_default(app):
    eager = [
        f"{mapper.class_.__name__}.{rel.key} (lazy={rel.lazy!r})"
        for mapper in db.Model.registry.mappers
        for rel in mapper.relationships
        if rel.lazy in EAGER
    ]
    assert db.Model.registry.mappers, "no mapped classes: the models were not imported"
    assert eager == [], "say what a query loads with options on the query instead: " + ", ".join(eager)


def _same_statements_for_n_and_3n(client, url, grow, count_queries):
    grow(N)
    few = count_queries(lambda: _ok(client.get(url)))
    grow(2 * N)
    many = count_queries(lambda: _ok(client.get(url)))
    assert many == few


def test_a_trainings_attendee_list_costs_the_same_however_many_attended(app, count_queries):
    world = HostingWorld()
    training = Training(project_id=world.project.id, title="岗前培训", held_at=clock.now())
    db.session.add(training)
    db.session.commit()

    def grow(n):
        for _ in range(n):
            student = factories.user(college=factories.college())
            db.session.add(TrainingAttendance(training_id=training.id, user_id=student.id))
        db.session.commit()

    client = signed_in(app, world.host)
    _same_statements_for_n_and_3n(client, f"/hosting/trainings/{training.id}", grow, count_queries)


def test_an_organizations_member_list_for_admins_costs_the_same_however_many_members(app, count_queries):
    club = factories.org(name="摄影社")
    admin = factories.user(kind="faculty", roles=("admin",))

    def grow(n):
        for _ in range(n):
            factories.membership(factories.user(), club)

    client = signed_in(app, admin)
    _same_statements_for_n_and_3n(client, f"/admin/orgs/{club.id}", grow, count_queries)


def test_the_audit_log_costs_the_same_however_many_people_acted(app, count_queries):
    admin = factories.user(kind="faculty", roles=("admin",))

    def grow(n):
        # Each new organization is created by a different admin: an entry per actor.
        for _ in range(n):
            actor = factories.user(kind="faculty", roles=("admin",))
            club = factories.org()
            audit.record(actor, "org.create", club)
        db.session.commit()

    client = signed_in(app, admin)
    _same_statements_for_n_and_3n(client, "/admin/audit", grow, count_queries)


def _ok(response):
    assert response.status_code == 200, response.status_code
