"""`flask --app marketplace import-roster FILE`: the roster import from the command line.

The same steps as the web pages (a job is recorded, checked, then imported all at once), run in the
foreground with progress bars; the audit log records the import with no actor.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask_babel import gettext as _

from ..errors import DomainError
from ..extensions import db
from . import operations, tasks
from .models import ImportJob, ImportStatus


class _ProgressBar:
    """A click progress bar that learns the number of rows from the first report."""

    def __init__(self, label: str):
        self.label = label
        self.bar = None
        self.shown = 0

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label)
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if self.bar is not None:
            self.bar.__exit__(*exc_info)


def _describe(summary: dict) -> str:
    return _(
        "账号：新建 %(created)s 个，更新 %(updated)s 个，无变化 %(same)s 个；"
        "任职：新增 %(m_created)s 条，更新 %(m_updated)s 条，无变化 %(m_same)s 条。",
        created=summary["users_created"],
        updated=summary["users_updated"],
        same=summary["users_unchanged"],
        m_created=summary["memberships_created"],
        m_updated=summary["memberships_updated"],
        m_same=summary["memberships_unchanged"],
    )


def _echo_errors(job: ImportJob) -> None:
    summary = job.summary
    if summary.get("rechecked"):
        click.echo(_("导入前重新检查时发现了问题（检查之后系统中的数据有变化）。"), err=True)
    count = summary.get("error_count", 0)
    click.echo(_("文件未通过检查，没有写入任何数据。共 %(n)s 处问题：", n=count), err=True)
    for problem in job.errors:
        place = _("第 %(row)s 行", row=problem["row"]) if problem["row"] else _("文件")
        if problem["column"]:
            place = f"{place} · {problem['column']}"
        click.echo(f"  {place}：{problem['message']}", err=True)
    if count > len(job.errors):
        click.echo(_("（只列出了前 %(n)s 处）", n=len(job.errors)), err=True)


def _stop_unless(job: ImportJob, wanted: ImportStatus) -> None:
    if job.status == wanted:
        return
    if job.status == ImportStatus.INVALID:
        _echo_errors(job)
    else:
        click.echo(job.summary.get("message", job.status.label), err=True)
    raise SystemExit(1)


def register_roster_cli(app: Flask) -> None:
    @app.cli.command("import-roster")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--yes", is_flag=True, help="Import as soon as the check passes, without asking.")
    def import_roster(path: Path, yes: bool):
        """Import users and memberships from a roster (.xlsx or .csv): every row, or none."""
        try:
            job = operations.start_import(None, {"filename": path.name, "content": path.read_bytes()})
        except DomainError as error:
            raise click.ClickException(error.message) from None
        db.session.commit()
        with _ProgressBar(_("检查")) as bar:
            job = tasks.run_check(job.id, progress=bar)
        _stop_unless(job, ImportStatus.READY)
        click.echo(_("检查通过，共 %(n)s 行。", n=job.total_rows))
        click.echo(_describe(job.summary))
        if not yes and not click.confirm(_("确认导入？"), default=False):
            click.echo(_("没有导入。"))
            return
        operations.confirm_import(job)
        db.session.commit()
        with _ProgressBar(_("导入")) as bar:
            job = tasks.run_apply(job.id, None, progress=bar)
        _stop_unless(job, ImportStatus.DONE)
        click.echo(_("导入完成。") + _describe(job.summary))
