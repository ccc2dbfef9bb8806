"""The floor: about the least a Flask + SQLAlchemy page costs on this machine.

One indexed query on a table of 100,000 rows, twenty rows rendered by a Jinja template, served by
gunicorn with the same settings as the app. Each page's requests per second are given as a ratio to
this floor's, measured right after it, so that a busy or a quiet machine reads the same.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import Flask, render_template
from flask_sqlalchemy import SQLAlchemy
from jinja2 import DictLoader
from sqlalchemy import DateTime, Index, Integer, String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ROWS = 100_000
CATEGORIES = 100
PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><h1>{{ title }}</h1><table>
{% for item in items %}<tr><td>{{ item.id }}</td><td>{{ item.title }}</td><td>{{ item.created_at }}</td></tr>
{% endfor %}</table></body></html>"""


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Item(db.Model):
    __tablename__ = "floor_item"
    __table_args__ = (Index("ix_floor_item_category_created_at", "category", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    category: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def create_app() -> Flask:
    """The floor app on ``FLOOR_DATABASE_URL`` (filled by :func:`prepare`)."""
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["FLOOR_DATABASE_URL"]
    app.jinja_loader = DictLoader({"floor.html": PAGE})
    db.init_app(app)

    @app.get("/")
    def index():
        items = db.session.scalars(
            select(Item).where(Item.category == 7).order_by(Item.created_at.desc()).limit(20)
        ).all()
        return render_template("floor.html", title="Floor", items=items)

    return app


def prepare(url: str) -> None:
    """Create the floor's database and its table of ``ROWS`` rows (by COPY), unless they are there."""
    target = sa.engine.make_url(url)
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}):
            conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    engine = sa.create_engine(target)
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        if conn.scalar(select(sa.func.count()).select_from(Item)) != ROWS:
            conn.execute(sa.text("TRUNCATE floor_item"))
            start = datetime(2025, 1, 1, tzinfo=UTC)
            with (
                conn.connection.driver_connection.cursor() as cursor,
                cursor.copy("COPY floor_item (id, category, title, created_at) FROM STDIN") as copy,
            ):
                for n in range(1, ROWS + 1):
                    copy.write_row((n, n % CATEGORIES, f"第 {n} 条记录", start + timedelta(minutes=n)))
            conn.execute(sa.text("ANALYZE floor_item"))
    engine.dispose()
