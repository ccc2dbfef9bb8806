"""The bulk download's periodic rebuild (every ten minutes; nothing is rewritten when nothing
changed). ``flask --app marketplace open-data build`` runs the same build by hand."""

from __future__ import annotations

from huey import crontab

from ..queue import periodic_task
from .bulk import build


@periodic_task(crontab(minute="*/10"))
def build_periodically() -> None:
    build()
