"""The bulk download (批量下载): every published project's document in one ZIP — ``releases.json`` and
CSV tables of projects, awards, rankings and implementation — rebuilt by a periodic task and the
``flask open-data build`` command, and kept through ``storage``.

The ZIP and its last-updated time change only when the documents' content does: a build compares the
SHA-256 of the documents with the last build's (``meta.json`` beside the ZIP) and rewrites nothing
when they match. The documents leave out bids until the deadline, so writing a bid moves nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from .. import clock, storage
from ..extensions import db
from ..projects.models import Project
from ..timeutil import SCHOOL_TZ
from .document import canonical, facts_for, published, release

ZIP_KEY = "open-data/jiebang-open-data.zip"
META_KEY = "open-data/meta.json"
BATCH = 200

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Built:
    """What the last build left: when the content last changed, over how many projects."""

    updated_at: datetime
    projects: int
    sha256: str
    changed: bool = False  # for a build's caller: whether this build rewrote the download


def last_build() -> Built | None:
    if not storage.exists(META_KEY):
        return None
    with storage.open_stream(META_KEY) as stream:
        meta = json.loads(stream.read())
    return Built(datetime.fromisoformat(meta["updated_at"]), meta["projects"], meta["sha256"])


def releases(progress: Progress | None = None) -> list[dict]:
    """Every published project's document, oldest project first, read in batches."""
    ids = db.session.scalars(select(Project.id).where(published()).order_by(Project.id)).all()
    docs: list[dict] = []
    for start in range(0, len(ids), BATCH):
        docs += [release(facts) for facts in facts_for(ids[start : start + BATCH])]
        if progress:
            progress(len(docs), len(ids))
    return docs


# -- the CSV tables: columns named by the document's field paths (see the field page) -------------------


def _project_rows(doc: dict) -> list[list]:
    tender = doc["tender"]
    return [
        [
            doc["ocid"],
            tender["title"],
            tender["category"],
            doc["buyer"]["name"],
            tender["status"],
            tender["value"]["amount"],
            tender["tenderPeriod"]["startDate"],
            tender["tenderPeriod"]["endDate"],
            tender.get("numberOfTenderers", ""),
            doc["date"],
        ]
    ]


def _award_rows(doc: dict) -> list[list]:
    return [
        [doc["ocid"], a["id"], a["status"], a["date"], a["suppliers"][0]["name"], a["value"]["amount"]]
        for a in doc.get("awards", [])
    ]


def _ranking_rows(doc: dict) -> list[list]:
    return [
        [doc["ocid"], a["id"], r["rank"], r["tenderer"]["name"], r["score"], r["value"]["amount"]]
        for a in doc.get("awards", [])
        for r in a["ranking"]
    ]


def _implementation_rows(doc: dict) -> list[list]:
    rows = []
    for c in doc.get("contracts", []):
        done = c["implementation"]
        final = done.get("finalScore", {})
        milestones = done["milestones"]
        rows.append(
            [
                doc["ocid"],
                c["id"],
                c["status"],
                c["value"]["amount"],
                done["spendingTotal"]["amount"],
                len(milestones),
                milestones[-1]["progressPercent"] if milestones else "",
                final.get("status", ""),
                final.get("score", ""),
                final.get("panelScore", ""),
                final.get("satisfactionScore", ""),
            ]
        )
    return rows


TABLES = {
    "projects.csv": (
        [
            "ocid",
            "tender.title",
            "tender.category",
            "buyer.name",
            "tender.status",
            "tender.value.amount",
            "tender.tenderPeriod.startDate",
            "tender.tenderPeriod.endDate",
            "tender.numberOfTenderers",
            "date",
        ],
        _project_rows,
    ),
    "awards.csv": (
        [
            "ocid",
            "awards.id",
            "awards.status",
            "awards.date",
            "awards.suppliers.name",
            "awards.value.amount",
        ],
        _award_rows,
    ),
    "ranking.csv": (
        [
            "ocid",
            "awards.id",
            "awards.ranking.rank",
            "awards.ranking.tenderer.name",
            "awards.ranking.score",
            "awards.ranking.value.amount",
        ],
        _ranking_rows,
    ),
    "implementation.csv": (
        [
            "ocid",
            "contracts.id",
            "contracts.status",
            "contracts.value.amount",
            "contracts.implementation.spendingTotal.amount",
            "contracts.implementation.milestones",
            "contracts.implementation.milestones.progressPercent",
            "contracts.implementation.finalScore.status",
            "contracts.implementation.finalScore.score",
            "contracts.implementation.finalScore.panelScore",
            "contracts.implementation.finalScore.satisfactionScore",
        ],
        _implementation_rows,
    ),
}


def _table(docs: list[dict], headers: list[str], rows_of) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(headers)
    for doc in docs:
        writer.writerows(rows_of(doc))
    return text.getvalue().encode("utf-8-sig")  # Excel reads UTF-8 only with its mark


def write_zip(out, docs: list[dict], when: datetime) -> None:
    stamp = when.astimezone(SCHOOL_TZ).timetuple()[:6]
    package = {
        "publishedDate": when.isoformat(),
        "publisher": {"name": current_app.config["SCHOOL_NAME"]},
        "releases": docs,
    }
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("releases.json", stamp), json.dumps(package, ensure_ascii=False, indent=1)
        )
        for name, (headers, rows_of) in TABLES.items():
            archive.writestr(zipfile.ZipInfo(name, stamp), _table(docs, headers, rows_of))


def build(progress: Progress | None = None) -> Built:
    """Rebuild the download if the documents' content changed since the last build."""
    docs = releases(progress)
    digest = hashlib.sha256(canonical(docs)).hexdigest()
    last = last_build()
    if last is not None and last.sha256 == digest and storage.exists(ZIP_KEY):
        return last
    now = clock.now()
    with storage.writer(ZIP_KEY) as out:
        write_zip(out, docs, now)
    meta = {"updated_at": now.isoformat(), "projects": len(docs), "sha256": digest}
    storage.save(META_KEY, json.dumps(meta).encode())
    return Built(now, len(docs), digest, changed=True)
