"""Who may open the administration pages: admins everything, the audit log also staff and league
reviewers, nobody else anything; the signed-out are sent to sign in; unknown ids are 404."""

from __future__ import annotations

import pytest
from flask import url_for

from marketplace.accounts.models import AccountKind, AccountStatus
from marketplace.orgs.models import OrgKind
from tests import factories

READABLE_BY_AUDITORS = {"admin.audit_log", "admin.audit_export_start"}
# An audit export is its requester's (the world's is the admin's): to other auditors it does not exist.
REQUESTERS_ONLY = {"admin.audit_export", "admin.audit_export_status", "admin.audit_export_download"}


def admin_routes(app, ids: dict, *, with_ids_only: bool = False) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) for every route of the admin blueprint, its ids filled from ``ids``."""
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin.") or (with_ids_only and not rule.arguments):
            continue
        url = url_for(rule.endpoint, **{arg: ids[arg] for arg in rule.arguments})
        routes += [(rule.endpoint, method, url) for method in sorted(rule.methods & {"GET", "POST"})]
    assert len(routes) > 10
    return routes


def call(client, method: str, url: str):
    return client.get(url) if method == "GET" else client.post(url, data={})


OUTSIDERS = {
    "student": lambda: factories.user(),
    "graduate": lambda: factories.user(status=AccountStatus.GRADUATED),
    "org manager": lambda: factories.manager_of(factories.org(OrgKind.CLUB)),
    "staff": lambda: factories.staff_member(),
    "evaluator": lambda: factories.user(roles=("evaluator",)),
    "league reviewer": lambda: factories.user(kind=AccountKind.FACULTY, roles=("league_reviewer",)),
}
AUDITORS = {"staff", "league reviewer"}


@pytest.mark.parametrize("who", OUTSIDERS)
def test_only_admins_open_admin_pages_but_staff_and_league_reviewers_read_the_audit_log(
    app, client, world, who
):
    factories.login(client, OUTSIDERS[who]())
    for endpoint, method, url in admin_routes(app, world):
        expected = 200 if who in AUDITORS and endpoint in READABLE_BY_AUDITORS else 403
        if who in AUDITORS and endpoint in REQUESTERS_ONLY:
            expected = 404
        assert call(client, method, url).status_code == expected, (method, url)


def test_an_admin_opens_every_admin_page(app, as_admin, world):
    for _endpoint, method, url in admin_routes(app, world):
        if method == "GET":
            response = as_admin.get(url)
            assert response.status_code == 200, url
            if response.mimetype == "text/html":  # not the export's progress (JSON) nor its file
                assert "系统管理" in response.get_data(as_text=True)


def test_signed_out_visitors_are_sent_to_sign_in(app, client, world):
    for _endpoint, method, url in admin_routes(app, world):
        response = call(client, method, url)
        assert response.status_code == 302, (method, url)
        assert response.headers["Location"].startswith("/login"), (method, url)


def test_unknown_ids_are_404(app, as_admin, world):
    for _endpoint, method, url in admin_routes(app, dict.fromkeys(world, 999_999), with_ids_only=True):
        assert call(as_admin, method, url).status_code == 404, (method, url)


def test_the_dashboard_links_every_section_and_the_roster_import(app, as_admin):
    page = as_admin.get("/admin/").get_data(as_text=True)
    for path in (
        "/admin/users",
        "/admin/orgs",
        "/admin/colleges",
        "/admin/calendar",
        "/admin/credit-categories",
        "/admin/settings",
        "/admin/audit",
    ):
        assert f'href="{path}"' in page, path
    if "roster.index" in app.view_functions:
        assert f'href="{url_for("roster.index")}"' in page


def test_the_admin_pages_still_render_without_the_roster_import(app, as_admin, monkeypatch):
    monkeypatch.delitem(app.view_functions, "roster.index", raising=False)
    page = as_admin.get("/admin/").get_data(as_text=True)
    assert "名册导入" not in page and "/admin/users" in page


def test_the_dashboard_counts_accounts_by_kind_and_status(as_admin, admin):
    factories.user(status=AccountStatus.GRADUATED)
    factories.user(status=AccountStatus.GRADUATED)
    page = as_admin.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/users?kind=student&amp;status=graduated">2</a>' in page
    assert 'href="/admin/users?kind=faculty&amp;status=active">1</a>' in page
