"""`flask --app marketplace import-roster FILE`: the roster import from the command line."""

from __future__ import annotations

from flask import Flask


def register_roster_cli(app: Flask) -> None:
    pass
