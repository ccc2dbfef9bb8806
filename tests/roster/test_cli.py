"""`flask import-roster FILE`: the same check and import as the web, with progress bars."""

from __future__ import annotations

from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.audit import AuditEntry
from marketplace.extensions import db
from marketplace.roster.models import ImportJob, ImportStatus
from tests.roster.roster_files import csv_bytes, student, xlsx


def test_the_command_imports_a_file_with_yes(app, school, tmp_path):
    path = tmp_path / "名册.xlsx"
    path.write_bytes(
        xlsx(
            [
                student("2024010001", "张三", 组织="摄影社", 开始日期="2025-09-01"),
                student("2024010002", "李四"),
            ]
        )
    )

    result = app.test_cli_runner().invoke(args=["import-roster", str(path), "--yes"])

    assert result.exit_code == 0, result.output
    assert "检查通过，共 2 行。" in result.output and "导入完成" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 2
    job = db.session.scalar(select(ImportJob))
    assert job.status == ImportStatus.DONE and job.created_by_id is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "roster.import"))
    assert entry.actor_id is None and entry.after["users_created"] == 2


def test_the_command_asks_before_importing(app, school, tmp_path):
    path = tmp_path / "名册.csv"
    path.write_bytes(csv_bytes([student("2024010001", "张三")], "gb18030"))

    result = app.test_cli_runner().invoke(args=["import-roster", str(path)], input="n\n")

    assert result.exit_code == 0 and "确认导入？" in result.output and "没有导入。" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_the_command_prints_the_errors_in_chinese_and_writes_nothing(app, school, tmp_path):
    path = tmp_path / "名册.xlsx"
    path.write_bytes(xlsx([student("2024010001", "张三", 学院="法学院")]))

    result = app.test_cli_runner().invoke(args=["import-roster", str(path), "--yes"])

    assert result.exit_code == 1
    assert "第 2 行 · 学院：系统中还没有“法学院”这个学院。" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_the_command_refuses_a_file_that_is_not_a_roster(app, tmp_path):
    path = tmp_path / "名册.xlsx"
    path.write_text("hello")

    result = app.test_cli_runner().invoke(args=["import-roster", str(path)])

    assert result.exit_code == 1 and "文件内容不是 Excel 工作簿" in result.output
