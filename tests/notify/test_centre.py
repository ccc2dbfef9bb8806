"""The notification centre (站内通知) and the email preferences."""

from __future__ import annotations

import re

from sqlalchemy import select

from marketplace.accounts.models import SiteRole
from marketplace.extensions import db
from marketplace.notify import operations as notify
from marketplace.notify.models import Notification, NotificationPreference
from tests import factories
from tests.notify import outbox


def granted(user, role: SiteRole = SiteRole.EVALUATOR, **options) -> Notification:
    """A committed role.granted notification for ``user``."""
    notify.send(user, "role.granted", role=role, **options)
    db.session.commit()
    return db.session.scalars(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id.desc())
    ).first()


def unread_badge(page: str) -> str | None:
    found = re.search(r'data-testid="unread-count">(\d+)<', page)
    return found and found.group(1)


def test_the_centre_lists_only_the_users_own_notifications(client):
    me, other = factories.user(), factories.user()
    granted(me, SiteRole.EVALUATOR)
    granted(other, SiteRole.LEAGUE_REVIEWER)
    factories.login(client, me)

    page = client.get("/notifications/").get_data(as_text=True)

    assert "你获得了新的角色：评议人" in page
    assert "团委审核人" not in page


def test_the_nav_shows_how_many_notifications_are_unread(client):
    me = factories.user()
    granted(me)
    granted(me, SiteRole.ADMIN)
    factories.login(client, me)

    assert unread_badge(client.get("/").get_data(as_text=True)) == "2"
    client.post("/notifications/read-all")
    assert unread_badge(client.get("/").get_data(as_text=True)) is None


def test_opening_a_notification_marks_it_read_and_goes_to_its_link(client, db):
    me = factories.user()
    item = granted(me, link="/orgs/mine")
    factories.login(client, me)

    response = client.post(f"/notifications/{item.id}/open")

    assert response.status_code == 302
    assert response.headers["Location"] == "/orgs/mine"
    assert db.session.get(Notification, item.id).read_at is not None
    assert notify.unread_count(me) == 0


def test_opening_a_notification_without_a_link_returns_to_the_centre(client):
    me = factories.user()
    item = granted(me)
    factories.login(client, me)

    response = client.post(f"/notifications/{item.id}/open")

    assert response.headers["Location"] == "/notifications/"


def test_another_users_notification_is_404_and_stays_unread(client, db):
    me, other = factories.user(), factories.user()
    theirs = granted(other)
    factories.login(client, me)

    assert client.post(f"/notifications/{theirs.id}/open").status_code == 404
    assert db.session.get(Notification, theirs.id).read_at is None


def test_turning_a_kinds_email_off_still_notifies_in_the_app_but_sends_no_mail(client, db):
    me = factories.user()
    factories.login(client, me)
    client.post("/notifications/preferences", data={"membership.granted": "on"})  # role.granted unticked

    granted(me)

    assert notify.unread_count(me) == 1
    assert outbox.messages("role.granted") == []


def test_kinds_left_on_are_emailed(client):
    me = factories.user()
    factories.login(client, me)
    client.post("/notifications/preferences", data={"role.granted": "on"})

    granted(me)

    assert [m.recipient for m in outbox.messages("role.granted")] == [me.email]


def test_account_security_mail_ignores_the_email_preference(client, db):
    me = factories.user()
    db.session.add(NotificationPreference(user_id=me.id, kind="account.password_changed", email=False))
    db.session.commit()

    notify.send(me, "account.password_changed")
    db.session.commit()

    assert [m.recipient for m in outbox.messages("account.password_changed")] == [me.email]


def test_the_preferences_page_offers_only_the_kinds_that_may_be_turned_off(client):
    factories.login(client, factories.user())

    page = client.get("/notifications/preferences").get_data(as_text=True)

    assert 'name="role.granted"' in page
    assert 'name="account.password_reset"' not in page


def test_unverified_addresses_get_no_optional_mail(client):
    me = factories.user(verified=False)

    granted(me)

    assert notify.unread_count(me) == 1
    assert outbox.messages("role.granted") == []


def test_the_centre_pages_and_its_queries_do_not_grow_with_the_notifications(client, db, count_queries):
    me = factories.user()
    factories.login(client, me)
    granted(me)
    few = count_queries(lambda: client.get("/notifications/"))
    for _ in range(30):
        notify.send(me, "role.granted", role=SiteRole.EVALUATOR)
    db.session.commit()

    many = count_queries(lambda: client.get("/notifications/"))
    page = client.get("/notifications/?page=2").get_data(as_text=True)

    assert many == few
    assert "共 31 条" in page


def test_the_header_counts_the_unread_in_the_statement_that_loads_the_signed_in_user(client, count_queries):
    me, other = factories.user(), factories.user()
    granted(me)
    granted(me, SiteRole.LEAGUE_REVIEWER)
    granted(other)
    notify.mark_read(me, granted(me).id)
    db.session.commit()
    factories.login(client, me)
    pages = []

    statements = count_queries(lambda: pages.append(client.get("/account/password").get_data(as_text=True)))

    assert unread_badge(pages[0]) == "2"
    assert statements == 1  # the user, their roles and memberships, and the count: nothing else
