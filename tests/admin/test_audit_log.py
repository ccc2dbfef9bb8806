"""The audit log page: each entry a Chinese sentence with a table of what changed, newest first,
filtered by action, actor, subject and day, and as cheap with many rows as with few."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from marketplace import audit
from marketplace.accounts import operations as accounts_ops
from marketplace.accounts.models import AccountKind, SiteRole
from marketplace.extensions import db
from tests import factories
from tests.admin.helpers import changes, text


def record(actor, action, subject, **fields):
    entry = audit.record(actor, action, subject, **fields)
    db.session.commit()
    return entry


def listed(client, **query) -> str:
    """The entries part of the audit log page."""
    response = client.get("/admin/audit", query_string=query)
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True)).split('data-testid="audit-entries"')[1]


def test_a_league_reviewer_reads_the_log_newest_first_with_changes_and_reasons(client, clock):
    reviewer = factories.user(kind=AccountKind.FACULTY, roles=("league_reviewer",))
    record(reviewer, "org.create", ("organization", 1))
    clock.shift(timedelta(minutes=5))
    record(
        reviewer,
        "org.update",
        ("organization", 1),
        before={"name": "旧名"},
        after={"name": "新名"},
        reason="更正错别字",
    )
    factories.login(client, reviewer)
    page = listed(client)
    assert page.index('data-action="org.update"') < page.index('data-action="org.create"')
    assert ("名称", "旧名", "新名") in changes(page) and "理由：更正错别字" in text(page)
    assert f"{reviewer.name} 修改了组织 #1" in text(page)


def test_an_edit_shows_only_the_fields_that_changed(as_admin, admin):
    record(
        admin,
        "user.update",
        ("user", 7),
        before={"name": "甲", "grade": 2024},
        after={"name": "乙", "grade": 2024},
    )
    page = listed(as_admin)
    assert changes(page) == [("姓名", "甲", "乙")]


def test_an_entry_reads_as_a_sentence_with_chinese_names_and_values(as_admin, admin):
    student = factories.user(name="张浩然")
    accounts_ops.set_site_roles(admin, student, {SiteRole.EVALUATOR})
    db.session.commit()

    page = listed(as_admin)

    assert f"{admin.name} 修改了 张浩然 的系统角色" in text(page)
    assert "修改系统角色" in text(page)  # the action's name, beside the sentence
    assert ("系统角色", "—", "评议人") in changes(page)
    assert f'href="/admin/users/{student.id}"' in page


def test_only_admins_get_the_raw_entry_behind_a_details_toggle(app, as_admin, admin):
    record(admin, "org.update", ("organization", 3), before={"name": "旧名"}, after={"name": "新名"})
    raw = '"after":{"name":"新名"}'
    page = listed(as_admin)
    toggle = page[page.index("<details") : page.index("</details>")]
    assert "详情" in toggle and raw in toggle and "<script" not in page.split("</ul>")[0]

    reviewer = app.test_client()
    factories.login(reviewer, factories.user(kind=AccountKind.FACULTY, roles=("league_reviewer",)))
    page = listed(reviewer)
    assert "<details" not in page and raw not in page and ("名称", "旧名", "新名") in changes(page)


def test_the_action_filter_lists_every_action_by_its_chinese_name(as_admin):
    page = html.unescape(as_admin.get("/admin/audit").get_data(as_text=True))
    select = page[page.index('<select class="form-select form-select-sm" id="action"') :]
    select = select[: select.index("</select>")]
    assert '<option value="" selected>全部操作</option>' in select
    assert (
        '<optgroup label="用户管理">' in select
        and '<option value="user.roles">修改系统角色</option>' in select
    )
    assert '<option value="bid.">全部标书操作</option>' in select
    assert "user.roles</option>" not in select  # no action goes by its code


def test_the_log_filters_by_action_prefix_actor_subject_and_day(as_admin, admin, clock):
    other = factories.user(kind=AccountKind.FACULTY, number="T77777", roles=("admin",))
    record(admin, "user.create", ("user", 1))
    record(None, "user.create_admin", ("user", 2))
    record(other, "org.create", ("organization", 2))
    clock.shift(timedelta(days=3))
    record(other, "setting.update", ("setting", "open_registration"))

    def actions(**query):
        page = listed(as_admin, **query)
        return set(re.findall(r'data-action="([^"]+)"', page))

    assert actions(action="org.") == {"org.create"}
    assert actions(action="user.create") == {"user.create"}  # one action, not every one it begins
    assert actions(action="user.") == {"user.create", "user.create_admin"}
    assert actions(actor="T77777") == {"org.create", "setting.update"}
    assert actions(subject_type="setting") == {"setting.update"}
    assert actions(subject_type="user", subject_id="1") == {"user.create"}
    today = clock.today_local()
    before_today = {"user.create", "user.create_admin", "org.create"}
    assert actions(until=(today - timedelta(days=1)).isoformat()) == before_today
    assert actions(since=today.isoformat(), until=today.isoformat()) == {"setting.update"}
    assert actions(since="not-a-date") == before_today | {"setting.update"}
    assert actions(action="no.such_action") == before_today | {"setting.update"}


def test_the_audit_log_costs_the_same_queries_for_3_or_30_rows(as_admin, count_queries):
    def add(n):
        for _ in range(n):
            actor = factories.user(roles=("evaluator",))
            factories.membership(actor, factories.org())
            record(actor, "user.update", ("user", actor.id), before={"phone": None}, after={"phone": "1"})

    add(3)
    few = count_queries(lambda: as_admin.get("/admin/audit"))
    add(27)
    many = count_queries(lambda: as_admin.get("/admin/audit"))
    assert many == few


def test_the_log_pages_by_position_older_and_back_newer_however_deep(as_admin, admin, clock):
    for n in range(120):
        record(admin, "org.update", ("organization", n))
        clock.shift(timedelta(seconds=1))

    def ids(page: str) -> list[int]:
        entries = html.unescape(page).split('data-testid="audit-entries"')[1]
        return [int(n) for n in re.findall(r"组织 #(\d+)", text(entries))]

    first = as_admin.get("/admin/audit").get_data(as_text=True)
    older = re.search(r'href="([^"]*after=[^"]*)"', html.unescape(first)).group(1)
    second = as_admin.get(older).get_data(as_text=True)
    newer = re.search(r'href="([^"]*before=[^"]*)"', html.unescape(second)).group(1)
    back = as_admin.get(newer).get_data(as_text=True)

    assert ids(first) == list(range(119, 69, -1))
    assert ids(second) == list(range(69, 19, -1))
    assert ids(back) == ids(first)


def test_a_cursor_that_does_not_parse_shows_the_newest_page(as_admin, admin):
    record(admin, "org.create", ("organization", 1))

    response = as_admin.get("/admin/audit?after=yesterday~x")

    assert response.status_code == 200 and 'data-action="org.create"' in response.get_data(as_text=True)


def test_a_day_beyond_the_log_is_refused_beside_its_field_not_a_500(as_admin, admin):
    record(admin, "user.create", ("user", 1))

    for query in ({"until": "9999-12-31"}, {"since": "0001-01-01"}):
        response = as_admin.get("/admin/audit", query_string=query)
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "请填写 2000-01-01 到 2099-12-31 之间的日期。" in page
        assert 'data-action="user.create"' in page  # the filter is ignored, the log still listed

        exported = as_admin.post("/admin/audit/export", query_string=query)
        assert exported.status_code == 200 and exported.mimetype == "text/csv"
