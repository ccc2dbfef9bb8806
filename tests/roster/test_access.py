"""Only those allowed "roster.import" (admins) reach the roster import; others get 403, and the
signed-out are sent to sign in."""

from __future__ import annotations

import pytest

from marketplace.accounts.models import AccountKind
from marketplace.extensions import db
from marketplace.roster.models import ImportJob
from tests import factories

NOT_ADMINS = {
    "student": lambda: factories.user(),
    "staff": lambda: factories.staff_member(),
    "league reviewer": lambda: factories.user(kind=AccountKind.FACULTY, roles=("league_reviewer",)),
}


def _routes(admin) -> list[tuple[str, str]]:
    job = ImportJob(filename="名册.xlsx", stored_path="-", created_by_id=admin.id)
    db.session.add(job)
    db.session.commit()
    base = f"/admin/imports/{job.public_id}"
    return [
        ("GET", "/admin/imports/"),
        ("GET", "/admin/imports/new"),
        ("POST", "/admin/imports/new"),
        ("GET", "/admin/imports/template.xlsx"),
        ("GET", base),
        ("GET", f"{base}/status"),
        ("POST", f"{base}/confirm"),
    ]


@pytest.mark.parametrize("who", sorted(NOT_ADMINS))
def test_non_admins_get_403_on_every_roster_page(client, admin, who):
    routes = _routes(admin)
    factories.login(client, NOT_ADMINS[who]())

    for method, url in routes:
        response = client.open(url, method=method)
        assert response.status_code == 403, (method, url)


def test_the_signed_out_are_sent_to_sign_in(client, admin):
    for method, url in _routes(admin):
        response = client.open(url, method=method)
        assert response.status_code == 302 and "/login" in response.headers["Location"], (method, url)


def test_admins_reach_the_pages(as_admin):
    assert as_admin.get("/admin/imports/").status_code == 200
    page = as_admin.get("/admin/imports/new").get_data(as_text=True)
    assert "下载导入模板" in page and "学号/工号" in page and 'enctype="multipart/form-data"' in page
