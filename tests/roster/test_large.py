"""A large roster goes through the background task with progress, and stays quick: the check and the
import cost a few queries per chunk of rows, not one per row."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.orgs.models import Membership
from marketplace.roster import checking
from marketplace.roster.files import Table
from marketplace.roster.models import ImportStatus
from tests import factories
from tests.roster.roster_files import confirm, job_from, student, upload, xlsx

ROWS = 5000


def _roster(n: int) -> list[dict]:
    rows = []
    for i in range(n):
        extra = {"组织": "摄影社", "开始日期": "2025-09-01"} if i % 5 == 0 else {}
        rows.append(student(f"2024{i:06d}", f"学生{i}", 手机=f"138{i:08d}", **extra))
    return rows


def test_a_roster_of_5000_rows_is_checked_and_imported_with_progress(as_admin, school):
    existing = factories.user(number="2024000007", name="旧名字", college=school["college"])
    started = time.perf_counter()

    job = job_from(upload(as_admin, xlsx(_roster(ROWS))))
    assert job.status == ImportStatus.READY, job.errors[:5]
    assert (job.total_rows, job.processed_rows, len(job.preview)) == (ROWS, ROWS, 20)
    job = confirm(as_admin, job)

    elapsed = time.perf_counter() - started
    assert job.status == ImportStatus.DONE and job.percent == 100
    assert job.summary["users_created"] == ROWS - 1 and job.summary["users_updated"] == 1
    assert job.summary["memberships_created"] == ROWS // 5
    assert db.session.scalar(select(func.count()).select_from(User)) == ROWS + 1  # and the admin
    assert db.session.scalar(select(func.count()).select_from(Membership)) == ROWS // 5
    assert db.session.get(User, existing.id).name == "学生7"
    assert elapsed < 15, f"5,000 rows took {elapsed:.1f} s"


def test_checking_costs_the_same_queries_for_few_rows_as_for_a_chunk_of_them(school, count_queries):
    for i in range(30):
        factories.user(number=f"2024{i:06d}")
    header = list(checking.COLUMNS)

    def check(n):
        rows = [(i + 2, [r.get(c, "") for c in header]) for i, r in enumerate(_roster(n))]
        return count_queries(lambda: checking.check_table(Table(header, rows)))

    assert check(checking.CHUNK) == check(10)


@pytest.mark.commits
def test_progress_is_visible_to_other_connections_while_the_work_runs(as_admin, school, monkeypatch):
    from marketplace.roster import tasks
    from marketplace.roster.models import ImportJob

    seen = {"checking": [], "importing": []}
    write_progress = tasks._progress_in_database

    def watched(job_id, **options):
        report = write_progress(job_id, **options)

        def spy(done, total):
            report(done, total)
            with db.engine.connect() as other:  # what the job page would read
                status, processed = other.execute(
                    select(ImportJob.status, ImportJob.processed_rows).where(ImportJob.id == job_id)
                ).one()
            seen[status.value].append(processed)

        return spy

    monkeypatch.setattr(tasks, "_progress_in_database", watched)
    job = job_from(upload(as_admin, xlsx(_roster(1200))))
    confirm(as_admin, job)

    assert seen["checking"] == [500, 1000, 1200]
    assert seen["importing"][-1] == 1200 and len(seen["importing"]) > 1
