"""Sealing (密封) and recusal (回避): every bid URL, as every role, before and after the deadline.

Before the deadline only the bidding organization's own managers see its bid. After it, the posting
union's staff and the league reviewer see it too — but never a rival bidder, and never anyone whose
membership of a bidding organization was active at the deadline. Anonymous visitors never do. Whoever
may not see a bid gets 404, the same answer as for a bid that does not exist. How many bids there are
is sealed too, for everyone, until the deadline; from then on the project page shows it to all.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta

import pytest
from werkzeug.datastructures import FileStorage

from marketplace import clock
from marketplace.accounts.models import AccountKind, User
from marketplace.audit import AuditEntry
from marketplace.bids import operations as bid_ops
from marketplace.bids.models import Bid, BidAttachment, BidRevision
from marketplace.bids.visibility import hidden_bid_projects
from marketplace.extensions import db
from marketplace.orgs.models import MemberRole
from marketplace.projects import lifecycle
from marketplace.projects.models import Project
from marketplace.projects.tasks import tick
from tests import factories
from tests.bids.helpers import PDF, signed_in
from tests.isolation import shared_world
from tests.projects.helpers import World, bid_data

SECRET = "甲方案：密封内容，截止前只有本社负责人可见"

ROLES = [
    "anonymous",
    "student",
    "own_manager",
    "rival_manager",
    "union_staff",
    "recused_staff",
    "league_reviewer",
    "admin",
]
PAGES = ["bid", "revisions", "revision", "attachment", "project_bids", "mine", "audit", "count"]
BID_PAGES = {"bid", "revisions", "revision", "attachment"}


@dataclass
class Scene:
    project: object
    bid: Bid
    revision: BidRevision
    attachment: BidAttachment
    users: dict

    def url(self, page: str) -> str:
        return {
            "bid": f"/bids/{self.bid.public_id}",
            "revisions": f"/bids/{self.bid.public_id}/revisions",
            "revision": f"/bids/{self.bid.public_id}/revisions/{self.revision.public_id}",
            "attachment": f"/attachments/{self.attachment.public_id}",
            "project_bids": f"/projects/{self.project.id}/bids",
            "mine": "/bids/mine",
            "audit": "/admin/audit?action=bid.",
            "count": f"/projects/{self.project.id}",
        }[page]

    def marker(self, page: str) -> bytes:
        """What on the page gives the bid away (never part of the URL, which a 404 page echoes)."""
        return {
            "bid": SECRET.encode(),
            "revisions": self.revision.content_hash[:16].encode(),
            "revision": SECRET.encode(),
            "attachment": PDF,
            "project_bids": f"/bids/{self.bid.public_id}".encode(),
            "mine": f"/bids/{self.bid.public_id}".encode(),
            "audit": self.bid.public_id.encode(),
            "count": 'data-testid="bid-count">2 份'.encode(),
        }[page]


def build_scene(world) -> Scene:
    """Club A bids (two revisions and a PDF), club B bids too; a staff member of the posting union is
    also a plain member of club A, so recused."""
    project = world.open_project()
    bid = world.bid(project, summary="初稿")
    bid = bid_ops.submit_bid(
        world.manager_a, project, world.club_a, {**bid_data(summary=SECRET), "version": bid.version}
    )
    attachment = bid_ops.add_attachment(
        world.manager_a, bid, {"file": FileStorage(io.BytesIO(PDF), "标书.pdf")}
    )
    db.session.commit()
    world.bid(project, world.manager_b, world.club_b, summary="乙方案")
    recused = factories.staff_member(world.union, name="钱干事")
    factories.membership(recused, world.club_a, MemberRole.MEMBER)
    users = {
        "anonymous": None,
        "student": factories.user(name="普通同学"),
        "own_manager": world.manager_a,
        "rival_manager": world.manager_b,
        "union_staff": world.staff,
        "recused_staff": recused,
        "league_reviewer": world.reviewer,
        "admin": factories.user(kind=AccountKind.FACULTY, name="管理员", roles=("admin",)),
    }
    return Scene(project, bid, bid.revisions[-1], attachment, users)


def may_see(role: str, page: str, after_deadline: bool) -> bool:
    if page == "count":
        return after_deadline  # for everyone: the count says nothing of what any bid holds
    if role == "own_manager":
        # Their own bid, always; but they neither oversee the project nor read the audit log.
        return page in BID_PAGES | {"mine"}
    if not after_deadline:
        return False
    if role in ("union_staff", "league_reviewer"):
        return page != "mine"  # "my bids" lists the bids of organizations one manages
    if role == "admin":
        # Admins read the whole log, where a bid is only an id and a hash; they do not read bids.
        return page == "audit"
    return False


def refused_status(role: str, page: str) -> int:
    if page == "count":
        return 200  # the public project page
    if role == "anonymous":
        return 302  # to the login page, for any id at all
    if page == "mine":
        return 200  # the user's own (other) bids
    if page == "audit":
        return 200 if role in ("union_staff", "recused_staff", "league_reviewer", "admin") else 403
    return 404


@shared_world(params=[False, True], ids=["before-deadline", "after-deadline"])
def sealed_scene(app, request) -> tuple[bool, dict]:
    """One scene on each side of the deadline, shared by every page and role (each test is rolled
    back): whether it is after the deadline, and the ids of what it holds."""
    scene = build_scene(World())
    if request.param:
        clock.set(scene.project.bid_deadline + timedelta(minutes=1))
        tick()
    return request.param, {
        "project": scene.project.id,
        "bid": scene.bid.id,
        "revision": scene.revision.id,
        "attachment": scene.attachment.id,
        "users": {role: user and user.id for role, user in scene.users.items()},
    }


class TestTheSealingMatrix:
    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize("page", PAGES)
    def test_a_bid_is_seen_only_by_those_the_sealing_rule_allows(self, app, clock, sealed_scene, page, role):
        after_deadline, ids = sealed_scene
        get = db.session.get
        scene = Scene(
            get(Project, ids["project"]),
            get(Bid, ids["bid"]),
            get(BidRevision, ids["revision"]),
            get(BidAttachment, ids["attachment"]),
            {r: user_id and get(User, user_id) for r, user_id in ids["users"].items()},
        )
        if after_deadline:
            clock.set(scene.project.bid_deadline + timedelta(minutes=1))
        client = signed_in(app, scene.users[role])

        response = client.get(scene.url(page))

        if may_see(role, page, after_deadline):
            assert response.status_code == 200
            assert scene.marker(page) in response.data
        else:
            assert response.status_code == refused_status(role, page)
            assert scene.marker(page) not in response.data
            assert SECRET.encode() not in response.data
        if page == "count" and not after_deadline:
            assert 'data-testid="bid-count">截止后公开'.encode() in response.data


def test_recusal_holds_for_a_membership_active_on_the_deadline_even_if_it_ended_since(app, world, clock):
    scene = build_scene(world)
    former = factories.staff_member(world.union, name="孙干事")
    deadline_day = clock.today_local() + timedelta(days=10)
    factories.membership(former, world.club_b, MemberRole.MEMBER, ends_on=deadline_day)
    clock.set(scene.project.bid_deadline + timedelta(days=3))
    tick()

    response = signed_in(app, former).get(scene.url("bid"))

    assert response.status_code == 404


def test_the_audit_log_hides_bid_entries_while_sealed_but_keeps_the_projects_own_steps(app, world, clock):
    scene = build_scene(world)
    staff = signed_in(app, world.staff)

    def entries(url: str) -> bytes:
        return staff.get(url).data.split(b'data-testid="audit-entries"')[1].split(b"</ul>")[0]

    assert scene.bid.public_id.encode() not in entries(f"/admin/audit?subject_id={scene.bid.public_id}")
    listed = entries("/admin/audit")
    assert b"bid." not in listed and b"project.publish" in listed

    clock.set(scene.project.bid_deadline + timedelta(seconds=1))
    opened = entries("/admin/audit?action=bid.")
    assert b"bid.submit" in opened and b"bid.attach" in opened and scene.bid.public_id.encode() in opened
    assert SECRET.encode() not in opened  # the log keeps a content hash, never the content
    assert hidden_bid_projects(scene.users["recused_staff"]) == {scene.project.id}


def test_the_audit_log_records_bid_events_by_public_id_and_content_hash(world, project):
    bid = world.bid(project, summary=SECRET)
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "bid.submit")).one()
    assert entry.subject_type == "bid" and entry.subject_id == bid.public_id
    assert entry.after["content_hash"] == bid.revisions[0].content_hash
    assert SECRET not in str(entry.after) and entry.project_id == project.id


def test_bids_of_a_project_cancelled_while_open_stay_sealed_after_the_old_deadline(app, world, clock):
    scene = build_scene(world)
    lifecycle.apply(scene.project, "cancel", world.staff, reason="经费冻结")
    db.session.commit()
    clock.set(scene.project.bid_deadline + timedelta(days=1))

    assert signed_in(app, world.staff).get(scene.url("bid")).status_code == 404
    assert signed_in(app, world.reviewer).get(scene.url("project_bids")).status_code == 404
    assert scene.project.id in hidden_bid_projects(world.reviewer)
    assert signed_in(app, world.manager_a).get(scene.url("bid")).status_code == 200


def test_ids_are_random_not_sequential(world, project):
    bid = world.bid(project)
    assert not bid.public_id.isdigit() and len(bid.public_id) >= 16
    assert bid.revisions[0].public_id != bid.public_id
