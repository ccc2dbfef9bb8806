"""Roster files for tests, written with openpyxl and csv, and the steps of the web flow."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.roster.files import COLUMNS
from marketplace.roster.models import ImportJob


def student(number: str, name: str, **cells) -> dict:
    """A student's row; ``cells`` (by Chinese column name) add to it or override it."""
    return {
        "类型": "学生",
        "学号/工号": number,
        "姓名": name,
        "学院": "计算机学院",
        "年级": "2024",
        "手机": "1380000" + number[-4:],
        "邮箱": f"s{number}@example.edu.cn",
        **cells,
    }


def faculty(number: str, name: str, **cells) -> dict:
    return {"类型": "教职工", "学号/工号": number, "姓名": name, **cells}


def _lines(rows: list[dict], header) -> list[list]:
    return [list(header)] + [[row.get(column, "") for column in header] for row in rows]


def xlsx(rows: list[dict], header=COLUMNS) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for line in _lines(rows, header):
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[dict], encoding: str = "utf-8-sig") -> bytes:
    """A CSV as Excel saves it: GBK (``gb18030``) on Chinese Windows, or UTF-8 with a BOM."""
    text = io.StringIO()
    csv.writer(text).writerows(_lines(rows, COLUMNS))
    return text.getvalue().encode(encoding)


def upload(client, data: bytes, filename: str = "名册.xlsx"):
    return client.post(
        "/admin/imports/new",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def job_from(response) -> ImportJob:
    """The job an upload or a confirmation redirected to (its check has run: tasks are immediate)."""
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    public_id = response.headers["Location"].rstrip("/").split("/")[-1]
    return db.session.scalar(select(ImportJob).where(ImportJob.public_id == public_id))


def confirm(client, job: ImportJob) -> ImportJob:
    response = client.post(f"/admin/imports/{job.public_id}/confirm")
    assert response.status_code == 302
    return db.session.get(ImportJob, job.id)
