"""Demo data (placeholder until written)."""

from __future__ import annotations

from flask import Flask


def register_demo_cli(app: Flask) -> None:
    pass
