"""Writing a bid changes nothing the public or other bidders can see (docs/sealing-and-recusal.md:
bid activity must not be inferable): the pages are byte-identical before and after, and the project row
is untouched."""

from __future__ import annotations

import re

from sqlalchemy import select

from marketplace.bids.queries import bid_of
from marketplace.extensions import db
from marketplace.projects.models import Project
from tests.bids.helpers import PDF, bid_form, signed_in, upload, version_on

# The one thing that differs from one rendering to the next whatever happened: the signed CSRF token.
_CSRF = re.compile(rb'(name="csrf_token"[^>]*?value=")[^"]*')


def render(client, urls: list[str]) -> dict[str, bytes]:
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = _CSRF.sub(rb"\1", response.data)
    return pages


def project_row(project: Project) -> dict:
    table = Project.__table__
    return db.session.execute(select(table).where(table.c.id == project.id)).one()._asdict()


def test_submitting_and_editing_a_bid_leaves_public_and_rival_pages_byte_identical(app, world, project):
    public_urls = [
        "/",
        "/projects",
        "/projects?status=open",
        f"/projects/{project.id}",
        f"/orgs/{world.club_a.id}",
    ]
    rival_urls = ["/projects", f"/projects/{project.id}", "/bids/mine"]
    anonymous, rival = signed_in(app, None), signed_in(app, world.manager_b)
    render(rival, rival_urls)  # a first page after signing in shows the welcome message; not compared
    before = (render(anonymous, public_urls), render(rival, rival_urls), project_row(project))

    bidder = signed_in(app, world.manager_a)
    bidder.post(f"/projects/{project.id}/bid", data=bid_form(summary="初稿"))
    form_page = bidder.get(f"/projects/{project.id}/bid").get_data(as_text=True)
    bidder.post(f"/projects/{project.id}/bid", data=bid_form(summary="修改稿", version=version_on(form_page)))
    bid = bid_of(project, world.club_a.id)
    assert [r.number for r in bid.revisions] == [1, 2]
    assert upload(bidder, bid, "标书.pdf", PDF).status_code == 302

    after = (render(anonymous, public_urls), render(rival, rival_urls), project_row(project))
    assert after[0] == before[0]
    assert after[1] == before[1]
    assert after[2] == before[2]
