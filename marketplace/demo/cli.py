"""``flask --app marketplace seed-demo``: the command, and the table of demo logins it prints."""

from __future__ import annotations

import unicodedata

import click
from flask import Flask, current_app
from sqlalchemy import select

from ..accounts.models import User
from ..errors import DomainError
from ..extensions import db
from .context import PASSWORD, Demo
from .people import DEMO_ACCOUNTS
from .school import CLUBS
from .seed import seed


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def accounts_table() -> str:
    rows = [("账号 login", "姓名 name", "角色 role")] + [
        (a.identifier, a.name, a.label) for a in DEMO_ACCOUNTS
    ]
    widths = [max(_width(row[i]) for row in rows) + 2 for i in range(2)]
    lines = [f"演示账号（密码均为 {PASSWORD}）· demo logins, password {PASSWORD}:"]
    lines += ["  " + _pad(login, widths[0]) + _pad(name, widths[1]) + role for login, name, role in rows]
    unclaimed = DEMO_ACCOUNTS[-1]
    lines.append(f"  {unclaimed.identifier} 尚未认领：在 /claim 填学号和姓名「{unclaimed.name}」即可认领。")
    return "\n".join(lines)


def register_demo_cli(app: Flask) -> None:
    @app.cli.command("seed-demo")
    @click.option("--if-empty", is_flag=True, help="Do nothing if any user exists (what `make run` uses).")
    @click.option(
        "--students",
        default=0,
        type=click.IntRange(min=0),
        show_default=True,
        help="Add this many more students (for benchmarks; tens of thousands are fine).",
    )
    @click.option("--clubs", default=15, type=click.IntRange(2, len(CLUBS)), show_default=True)
    @click.option("--classes-per-college", default=4, type=click.IntRange(1, 12), show_default=True)
    @click.option(
        "--school-only",
        is_flag=True,
        help="Only the school and its people: no projects, volunteers or credits from the last weeks.",
    )
    def seed_demo(if_empty: bool, students: int, clubs: int, classes_per_college: int, school_only: bool):
        """Build the demo school 示例大学 (run again: existing rows are found and reused)."""
        if current_app.config["ENV_NAME"] == "production":
            raise click.UsageError(
                f"refusing to seed demo data in production: every demo login has the password {PASSWORD}"
            )
        if if_empty and db.session.scalar(select(User.id).limit(1)) is not None:
            click.echo("users exist already: demo data not seeded (数据库中已有用户，跳过演示数据)")
        else:
            options = Demo(
                school_name=current_app.config["SCHOOL_NAME"],
                extra_students=students,
                clubs=clubs,
                classes_per_college=classes_per_college,
                history=not school_only,
            )
            try:
                demo = seed(options)
            except DomainError as error:  # e.g. an admin's own calendar overlaps the demo's
                raise click.ClickException(error.message) from None
            db.session.commit()
            if demo.created:
                click.echo(
                    "demo data created: " + ", ".join(f"{n} {what}" for what, n in demo.created.items())
                )
            else:
                click.echo("the demo is complete already: nothing changed (演示数据已存在，未作改动)")
        if db.session.scalar(select(User.id).where(User.staff_no == DEMO_ACCOUNTS[0].identifier)):
            click.echo(accounts_table())
