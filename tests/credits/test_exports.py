"""The staff export of a term's verified credits, through the pages (a background task with progress)
and from the command line, in the columns configured for the school's system."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from marketplace import settings
from marketplace.audit import AuditEntry
from marketplace.credits import records as credit_records
from marketplace.credits.models import CreditExport, CreditStatus
from marketplace.exports import ExportStatus
from marketplace.extensions import db
from marketplace.notify.models import Notification
from marketplace.timeutil import local
from tests import factories
from tests.bids.helpers import signed_in
from tests.credits.helpers import add_records, records_of
from tests.downloads import disposition
from tests.isolation import in_this_session
from tests.spreadsheets import assert_finished


@pytest.fixture
def world(credit_world):
    """Every test here starts from the credits world built once for the module (and is rolled back)."""
    return in_this_session(credit_world)


COLUMNS = "学号=student_no\n姓名=name\n活动=project\n学分=credits"


def verified_term(world) -> None:
    """The shift's two records verified, one more waiting (not exported), the school's columns set."""
    credit_records.verify(world.reviewer, records_of())
    add_records(world, 1, status=CreditStatus.CONFIRMED)
    settings.put("credit_export_columns", COLUMNS, None)
    db.session.commit()


def test_staff_export_a_term_through_the_pages_with_the_configured_columns(app, world):
    verified_term(world)
    staff = signed_in(app, world.staff)
    assert world.term.full_name in staff.get("/credits/exports").get_data(as_text=True)

    response = staff.post("/credits/exports", data={"term_id": world.term.id, "file_format": "csv"})

    job = db.session.scalar(select(CreditExport))
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/credits/exports/{job.public_id}"
    )
    status = staff.get(f"/credits/exports/{job.public_id}/status").get_json()
    assert status == {"percent": 100, "status": "done", "finished": True}
    page = staff.get(f"/credits/exports/{job.public_id}").get_data(as_text=True)
    assert "导出完成，共 2 条记录" in page and "data-poll" not in page

    download = staff.get(f"/credits/exports/{job.public_id}/download")
    names = disposition(download)
    assert names.fallback == f"credits-{world.term.starts_on:%Y-%m}.csv"
    assert names.name == "第二课堂学分-" + world.term.full_name.replace(" ", "-") + ".csv"
    rows = list(csv.reader(io.StringIO(download.data.decode("utf-8-sig"))))
    assert rows[0] == ["学号", "姓名", "活动", "学分"]
    assert sorted(row[0] for row in rows[1:]) == sorted(v.student_no for v in world.volunteers)
    assert {row[2] for row in rows[1:]} == {world.project.title} and {row[3] for row in rows[1:]} == {"0.44"}
    ready = db.session.scalar(select(Notification).where(Notification.kind == "credit.export_ready"))
    assert ready.user_id == world.staff.id


def test_the_verifier_exports_excel(app, world):
    verified_term(world)
    reviewer = signed_in(app, world.reviewer)
    reviewer.post("/credits/exports", data={"term_id": world.term.id, "file_format": "xlsx"})
    job = db.session.scalar(select(CreditExport))
    sheet = load_workbook(io.BytesIO(reviewer.get(f"/credits/exports/{job.public_id}/download").data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == ["学号", "姓名", "活动", "学分"] and len(rows) == 3
    assert_finished(sheet, text=("学号",))
    assert {row[3] for row in rows[1:]} == {0.44}  # a number Excel can sum, not the text "0.44"


def test_the_excel_export_writes_dates_as_dates_and_the_csv_the_schools_local_day(app, world):
    verified_term(world)
    settings.put("credit_export_columns", COLUMNS + "\n日期=date\n认定时间=verified_at", None)
    db.session.commit()
    reviewer = signed_in(app, world.reviewer)
    for file_format in ("xlsx", "csv"):
        reviewer.post("/credits/exports", data={"term_id": world.term.id, "file_format": file_format})
    xlsx, csv_job = db.session.scalars(select(CreditExport).order_by(CreditExport.id)).all()

    sheet = load_workbook(io.BytesIO(reviewer.get(f"/credits/exports/{xlsx.public_id}/download").data)).active
    assert_finished(sheet, text=("学号",), dates=("日期", "认定时间"))
    text = reviewer.get(f"/credits/exports/{csv_job.public_id}/download").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    record = records_of()[0]
    assert rows[1][4] == local(record.occurred_at).date().isoformat()
    assert rows[1][5].endswith("+08:00")


def test_a_running_export_shows_its_progress_and_polls_for_it(app, world):
    job = CreditExport(
        term_id=world.term.id,
        file_format="csv",
        requested_by_id=world.staff.id,
        status=ExportStatus.RUNNING,
        total_rows=4000,
        processed_rows=1000,
    )
    db.session.add(job)
    db.session.commit()
    staff = signed_in(app, world.staff)
    page = staff.get(f"/credits/exports/{job.public_id}").get_data(as_text=True)
    assert f'data-poll="/credits/exports/{job.public_id}/status"' in page and "25%" in page
    assert staff.get(f"/credits/exports/{job.public_id}/status").get_json() == {
        "percent": 25,
        "status": "running",
        "finished": False,
    }
    assert staff.get(f"/credits/exports/{job.public_id}/download").status_code == 404


def test_only_union_staff_and_the_verifying_role_export(app, world):
    verified_term(world)
    signed_in(app, world.staff).post(
        "/credits/exports", data={"term_id": world.term.id, "file_format": "csv"}
    )
    job = db.session.scalar(select(CreditExport))
    for user in (world.volunteers[0], world.host, factories.user(roles=("evaluator",))):
        client = signed_in(app, user)
        assert client.get("/credits/exports").status_code == 403
        assert client.post("/credits/exports", data={"term_id": world.term.id}).status_code == 403
        assert client.get(f"/credits/exports/{job.public_id}/download").status_code == 403
    assert signed_in(app, world.staff).get("/credits/exports/nope").status_code == 404


def test_the_command_exports_a_term_with_a_progress_bar(app, world, tmp_path):
    verified_term(world)
    out = tmp_path / "学分.csv"

    result = app.test_cli_runner().invoke(
        args=["export-credits", "--term", str(world.term.id), "--format", "csv", "--out", str(out)]
    )

    assert result.exit_code == 0, result.output
    assert "导出" in result.output and "2 条已认定记录" in result.output
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["学号", "姓名", "活动", "学分"] and len(rows) == 3
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "credit.export"))
    assert entry.actor_id is None and entry.after == {"format": "csv", "rows": 2}


def test_the_command_names_the_terms_when_the_term_is_unknown(app, world, tmp_path):
    result = app.test_cli_runner().invoke(
        args=["export-credits", "--term", "999", "--out", str(tmp_path / "x.xlsx")]
    )
    assert result.exit_code != 0 and world.term.full_name in result.output


def test_an_export_kept_in_the_object_store_is_downloaded_by_staff_only(app, world, s3_bucket):
    verified_term(world)
    staff = signed_in(app, world.staff)
    staff.post("/credits/exports", data={"term_id": world.term.id, "file_format": "csv"})
    job = db.session.scalar(select(CreditExport))
    assert job.status == ExportStatus.DONE and s3_bucket.keys() == {f"files/exports/{job.stored_name}"}

    download = staff.get(f"/credits/exports/{job.public_id}/download")
    rows = list(csv.reader(io.StringIO(download.data.decode("utf-8-sig"))))
    assert rows[0] == ["学号", "姓名", "活动", "学分"] and len(rows) == 3
    volunteer = signed_in(app, world.volunteers[0])
    assert volunteer.get(f"/credits/exports/{job.public_id}/download").status_code == 403
