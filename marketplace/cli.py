"""Operator commands: ``flask --app marketplace <command>``."""

from __future__ import annotations

import click
from flask import Flask
from huey.consumer import Consumer

from .accounts.operations import create_admin as make_admin
from .credits.cli import register_credits_cli
from .credits.operations import ensure_default_categories
from .demo import register_demo_cli
from .errors import DomainError
from .extensions import db
from .notify.delivery import deliver_pending
from .opendata.cli import register_open_data_cli
from .projects.tasks import tick as run_tick
from .queue import bind_app, huey
from .roster.cli import register_roster_cli


def register_cli(app: Flask) -> None:
    @app.cli.command("bootstrap")
    def bootstrap():
        """Create the default credit categories (run once after `flask db upgrade`)."""
        made = ensure_default_categories()
        db.session.commit()
        click.echo(f"credit categories created: {made}")

    @app.cli.command("create-admin")
    @click.option("--staff-no", required=True, help="工号 of the admin account.")
    @click.option("--name", required=True)
    @click.option("--email", required=True)
    @click.password_option()
    def create_admin(staff_no: str, name: str, email: str, password: str):
        """Create (or restore) an admin account: the first step of a new installation."""
        try:
            user = make_admin(staff_no, name, email, password)
        except DomainError as error:
            raise click.ClickException(error.message) from None
        db.session.commit()
        click.echo(f"admin {user.staff_no} ({user.name}) is ready; sign in with the 工号 or {user.email}")

    @app.cli.command("send-mail")
    @click.option("--limit", default=500, show_default=True, help="At most this many messages.")
    def send_mail(limit: int):
        """Deliver the due messages in the outbox now."""
        report = deliver_pending(limit)
        click.echo(f"sent {report.sent}, will retry {report.failed}, gave up {report.gave_up}")

    @app.cli.command("tick")
    def tick():
        """Persist the lifecycle steps the clock has made due, and send deadline reminders."""
        for name, count in run_tick().items():
            click.echo(f"{name}: {count}")

    @app.cli.command("worker")
    @click.option("--workers", default=2, show_default=True)
    def worker(workers: int):
        """Run the Huey consumer (background tasks and the periodic schedule) inside this app."""
        bind_app(app)
        click.echo(f"huey consumer on {type(huey.storage).__name__}, {workers} workers")
        Consumer(huey, workers=workers, worker_type="thread", periodic=True, check_worker_health=True).run()

    register_demo_cli(app)
    register_credits_cli(app)
    register_roster_cli(app)
    register_open_data_cli(app)
