"""Who reads which audit entries, and personal values (个人信息) in them.

Union staff read the entries of their own union's projects; the league reviewer and admins read the
whole log. Phone numbers, emails, 政治面貌 and personal reasons (请假, appeals) are recorded as
changed, never by value; entries written before that rule are masked when read, for everyone but
admins, without rewriting the append-only table.
"""

from __future__ import annotations

import html

import pytest

from marketplace import audit
from marketplace.accounts import operations as accounts_ops
from marketplace.accounts.models import AccountKind, User
from marketplace.audit import AuditEntry
from marketplace.extensions import db
from marketplace.orgs.models import OrgKind
from marketplace.projects import operations as project_ops
from tests import factories
from tests.admin.helpers import changes, text
from tests.projects.helpers import World, project_data

PHONE, NEW_PHONE = "13811112222", "13933334444"
EMAIL = "zhang.haoran@example.edu.cn"
POLITICAL = ("league_member", "共青团员", "party_member", "中共党员")
LEAVE_REASON = "奶奶住院，需要回家照顾"


def entries_of(client) -> str:
    response = client.get("/admin/audit")
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    return page.split('data-testid="audit-entries"')[1].split("</ul>")[0]


def readers(app, world: World) -> dict:
    """A signed-in client for each role that reads the audit log."""
    admin = factories.user(kind=AccountKind.FACULTY, name="周建华", roles=("admin",))
    clients = {}
    for role, user in {"union staff": world.staff, "league reviewer": world.reviewer, "admin": admin}.items():
        clients[role] = app.test_client()
        factories.login(clients[role], user)
    return clients


def profile_form(**fields) -> dict:
    return {"phone": NEW_PHONE, "political_status": "party_member", "locale": "zh_CN", **fields}


def test_after_a_profile_edit_no_role_finds_a_phone_email_or_political_status_in_the_log(app):
    world = World()
    student = factories.user(name="张浩然", phone=PHONE, email=EMAIL)
    student.political_status = "league_member"
    db.session.commit()
    own = app.test_client()
    factories.login(own, student)
    assert own.post("/account", data=profile_form()).status_code == 302
    admin = factories.user(kind=AccountKind.FACULTY, roles=("admin",))
    accounts_ops.save_user(
        admin,
        student,
        {"identifier": student.student_no, "name": "张浩然", "email": "new." + EMAIL, "phone": PHONE},
    )
    db.session.commit()

    for role, client in readers(app, world).items():
        page = entries_of(client)
        for personal in (PHONE, NEW_PHONE, EMAIL, *POLITICAL):
            assert personal not in page, (role, personal)
        if role != "union staff":  # account entries are not theirs to read at all
            assert "张浩然 修改了 张浩然 的个人资料" in text(page)
            assert ("手机号", "已修改（个人信息，不显示内容）") in changes(page)


def test_personal_values_are_recorded_as_changed_never_by_value(app):
    student = factories.user(name="张浩然", phone=PHONE, email=EMAIL)
    accounts_ops.update_own_profile(student, {"phone": NEW_PHONE, "political_status": "masses", "locale": ""})
    entry = audit.record(student, "account.claim", student, after={"email": EMAIL})
    db.session.commit()

    [profile] = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "account.profile_update"))
    assert profile.before == {"locale": None}
    assert profile.after == {"locale": None, "phone": audit.CHANGED, "political_status": audit.CHANGED}
    assert entry.after == {"email": audit.CHANGED}


def test_an_unchanged_personal_value_is_left_out_and_other_fields_are_kept():
    before, after, reason = audit.conceal(
        "user.update", {"name": "甲", "phone": PHONE, "email": EMAIL}, {"name": "乙", "phone": PHONE}, None
    )
    assert before == {"name": "甲"} and after == {"name": "乙"} and reason is None


