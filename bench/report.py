"""The tables of ``make bench``: for each page its requests per second, median and 95th-percentile
latency under load, the ratio of its requests per second to the floor's in the run right after it, and
the SQL statements, ORM objects and SQL execution time of one request rendered without the page cache;
the burst of sign-ups and the lottery draw (``burst.py``); the peak memory and wall time of each
background job; the two-node checks. Printed, and written as JSON and Markdown under
``bench/results/`` (git-ignored)."""

from __future__ import annotations

import json
from pathlib import Path

from .burst import Burst
from .load import Measured
from .memory import LIMIT_MB, Peak, as_dicts
from .nodes import Check
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
    ("survey_answer", "survey answers"),
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


def markdown(
    table: list[dict],
    about: dict,
    burst: Burst | None,
    peaks: tuple[list[Peak], str] | None,
    checks: list[Check] | None,
) -> str:
    data = f"SCALE={about['scale']:g}" if about["scale"] else "the data of an earlier run"
    lines = [
        f"# make bench — {data}",
        "",
        f"{about['date']}, commit {about['commit']}, {about['cpus']} CPUs.",
    ]
    rows = ", ".join(f"{about['rows'][table]:,} {name}" for table, name in COUNTED)
    if about["seed_seconds"] is not None:
        rows += f" (seeded in {about['seed_seconds']:.0f} s)"
    lines += ["", f"Data: {rows}."]
    if table:
        lines += ["", *_pages(table, about)]
    if burst is not None:
        lines += _burst(burst)
    if peaks:
        lines += ["", *_memory(*peaks)]
    if checks:
        lines += ["", "## Two nodes", ""]
        lines += [f"- **{'PASS' if c.passed else 'FAIL'}** {c.name}: {c.detail}" for c in checks]
    return "\n".join(lines) + "\n"


def _pages(table: list[dict], about: dict) -> list[str]:
    floor = sum(r["floor_requests_per_second"] for r in table) / len(table)
    lines = [
        "## Pages",
        "",
        f"gunicorn with {about['cpus']} workers, wrk {about['seconds']} s × {about['connections']} "
        f"connections per run; floor {floor:.0f} req/s on average.",
    ]
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
    return lines


def _memory(peaks: list[Peak], note: str) -> list[str]:
    lines = [
        "## Memory",
        "",
        f"Peak resident memory of a worker process running each job (`/usr/bin/time -v`), "
        f"bound {LIMIT_MB} MB; {note}.",
        "",
        "| job | rows | peak MB | seconds | within bound |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for p in peaks:
        lines.append(
            f"| {p.job} | {p.rows:,} | {p.peak_mb:.0f} | {p.seconds:.1f} | {'yes' if p.within else 'NO'} |"
        )
    return lines


def _burst(b: Burst) -> list[str]:
    """The burst as a few lines: what the database holds, how fast, against the student home."""
    held = "≥ 0.5 ✓" if b.ratio >= 0.5 else "below 0.5 ✗"
    lines = [
        "",
        f"## Burst: {b.students:,} students, a {b.seats}-seat first-come shift, {b.connections} connections",
        "",
        f"- {b.accepted} accepted, {b.waiting} waiting; answers {_statuses(b.signups.statuses)}; "
        f"{b.signups.server_errors + b.home.server_errors} server errors",
        f"- sign-ups: {b.signups.seconds:.1f} s wall, {b.signups.per_second:.1f} sign-ups/s "
        f"(p50 {b.signups.p50_ms:.0f} ms, p95 {b.signups.p95_ms:.0f} ms); "
        f"{b.statements_per_signup} statements per sign-up",
        f"- student home, same client: {b.home.per_second:.1f} req/s "
        f"(p50 {b.home.p50_ms:.0f} ms, p95 {b.home.p95_ms:.0f} ms)",
        f"- sign-ups ÷ home: {b.ratio:.2f} ({held})",
        f"- lottery draw of {b.draw_entries} entries: {b.draw_seconds:.2f} s in one request; "
        f"{b.draw_notified} notified, {b.draw_queued} mails queued in the outbox "
        f"(of {b.draw_mailed} who take mail), {b.draw_sent} sent",
    ]
    lines += [f"- **not as required:** {problem}" for problem in b.problems()]
    return lines


def _statuses(statuses) -> str:
    return ", ".join(f"{n:,} × {status or 'no answer'}" for status, n in sorted(statuses.items()))


def write(
    table: list[dict],
    about: dict,
    burst: Burst | None = None,
    peaks: tuple[list[Peak], str] | None = None,
    checks: list[Check] | None = None,
) -> tuple[str, Path, Path]:
    """The Markdown tables, and the two files they and the JSON were written to."""
    RESULTS.mkdir(exist_ok=True)
    when = about["date"][:16].replace(":", "").replace(" ", "T")
    scale = f"{about['scale']:g}" if about["scale"] else "reused"
    stem = f"{when}-scale-{scale}"
    text = markdown(table, about, burst, peaks, checks)
    md, js = RESULTS / f"{stem}.md", RESULTS / f"{stem}.json"
    md.write_text(text)
    data = {"about": about, "pages": table, "burst": burst.as_dict() if burst else None}
    if peaks:
        data["memory"] = {"limit_mb": LIMIT_MB, "data": peaks[1], "jobs": as_dicts(peaks[0])}
    if checks:
        data["nodes"] = [{"check": c.name, "passed": c.passed, "detail": c.detail} for c in checks]
    js.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return text, md, js
