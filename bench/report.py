"""The one table of ``make bench``: for each page its requests per second, median and 95th-percentile
latency under load, the ratio of its requests per second to the floor's in the run right after it, and
the SQL statements, ORM objects and SQL execution time of one request rendered without the page cache.
Printed, and written as JSON and Markdown under
``bench/results/`` (git-ignored)."""

from __future__ import annotations

import json
from pathlib import Path

from .load import Measured
from .pages import Cost

RESULTS = Path(__file__).parent / "results"
# The tables whose size the header gives.
COUNTED = (
    ("user", "users"),
    ("organization", "organizations"),
    ("project", "projects"),
    ("bid", "bids"),
    ("shift", "shifts"),
    ("signup", "sign-ups"),
    ("credit_record", "credit records"),
    ("audit_entry", "audit entries"),
    ("notification", "notifications"),
)
COLUMNS = ("page", "req/s", "p50 ms", "p95 ms", "× floor", "statements", "objects", "SQL ms")


def rows(measured: list[Measured], costs: dict) -> list[dict]:
    table = []
    for m in measured:
        cost: Cost = costs[m.page]
        table.append(
            {
                "page": m.page.name,
                "path": m.page.path,
                "login": m.page.role,
                "requests_per_second": round(m.run.requests_per_second, 1),
                "p50_ms": round(m.run.p50_ms, 1),
                "p95_ms": round(m.run.p95_ms, 1),
                "floor_requests_per_second": round(m.floor.requests_per_second, 1),
                "ratio_to_floor": round(m.ratio, 3),
                "statements": cost.statements,
                "objects": cost.objects,
                # the statements' own execution time (EXPLAIN ANALYZE), without the page cache
                "sql_ms": round(sum(plan.milliseconds for plan in cost.plans), 1),
            }
        )
    return table


def markdown(table: list[dict], about: dict) -> str:
    floor = sum(r["floor_requests_per_second"] for r in table) / len(table)
    data = f"SCALE={about['scale']:g}" if about["scale"] else "the data of an earlier run"
    lines = [
        f"# make bench — {data}",
        "",
        f"{about['date']}, commit {about['commit']}, {about['cpus']} CPUs, gunicorn with {about['cpus']} "
        f"workers, wrk {about['seconds']} s × {about['connections']} connections per run; "
        f"floor {floor:.0f} req/s on average.",
    ]
    rows = ", ".join(f"{about['rows'][table]:,} {name}" for table, name in COUNTED)
    if about["seed_seconds"] is not None:
        rows += f" (seeded in {about['seed_seconds']:.0f} s)"
    lines += ["", f"Data: {rows}."]
    lines += ["", "| " + " | ".join(COLUMNS) + " |", "| --- " + "| ---: " * (len(COLUMNS) - 1) + "|"]
    for r in table:
        cells = [
            r["page"],
            f"{r['requests_per_second']:.1f}",
            f"{r['p50_ms']:.0f}",
            f"{r['p95_ms']:.0f}",
            f"{r['ratio_to_floor']:.2f}",
            str(r["statements"]),
            str(r["objects"]),
            f"{r['sql_ms']:.1f}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def write(table: list[dict], about: dict) -> tuple[str, Path, Path]:
    """The Markdown table, and the two files it and the JSON were written to."""
    RESULTS.mkdir(exist_ok=True)
    when = about["date"][:16].replace(":", "").replace(" ", "T")
    scale = f"{about['scale']:g}" if about["scale"] else "reused"
    stem = f"{when}-scale-{scale}"
    text = markdown(table, about)
    md, js = RESULTS / f"{stem}.md", RESULTS / f"{stem}.json"
    md.write_text(text)
    js.write_text(json.dumps({"about": about, "pages": table}, ensure_ascii=False, indent=2) + "\n")
    return text, md, js
