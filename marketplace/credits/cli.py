"""`flask --app marketplace export-credits --term ID --format xlsx|csv --out FILE`: the staff export of a
term's verified credits from the command line, with the columns of the setting and a progress bar."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask_babel import gettext as _

from .. import audit
from ..extensions import db
from ..roster.cli import _ProgressBar
from ..school.models import Term
from .export import write_export


def register_credits_cli(app: Flask) -> None:
    @app.cli.command("export-credits")
    @click.option(
        "--term", "term_id", type=int, required=True, help="The term's id (see the admin calendar)."
    )
    @click.option(
        "--format", "file_format", type=click.Choice(["xlsx", "csv"]), default="xlsx", show_default=True
    )
    @click.option("--out", type=click.Path(dir_okay=False, writable=True, path_type=Path), required=True)
    def export_credits(term_id: int, file_format: str, out: Path):
        """Write every verified credit of a term, in the columns the school's system imports."""
        term = db.session.get(Term, term_id)
        if term is None:
            known = ", ".join(f"{t.id}={t.full_name}" for t in db.session.scalars(db.select(Term)))
            raise click.ClickException(
                _("没有编号为 %(id)s 的学期。已有学期：%(known)s", id=term_id, known=known or "—")
            )
        with out.open("wb") as file, _ProgressBar(_("导出")) as bar:
            rows = write_export(term.id, file_format, file, progress=bar)
        audit.record(None, "credit.export", ("term", term.id), after={"format": file_format, "rows": rows})
        db.session.commit()
        click.echo(
            _("已导出 %(term)s 的 %(n)s 条已认定记录到 %(out)s。", term=term.full_name, n=rows, out=out)
        )
