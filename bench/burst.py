"""The burst (报名高峰): many signed-in students signing up for one first-come shift at the same moment,
through the app server, as their browsers would — and a large lottery drawn by its host.

:func:`prepare` builds, untimed, a new position with one open shift of ``seats`` seats on a project
the demo host's club is hosting, and a lottery shift whose sign-up has closed with ``entries``
applications; it signs in ``students`` eligible students (and the host) through the app's own session
interface — the cookie and CSRF token a browser holds after the login page — because logging a
thousand students in through the form would time the password hash, not the sign-up.

:func:`run` then fires one sign-up POST per student (the shift page's button: its CSRF token, the
page as Referer) through ``connections`` concurrent connections and times the lot; then, with the same
client and concurrency, one student-home GET per student, the reference a sign-up is compared with.
The database must then hold exactly ``seats`` accepted and the rest waiting, with no 5xx answered.
Last the host draws the lottery by its button, timed; every applicant's result must be in the
notification centre and its mail queued in the outbox, not yet sent — delivery is the worker's.
"""

from __future__ import annotations

import http.client
import queue
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from flask import Flask, session
from flask_login import login_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import func, select

from marketplace import clock
from marketplace.accounts.models import AccountKind, AccountStatus, User
from marketplace.extensions import db
from marketplace.notify import operations as notify
from marketplace.notify.models import Notification, OutboxMessage, OutboxStatus
from marketplace.orgs.models import Organization
from marketplace.projects import lifecycle
from marketplace.projects.models import Project, ProjectState
from marketplace.urls import path_for
from marketplace.volunteers import positions
from marketplace.volunteers.models import Admission, Position, Shift, Signup, SignupStatus

from .pages import LOGINS, USER_AGENT, PageFailed, counting
from .seed import BURST_POSITION, HOST_CLUB

DRAWN_SEATS = 50  # of the lottery shift
LOTTERY_RESULT = "volunteer.lottery_result"


@dataclass(frozen=True)
class Login:
    """A signed-in browser: its session cookie and the CSRF token its forms carry."""

    cookie: str
    csrf: str


@dataclass(frozen=True)
class Prepared:
    shift_id: int
    lottery_shift_id: int
    students: list[Login]
    host: Login
    spare: Login  # signs up once more, in process, to count one sign-up's statements


@dataclass(frozen=True)
class Fired:
    """What a batch of requests through :func:`fire` answered, and how long it took."""

    statuses: Counter
    seconds: float
    p50_ms: float
    p95_ms: float

    @property
    def per_second(self) -> float:
        return self.statuses.total() / self.seconds

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500 or status == 0)


@dataclass(frozen=True)
class Burst:
    students: int
    seats: int
    connections: int
    signups: Fired
    home: Fired
    accepted: int
    waiting: int
    statements_per_signup: int
    draw_entries: int
    draw_seconds: float
    draw_status: int
    draw_notified: int
    draw_mailed: int  # the applicants who want this kind of notification by mail too
    draw_queued: int
    draw_sent: int

    @property
    def ratio(self) -> float:
        return self.signups.per_second / self.home.per_second

    def problems(self) -> list[str]:
        """What the issue asks that this run did not hold (the ratio aside: see :attr:`ratio`)."""
        found = []
        if (self.accepted, self.waiting) != (self.seats, self.students - self.seats):
            found.append(f"{self.accepted} accepted, {self.waiting} waiting: not {self.seats} and the rest")
        if self.signups.statuses != Counter({302: self.students}):
            found.append(f"sign-ups answered {dict(self.signups.statuses)}, not all 302")
        if self.home.statuses != Counter({200: self.students}):
            found.append(f"student homes answered {dict(self.home.statuses)}, not all 200")
        if self.draw_status != 302:
            found.append(f"the draw answered {self.draw_status}, not 302")
        if (self.draw_notified, self.draw_queued) != (self.draw_entries, self.draw_mailed):
            found.append(
                f"the draw notified {self.draw_notified} and queued {self.draw_queued} mails "
                f"for {self.draw_entries} entries, {self.draw_mailed} of whom take mail"
            )
        if self.draw_sent:
            found.append(f"{self.draw_sent} of the draw's mails were sent inside the request")
        return found

    def as_dict(self) -> dict:
        return {
            "students": self.students,
            "seats": self.seats,
            "connections": self.connections,
            "accepted": self.accepted,
            "waiting": self.waiting,
            "signup_statuses": {str(k): v for k, v in sorted(self.signups.statuses.items())},
            "server_errors": self.signups.server_errors + self.home.server_errors,
            "wall_seconds": round(self.signups.seconds, 2),
            "signups_per_second": round(self.signups.per_second, 1),
            "signup_p50_ms": round(self.signups.p50_ms),
            "signup_p95_ms": round(self.signups.p95_ms),
            "home_per_second": round(self.home.per_second, 1),
            "home_p50_ms": round(self.home.p50_ms),
            "home_p95_ms": round(self.home.p95_ms),
            "ratio_to_home": round(self.ratio, 3),
            "statements_per_signup": self.statements_per_signup,
            "draw_entries": self.draw_entries,
            "draw_seconds": round(self.draw_seconds, 2),
            "draw_notified": self.draw_notified,
            "draw_mailed": self.draw_mailed,
            "draw_queued": self.draw_queued,
            "draw_sent": self.draw_sent,
            "problems": self.problems(),
        }


