"""待办 rows (marketplace/actions.py): a section's statement is built once per process and reads the
user and the clock each time it runs, so one user's rows never show on another's page."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import literal, select

from marketplace import actions, clock
from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.orgs.models import Organization, OrgKind
from tests import factories


def counted_kind(query, **declared):
    """A kind whose query counts how often it is built."""
    built = []

    def build(viewer):
        built.append(viewer)
        return query(viewer)

    return actions.kind("test.row", "%(title)s", lambda ref: f"/{ref}", **declared)(build), built


def test_a_kinds_statement_is_built_once_and_runs_for_each_user_with_their_own_values(app, clock):
    own_name, built = counted_kind(
        lambda viewer: select(*actions.columns(User.id, User.name, actions.NOW)).where(User.id == viewer.id)
    )
    first, second = factories.user(name="甲"), factories.user(name="乙")
    with app.test_request_context():
        rows_first = actions.gather(first, [own_name])
        clock.shift(timedelta(hours=3))
        rows_second = actions.gather(second, [own_name])

    assert len(built) == 1
    assert [row.text for row in rows_first] == ["甲"] and [row.text for row in rows_second] == ["乙"]
    # "Now" is read as the statement runs, not when it was built.
    assert rows_second[0].at - rows_first[0].at == timedelta(hours=3)


def test_the_organizations_a_viewer_manages_are_read_for_the_user_it_runs_for(app):
    club, society = factories.org(OrgKind.CLUB, name="摄影社"), factories.org(OrgKind.CLUB, name="书法社")
    photographer, calligrapher = factories.manager_of(club), factories.manager_of(society)
    managed, _built = counted_kind(
        lambda viewer: select(
            *actions.columns(Organization.id, Organization.name, literal(None, actions.NOW.type))
        ).where(Organization.id.in_(viewer.managed_org_ids)),
        applies=actions.manages,
    )
    with app.test_request_context():
        assert [row.text for row in actions.gather(photographer, [managed])] == ["摄影社"]
        assert [row.text for row in actions.gather(calligrapher, [managed])] == ["书法社"]


def test_a_value_read_as_run_is_read_after_a_statement_of_the_same_shape_ran_with_a_fixed_one(app):
    """SQLAlchemy reuses a compiled statement for one of the same shape; its cache key of a bound value
    does not say whether the value is read as the statement runs, so without a class of their own the
    second statement would run with None in place of the viewer's id."""
    first, second = factories.user(name="甲"), factories.user(name="乙")
    with app.test_request_context():
        assert db.session.scalars(select(User.name).where(User.id == first.id)).all() == ["甲"]
        with actions.viewing(second):
            assert db.session.scalars(select(User.name).where(User.id == actions.VIEWER.id)).all() == ["乙"]


def test_a_kind_that_does_not_apply_to_the_user_is_neither_built_nor_asked(app, count_queries):
    managed, built = counted_kind(
        lambda viewer: select(*actions.columns(Organization.id, Organization.name, actions.NOW)),
        applies=actions.manages,
    )
    student = factories.user()
    with app.test_request_context():
        assert not actions.manages(student)  # the memberships it reads are loaded here, once
        assert count_queries(lambda: actions.gather(student, [managed])) == 0
    assert built == []


def test_no_statement_built_once_reads_the_clock_or_a_setting_while_it_is_built(app, monkeypatch):
    """A value read while building would be served to every request after: such statements compare
    with the clock through bound values read as they run (actions.NOW, TODAY, ago), and are given no
    user to read (actions.VIEWER holds bound values only)."""
    from marketplace import settings
    from marketplace.accounts import views as accounts_views
    from marketplace.admin import home as admin_home
    from marketplace.credits import home as credits_home
    from marketplace.main import home
    from marketplace.volunteers import home as volunteers_home
    from marketplace.volunteers import signups

    lists = (home.STUDENT_KINDS, home.BIDDING_KINDS, home.HOST_KINDS, home.STAFF_KINDS, home.LEAGUE_KINDS)
    kinds = {
        k
        for kinds in (*lists, home.EVALUATOR_KINDS, admin_home.ADMIN_KINDS, credits_home.VERIFIER_KINDS)
        for k in kinds
    }
    builders = [
        accounts_views._signed_in_user,
        volunteers_home._shifts_open_to_viewer,
        volunteers_home._next_shift_of_viewer,
        credits_home._term_credits_of_viewer,
        signups._no_shows_of_viewer,
        signups._requirements,
    ]

    def read(*args):
        raise AssertionError("the clock or a setting was read while a statement was built")

    monkeypatch.setattr(clock, "now", read)
    monkeypatch.setattr(clock, "today_local", read)
    monkeypatch.setattr(settings, "get", read)
    with app.test_request_context():
        for section in (*lists, home.EVALUATOR_KINDS, admin_home.ADMIN_KINDS, credits_home.VERIFIER_KINDS):
            actions._statement.__wrapped__(tuple(section), actions.SHOWN, "zh_CN")
        for build in builders:
            build.__wrapped__()
    assert len(kinds) >= 40
