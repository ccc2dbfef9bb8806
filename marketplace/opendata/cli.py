"""``flask --app marketplace open-data build``: rebuild the bulk download now, with a progress bar."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from flask_babel import gettext as _

from ..formatting import local_datetime
from ..roster.cli import _ProgressBar
from .bulk import build

group = AppGroup("open-data", help="The open-data bulk download.")


@group.command("build")
def build_command():
    """Rebuild the bulk download (ZIP of JSON and CSV) if its content changed."""
    with _ProgressBar(_("项目")) as bar:
        built = build(progress=bar)
    if built.changed:
        click.echo(
            _(
                "已重新生成：%(n)s 个项目，更新时间 %(when)s。",
                n=built.projects,
                when=local_datetime(built.updated_at),
            )
        )
    else:
        click.echo(_("内容没有变化，保持 %(when)s 的版本。", when=local_datetime(built.updated_at)))


def register_open_data_cli(app: Flask) -> None:
    app.cli.add_command(group)