# -- before the clock starts ------------------------------------------------------------------------------


def prepare(app: Flask, students: int, seats: int, entries: int) -> Prepared:
    """The shifts, the lottery's applications and the signed-in browsers (call outside any context)."""
    with app.app_context():
        host = db.session.scalar(select(User).where(User.student_no == LOGINS["host"]))
        project = _hosted_project()
        # After every shift there is: nobody's sign-ups overlap it, however often --reuse runs this.
        starts = max(db.session.scalar(select(func.max(Shift.starts_at))), clock.now()) + timedelta(days=1)
        shift = _shift(host, project, Admission.FIRST_COME, seats, starts)
        lottery = _shift(host, project, Admission.LOTTERY, DRAWN_SEATS, starts + timedelta(days=1))
        people = _eligible(students + 1)
        _apply(lottery, people[:entries])
        # The lottery's sign-up closes (after its applications came in): the draw is due.
        lottery.position.signup_closes_at = clock.now() - timedelta(minutes=1)
        db.session.commit()
        ids = shift.id, lottery.id, [u.id for u in people], host.id
    shift_id, lottery_id, people, host_id = ids
    logins = signed_in(app, [*people, host_id])
    return Prepared(shift_id, lottery_id, logins[:students], logins[-1], logins[students])


def _hosted_project() -> Project:
    club = select(Organization.id).where(Organization.name == HOST_CLUB).scalar_subquery()
    project = db.session.scalar(
        select(Project)
        .where(Project.host_org_id == club, lifecycle.effective_state_in(ProjectState.HOSTING))
        .order_by(Project.id)
        .limit(1)
    )
    if project is None:
        raise PageFailed("the seeded data has no project in hosting by the demo host's club")
    return project


def _shift(host: User, project: Project, admission: Admission, seats: int, starts) -> Shift:
    """A new position with one shift, made by the host's own operations."""
    data = {"title": f"{BURST_POSITION} {starts:%m-%d}", "description": "", "admission": admission}
    if admission == Admission.LOTTERY:
        data["signup_closes_at"] = starts - timedelta(hours=1)
    position = positions.save_position(host, project, Position(), data)
    db.session.add(position)
    db.session.flush()
    shift_data = {
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=3),
        "place": "大学生活动中心",
        "capacity": seats,
        "credit_hours": 3,
    }
    shift = positions.save_shift(host, position, Shift(), shift_data)
    db.session.add(shift)
    db.session.flush()
    return shift


def _eligible(n: int) -> list[User]:
    """``n`` active students without a no-show, who may therefore sign up for anything unrestricted."""
    absent = select(Signup.user_id).where(Signup.status == SignupStatus.NO_SHOW)
    people = db.session.scalars(
        select(User)
        .where(
            User.kind == AccountKind.STUDENT,
            User.status == AccountStatus.ACTIVE,
            User.student_no.not_in(LOGINS.values()),
            User.id.not_in(absent),
        )
        .order_by(User.id)
        .limit(n)
    ).all()
    if len(people) < n:
        raise PageFailed(f"the seeded data has {len(people)} students free to sign up, not {n}")
    return people


def _apply(shift: Shift, people: list[User]) -> None:
    """Applications to a lottery shift, written as rows (as the seed writes its sign-ups): only the
    draw is measured."""
    now = clock.now()
    for user in people:
        db.session.add(
            Signup(
                shift=shift,
                user_id=user.id,
                status=SignupStatus.APPLIED,
                queue_key=now.isoformat(),
                created_at=now,
                updated_at=now,
            )
        )


def signed_in(app: Flask, user_ids: list[int]) -> list[Login]:
    """Each user signed in as the login form would, through the app's session interface."""
    with app.app_context():
        users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))}
    logins = []
    for user_id in user_ids:
        # A request context of its own (and so its own app context: the CSRF token is cached in g).
        with app.test_request_context(headers={"User-Agent": USER_AGENT}):
            login_user(users[user_id])
            token = generate_csrf()
            response = app.response_class()
            app.session_interface.save_session(app, session, response)
        cookie = SimpleCookie(response.headers["Set-Cookie"])[app.config["SESSION_COOKIE_NAME"]].value
        logins.append(Login(cookie, token))
    return logins


# -- the client -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    path: str
    login: Login
    form: bool = False  # POST the login's CSRF token, as a button does; else GET
    referer: str | None = None


