"""The audit log's project filter and its CSV export: the same entries as the page, read with the
same access and masking, written at once when short and by a background task when long."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from marketplace.accounts.models import AccountKind
from marketplace.admin import export
from marketplace.admin.models import AuditExport
from marketplace.audit import AuditEntry
from marketplace.exports import ExportStatus
from marketplace.extensions import db
from marketplace.notify.models import Notification
from marketplace.orgs.models import OrgKind
from marketplace.projects import operations as project_ops
from tests import factories
from tests.admin.test_audit_privacy import LEAVE_REASON, PHONE, entries_of
from tests.projects.helpers import World, project_data


def _csv(response) -> list[dict]:
    assert response.status_code == 200 and response.mimetype == "text/csv", response.status_code
    return list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def _signed_in(app, user):
    client = app.test_client()
    factories.login(client, user)
    return client


def _other_unions_project():
    union = factories.org(OrgKind.SCHOOL_UNION, name="研究生会")
    staff = factories.staff_member(union)
    project = project_ops.create_draft(staff, {**project_data(title="别会的项目"), "union_id": union.id})
    project_ops.publish(staff, project)
    db.session.commit()
    return project


def _old_personal_entry(project, actor) -> None:
    """An entry written before personal values were concealed: masked on read for all but admins."""
    db.session.add(
        AuditEntry(
            actor_id=actor.id,
            action="signup.leave",
            subject_type="signup",
            subject_id="1",
            project_id=project.id,
            before={"status": "accepted", "phone": "0"},
            after={"status": "leave", "phone": PHONE},
            reason=LEAVE_REASON,
        )
    )
    db.session.commit()


def test_the_project_filter_keeps_one_projects_entries_by_number_or_title(app):
    world = World()
    first = world.open_project(title="迎新晚会")
    second = world.open_project(title="学业互助")
    staff = _signed_in(app, world.staff)

    by_number = staff.get(f"/admin/audit?project={second.id}").get_data(as_text=True)
    assert f"/projects/{second.id}" in by_number and f'/projects/{first.id}"' not in by_number
    by_title = staff.get("/admin/audit?project=迎新").get_data(as_text=True)
    assert f"/projects/{first.id}" in by_title and f'/projects/{second.id}"' not in by_title
    assert 'value="迎新"' in by_title  # the filter keeps what was typed
    assert staff.get("/admin/audit?project=99999999999999999999").status_code == 200  # no integer: a title


def test_the_csv_holds_what_the_page_lists_masked_for_staff_and_in_full_for_admins(app):
    world = World()
    project = world.open_project(title="迎新晚会")
    _old_personal_entry(project, factories.user(name="张浩然"))
    admin = factories.user(kind=AccountKind.FACULTY, roles=("admin",))

    staff_rows = _csv(_signed_in(app, world.staff).post(f"/admin/audit/export?project={project.id}"))
    assert {row["项目"] for row in staff_rows} == {f"#{project.id} 《迎新晚会》"}
    staff_text = str(staff_rows)
    assert PHONE not in staff_text and LEAVE_REASON not in staff_text
    assert "已填写（个人信息，不显示内容）" in staff_text and "原始记录" not in staff_rows[0]

    admin_rows = _csv(_signed_in(app, admin).post(f"/admin/audit/export?project={project.id}"))
    assert PHONE in str(admin_rows) and LEAVE_REASON in str(admin_rows) and "原始记录" in admin_rows[0]
    exported = "导出操作日志"  # each export is itself an entry of the project it filtered by
    assert [r["操作"] for r in admin_rows if r["操作"] != exported] == [
        r["操作"] for r in staff_rows if r["操作"] != exported
    ]


def test_staff_cannot_export_another_unions_entries(app):
    world = World()
    world.open_project(title="本会的项目")
    other = _other_unions_project()
    staff = _signed_in(app, world.staff)

    assert _csv(staff.post(f"/admin/audit/export?project={other.id}")) == []
    everything = _csv(staff.post("/admin/audit/export"))
    assert everything and all("别会的项目" not in row["项目"] for row in everything)
    assert "别会的项目" in str(_csv(_signed_in(app, world.reviewer).post("/admin/audit/export")))
    assert _signed_in(app, factories.user()).post("/admin/audit/export").status_code == 403


def test_a_long_export_runs_as_a_task_whose_file_only_its_requester_downloads(app, monkeypatch):
    monkeypatch.setattr(export, "DIRECT_LIMIT", 2)
    world = World()
    project = world.open_project(title="迎新晚会")
    _old_personal_entry(project, factories.user(name="张浩然"))
    short = world.open_project(title="短项目")
    staff = _signed_in(app, world.staff)

    assert len(_csv(staff.post(f"/admin/audit/export?project={short.id}"))) == 2  # written at once
    assert db.session.scalar(select(AuditExport)) is None
    response = staff.post(f"/admin/audit/export?project={project.id}")
    job = db.session.scalar(select(AuditExport))
    assert response.status_code == 302 and response.headers["Location"].endswith(job.url)
    assert staff.get(f"{job.url}/status").get_json() == {"percent": 100, "status": "done", "finished": True}
    assert job.status == ExportStatus.DONE and job.total_rows == 4  # with the export's own entry
    assert "导出完成，共 4 条记录" in staff.get(job.url).get_data(as_text=True)
    rows = _csv(staff.get(f"{job.url}/download"))
    assert len(rows) == 4 and PHONE not in str(rows) and LEAVE_REASON not in str(rows)
    ready = db.session.scalar(select(Notification).where(Notification.kind == "audit.export_ready"))
    assert ready.user_id == world.staff.id

    reviewer = _signed_in(app, world.reviewer)  # reads the whole log, but this file is not theirs
    assert reviewer.get(job.url).status_code == 404 and reviewer.get(f"{job.url}/download").status_code == 404
    assert 'data-action="audit.export"' in entries_of(reviewer)


def test_a_reason_typed_as_a_formula_is_written_as_text(app):
    world = World()
    project = world.open_project(title="迎新晚会")
    formula = '=HYPERLINK("http://example.com","点此")'
    db.session.add(
        AuditEntry(
            actor_id=world.staff.id,
            action="project.cancel",
            subject_type="project",
            subject_id=str(project.id),
            project_id=project.id,
            before={},
            after={},
            reason=formula,
        )
    )
    db.session.commit()

    rows = _csv(_signed_in(app, world.staff).post(f"/admin/audit/export?project={project.id}"))

    reasons = [row["理由"] for row in rows if row["理由"]]
    assert reasons == [f"'{formula}"]