@pytest.mark.parametrize("action", ["signup.leave", "credit.appeal", "no_show.appeal"])
def test_a_personal_reason_is_recorded_as_given_never_by_text(action):
    entry = audit.record(
        factories.user(), action, ("signup", 1), after={"status": "leave"}, reason=LEAVE_REASON
    )
    assert entry.reason is None and entry.after == {"status": "leave", "reason_given": True}


@pytest.mark.parametrize("action", ["credit_appeal.reject", "credit.appeal_ruled", "project.cancel"])
def test_a_ruling_or_a_staff_reason_is_not_personal_and_keeps_its_text(action):
    entry = audit.record(factories.user(), action, ("credit_appeal", 1), reason="签到记录完整")
    assert entry.reason == "签到记录完整"


def test_entries_written_before_are_masked_for_all_but_admins_and_never_rewritten(app):
    world = World()
    project = world.open_project()
    student = factories.user(name="张浩然")
    # Entries as the code wrote them before personal values were concealed: inserted as they were.
    old = [
        AuditEntry(
            actor_id=student.id,
            action="account.profile_update",
            subject_type="user",
            subject_id=str(student.id),
            before={"phone": PHONE, "political_status": "league_member"},
            after={"phone": NEW_PHONE, "political_status": "party_member"},
        ),
        AuditEntry(
            actor_id=student.id,
            action="account.claim",
            subject_type="user",
            subject_id=str(student.id),
            after={"email": EMAIL},
        ),
        AuditEntry(
            actor_id=student.id,
            action="signup.leave",
            subject_type="signup",
            subject_id="1",
            project_id=project.id,
            before={"status": "accepted"},
            after={"status": "leave"},
            reason=LEAVE_REASON,
        ),
    ]
    db.session.add_all(old)
    db.session.commit()

    clients = readers(app, world)
    for role in ("union staff", "league reviewer"):
        page = entries_of(clients[role])
        for personal in (PHONE, NEW_PHONE, EMAIL, LEAVE_REASON, *POLITICAL):
            assert personal not in page, (role, personal)
        assert "理由：已填写（个人信息，不显示内容）" in page  # the leave, on the staff's own project
    admin_page = entries_of(clients["admin"])
    assert all(value in admin_page for value in (PHONE, NEW_PHONE, EMAIL, LEAVE_REASON, "中共党员"))
    db.session.expire_all()
    assert db.session.get(AuditEntry, old[0].id).after["phone"] == NEW_PHONE  # read masked, stored as written


def test_union_staff_read_only_the_entries_of_their_own_unions_projects(app):
    world = World()
    own_project = world.open_project(title="本会的项目")
    other_union = factories.org(OrgKind.SCHOOL_UNION, name="研究生会")
    other_staff = factories.staff_member(other_union)
    other_project = project_ops.create_draft(
        other_staff, {**project_data(title="别会的项目"), "union_id": other_union.id}
    )
    project_ops.publish(other_staff, other_project)
    admin = factories.user(kind=AccountKind.FACULTY, roles=("admin",))
    accounts_ops.save_user(admin, User(), {"identifier": "2025999999", "name": "新同学"})
    audit.record(admin, "setting.update", ("setting", "open_registration"), before={}, after={})
    audit.record(admin, "roster.import", ("import_job", 1), after={"rows": 3})
    db.session.commit()

    clients = readers(app, world)
    staff_page = entries_of(clients["union staff"])
    assert f"/projects/{own_project.id}" in staff_page and f"/projects/{other_project.id}" not in staff_page
    for action in ("user.create", "setting.update", "roster.import"):
        assert f'data-action="{action}"' not in staff_page
    assert 'data-action="project.publish"' in staff_page

    for role in ("league reviewer", "admin"):
        page = entries_of(clients[role])
        assert f"/projects/{own_project.id}" in page and f"/projects/{other_project.id}" in page
        assert all(f'data-action="{a}"' in page for a in ("user.create", "setting.update", "roster.import"))