def fire(base: str, requests: list[Request], connections: int) -> Fired:
    """Send ``requests`` through ``connections`` keep-alive connections at once (one thread each),
    redirects not followed; times from the first request to the last answer."""
    pending: queue.SimpleQueue = queue.SimpleQueue()
    for request in requests:
        pending.put(request)
    statuses, latencies, lock = Counter(), [], threading.Lock()
    start = threading.Barrier(connections + 1)
    where = urlsplit(base)

    def work() -> None:
        conn = http.client.HTTPConnection(where.hostname, where.port, timeout=120)
        start.wait()
        while True:
            try:
                request = pending.get_nowait()
            except queue.Empty:
                break
            began = time.perf_counter()
            status = _send(conn, base, request)
            took = time.perf_counter() - began
            with lock:
                statuses[status] += 1
                latencies.append(took)
        conn.close()

    threads = [threading.Thread(target=work, daemon=True) for _ in range(connections)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    latencies.sort()
    return Fired(
        statuses,
        seconds,
        latencies[len(latencies) // 2] * 1000,
        latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))] * 1000,
    )


def _send(conn: http.client.HTTPConnection, base: str, request: Request) -> int:
    headers = {"User-Agent": USER_AGENT, "Cookie": f"session={request.login.cookie}"}
    body = None
    if request.form:
        body = urlencode({"csrf_token": request.login.csrf})
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = base + (request.referer or request.path)
    try:
        conn.request("POST" if request.form else "GET", request.path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        conn.close()  # reopened by the next request
        return 0


# -- the run ------------------------------------------------------------------------------------------------


def run(app: Flask, base: str, *, students: int, seats: int, connections: int, entries: int) -> Burst:
    """The burst and the draw against the app served at ``base`` (call outside any context of ``app``)."""
    prepared = prepare(app, students, seats, entries)
    with app.app_context():
        shift_page = path_for("volunteers.shift", shift_id=prepared.shift_id)
        signup = path_for("volunteers.sign_up", shift_id=prepared.shift_id)
        home = path_for("main.index")
        draw = path_for("hosting.draw", shift_id=prepared.lottery_shift_id)
    # Untimed: every worker has loaded the shift page's code and templates before the first sign-up.
    fire(base, [Request(shift_page, login) for login in prepared.students[:connections]], connections)
    posts = [Request(signup, login, form=True, referer=shift_page) for login in prepared.students]
    signups = fire(base, posts, connections)
    homes = fire(base, [Request(home, login) for login in prepared.students], connections)
    with app.app_context():
        counted = _statuses(prepared.shift_id)
    statements = _count_one_signup(app, signup, shift_page, prepared.spare)
    with app.app_context():
        before, mailed = _last_ids(), _mailed(prepared.lottery_shift_id)
    drawn = fire(base, [Request(draw, prepared.host, form=True)], 1)
    with app.app_context():
        notified, queued, sent = _draw_notices(before)
    return Burst(
        students=students,
        seats=seats,
        connections=connections,
        signups=signups,
        home=homes,
        accepted=counted[SignupStatus.ACCEPTED],
        waiting=counted[SignupStatus.WAITING],
        statements_per_signup=statements,
        draw_entries=entries,
        draw_seconds=drawn.seconds,
        draw_status=next(iter(drawn.statuses)),
        draw_notified=notified,
        draw_mailed=mailed,
        draw_queued=queued,
        draw_sent=sent,
    )


def _statuses(shift_id: int) -> Counter:
    rows = db.session.execute(
        select(Signup.status, func.count()).where(Signup.shift_id == shift_id).group_by(Signup.status)
    )
    return Counter(dict(rows.all()))


def _count_one_signup(app: Flask, signup: str, shift_page: str, login: Login) -> int:
    """The SQL statements of one more sign-up (the shift is full by now: it joins the waiting list),
    in process, BEGIN/COMMIT and savepoints aside."""
    client = app.test_client()
    host = (app.config["SERVER_NAME"] or "localhost").split(":")[0]
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], login.cookie, domain=host)
    with app.app_context():
        engine = db.engine
    headers = {"User-Agent": USER_AGENT, "Referer": f"https://{host}{shift_page}"}
    with counting(engine) as seen:
        response = client.post(signup, data={"csrf_token": login.csrf}, headers=headers)
    if response.status_code != 302:
        raise PageFailed(f"the counted sign-up answered {response.status_code}, not 302")
    return seen.statements


def _mailed(shift_id: int) -> int:
    applicants = select(User).join(Signup, Signup.user_id == User.id).where(Signup.shift_id == shift_id)
    return sum(notify.email_wanted(user, LOTTERY_RESULT) for user in db.session.scalars(applicants))


def _last_ids() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.coalesce(func.max(Notification.id), 0))),
        db.session.scalar(select(func.coalesce(func.max(OutboxMessage.id), 0))),
    )


def _draw_notices(before: tuple[int, int]) -> tuple[int, int, int]:
    """The draw's results in the notification centre, its mails queued, and those already sent: what
    was written after ``before`` (the last ids before the draw)."""
    notified = db.session.scalar(
        select(func.count()).where(Notification.kind == LOTTERY_RESULT, Notification.id > before[0])
    )
    mails = select(OutboxMessage.status, func.count()).where(
        OutboxMessage.kind == LOTTERY_RESULT, OutboxMessage.id > before[1]
    )
    by_status = Counter(dict(db.session.execute(mails.group_by(OutboxMessage.status)).all()))
    return notified, by_status[OutboxStatus.PENDING], by_status.total() - by_status[OutboxStatus.PENDING]
