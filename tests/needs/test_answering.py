"""The union's answer to a need — 采纳 with a project, 合并 into another open need (supports carried
over, each student once), 不采纳 with a reason — and its transfer to the other union; staff of
neither union are refused with a message, and a refused answer leaves the need as it was."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from marketplace.audit import AuditEntry
from marketplace.extensions import db
from marketplace.needs import operations, queries
from marketplace.needs.models import Need, NeedStatus, NeedSupport
from marketplace.notify.models import Notification
from marketplace.orgs.models import OrgKind
from tests import factories
from tests.bids.helpers import signed_in
from tests.needs.helpers import NeedWorld


def supporters(need: Need) -> set[int]:
    return set(db.session.scalars(select(NeedSupport.user_id).where(NeedSupport.need_id == need.id)))


def fresh(need: Need) -> Need:
    db.session.expire_all()
    return db.session.get(Need, need.id)


def test_declining_says_why_to_everyone_and_tells_the_supporters(app, clock):
    world = NeedWorld()
    need = world.support(world.post(), world.students[0])

    response = signed_in(app, world.staff).post(
        f"/needs/{need.id}/decline", data={"decline-reason": "场地归后勤管理"}
    )

    assert response.status_code == 302
    need = fresh(need)
    assert (need.status, need.decline_reason, need.answered_by_id) == (
        NeedStatus.DECLINED,
        "场地归后勤管理",
        world.staff.id,
    )
    assert "暂不采纳。理由：场地归后勤管理" in signed_in(app, None).get(need.url).get_data(as_text=True)
    told = set(db.session.scalars(select(Notification.user_id).where(Notification.kind == "need.answered")))
    assert told == {world.author.id, world.students[0].id}


def test_declining_without_a_reason_is_refused_beside_the_field(app, clock):
    world = NeedWorld()
    need = world.post()

    response = signed_in(app, world.staff).post(f"/needs/{need.id}/decline", data={"decline-reason": ""})

    assert response.status_code == 422
    assert "此项必填。" in response.get_data(as_text=True)
    assert fresh(need).status == NeedStatus.OPEN


def test_accepting_links_the_need_to_a_project_of_its_union(app, clock):
    world = NeedWorld()
    need = world.post()
    project = world.project()

    response = signed_in(app, world.staff).post(f"/needs/{need.id}/accept", data={"project": project.id})

    assert response.status_code == 302
    need = fresh(need)
    assert (need.status, need.project_id) == (NeedStatus.ACCEPTED, project.id)


def test_accepting_with_a_project_number_no_row_can_have_is_refused_beside_the_field(app, clock):
    world = NeedWorld()
    need = world.post()

    response = signed_in(app, world.staff).post(
        f"/needs/{need.id}/accept", data={"project": "99999999999999999999"}
    )

    assert response.status_code == 422
    assert "请选择服务这条需求的项目。" in response.get_data(as_text=True)


def test_accepting_with_another_unions_project_is_refused(app, clock):
    world = NeedWorld()
    need = world.post()
    project = world.project(union=world.graduate_union, staff=world.graduate_staff)

    with pytest.raises(operations.DomainError, match="只能关联校学生会发布的项目。"):
        operations.accept(world.staff, need, {"project": project.id})


@pytest.mark.parametrize("path", ["accept", "merge", "decline", "transfer", "hide"])
def test_staff_of_neither_union_are_told_whose_need_it_is(app, clock, path):
    world = NeedWorld()
    need = world.post()
    outsider = factories.staff_member(factories.org(OrgKind.SCHOOL_UNION, name="分校学生会"))
    data = {"project": "1", "target": "1", "decline-reason": "不归我们管", "hide-reason": "违规"}

    response = signed_in(app, outsider).post(f"/needs/{need.id}/{path}", data=data)

    assert response.status_code == 422
    assert "这条需求属于校学生会，只有它的工作人员可以处理。" in response.get_data(as_text=True)
    need = fresh(need)
    assert (need.status, need.union_id) == (NeedStatus.OPEN, world.school_union.id)


def test_a_student_who_is_no_staff_may_not_answer(app, clock):
    world = NeedWorld()
    need = world.post()
    response = signed_in(app, world.students[0]).post(
        f"/needs/{need.id}/decline", data={"decline-reason": "x"}
    )
    assert response.status_code == 403
    assert fresh(need).status == NeedStatus.OPEN


def test_merging_carries_the_supports_over_and_counts_a_student_who_supported_both_once(app, clock):
    world = NeedWorld()
    a, b, c = world.students
    source = world.support(world.post(title="自习室不够"), a, b)
    target = world.support(world.post(author=world.students[2], title="图书馆座位太少"), a)
    assert (source.support_count, target.support_count) == (2, 1)

    response = signed_in(app, world.staff).post(f"/needs/{source.id}/merge", data={"target": target.id})

    assert response.status_code == 302
    source, target = fresh(source), fresh(target)
    assert (source.status, source.merged_into_id) == (NeedStatus.MERGED, target.id)
    # a (both: once), b (carried), the source's author (carried); c wrote the target: not a supporter.
    assert supporters(target) == {a.id, b.id, world.author.id}
    assert target.support_count == 3
    assert source.support_count == 2  # what it had when merged, still shown on its page
    page = signed_in(app, None).get(source.url).get_data(as_text=True)
    assert f"/needs/{target.id}" in page


def test_carried_supports_keep_their_day_and_lift_no_trend(app, clock):
    world = NeedWorld()
    source = world.support(world.post(title="自习室不够"), world.students[0])
    target = world.post(author=world.students[1], title="图书馆座位太少")
    clock.set(clock.now() + timedelta(days=10))
    operations.merge(world.staff, source, {"target": target.id})
    db.session.commit()

    rows = db.session.execute(queries.listing(sort="trend", status="open")).all()

    assert [(need.id, trend) for need, trend in rows] == [(target.id, 0)]
    assert fresh(target).support_count == 2


def test_a_carried_support_cannot_be_given_twice(app, clock):
    world = NeedWorld()
    a = world.students[0]
    source = world.support(world.post(title="自习室不够"), a)
    target = world.post(author=world.students[1], title="图书馆座位太少")
    operations.merge(world.staff, source, {"target": target.id})
    db.session.commit()

    response = signed_in(app, a).post(f"/needs/{target.id}/support")

    assert response.status_code == 422
    assert "你已经支持过这条需求了。" in response.get_data(as_text=True)
    assert fresh(target).support_count == 2


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("itself", "不能把需求合并到它自己。"),
        ("merged", "目标需求已经「已合并」，只能合并到待答复的需求。"),
        ("other union", "只能合并到同一学生会的需求：这条需求属于校学生会，目标需求属于研究生会。"),
        ("unknown", "请填写要合并到的需求编号。"),
    ],
)
def test_a_merge_into_itself_a_merged_need_or_across_unions_is_refused(app, clock, case, message):
    world = NeedWorld()
    source = world.support(world.post(title="自习室不够"), world.students[0])
    target = {
        "itself": lambda: source,
        "merged": lambda: _merged_need(world),
        "other union": lambda: world.post(author=world.master, title="研究生自习室"),
        "unknown": lambda: None,
    }[case]()

    response = signed_in(app, world.staff).post(
        f"/needs/{source.id}/merge", data={"target": target.id if target else 999999}
    )

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    source = fresh(source)
    assert (source.status, source.merged_into_id) == (NeedStatus.OPEN, None)
    assert db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "need.merge")
    ) == (1 if case == "merged" else 0)


def _merged_need(world) -> Need:
    gone = world.post(author=world.students[1], title="旧需求")
    keep = world.post(author=world.students[2], title="保留的需求")
    operations.merge(world.staff, gone, {"target": keep.id})
    db.session.commit()
    return gone


def test_transferring_hands_an_undergraduate_need_to_the_graduate_union(app, clock):
    world = NeedWorld()
    need = world.post()

    response = signed_in(app, world.staff).post(f"/needs/{need.id}/transfer")

    assert response.status_code == 302
    assert fresh(need).union_id == world.graduate_union.id
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "need.transfer")).one()
    assert (entry.actor_id, entry.before, entry.after) == (
        world.staff.id,
        {"union_id": world.school_union.id},
        {"union_id": world.graduate_union.id},
    )
    # Now the graduate union answers it, and the school union may no longer.
    refused = signed_in(app, world.staff).post(f"/needs/{need.id}/decline", data={"decline-reason": "x"})
    assert "这条需求属于研究生会" in refused.get_data(as_text=True)
    ok = signed_in(app, world.graduate_staff).post(
        f"/needs/{need.id}/decline", data={"decline-reason": "已有安排"}
    )
    assert ok.status_code == 302


def test_an_answered_need_cannot_be_answered_again(app, clock):
    world = NeedWorld()
    need = world.post()
    operations.decline(world.staff, need, {"reason": "已有安排"})
    db.session.commit()

    response = signed_in(app, world.staff).post(f"/needs/{need.id}/transfer")

    assert response.status_code == 422
    assert "需求已经「未采纳」，不能再转交。" in response.get_data(as_text=True)
