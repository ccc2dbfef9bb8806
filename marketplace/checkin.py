"""签到码: check-in by a rotating code, one mechanism for every door — volunteers on a shift (考勤,
``volunteers/attendance.py``) and participants on an event day (参与同学签到, ``hosting/participants.py``).

A door is named by its *scope* (a shift's id; ``participants:<day id>``). Its code is six digits, an
HMAC of the scope and the minute with the app's secret, so it rotates every minute, cannot be worked
out without the secret, and one door's code opens no other; the host's screen also shows it as a QR
code whose link carries it. The current and the previous minute's codes are accepted.

Guessing stays hopeless: each caller checks who may pass *before* the code (so whoever may not learns
nothing about a code), and one person may type ``WRONG_CODES`` wrong codes per door in
``WRONG_CODE_MINUTES``, counted in the rate limiter's storage (shared by every process).

A scan made before logging in cannot be checked (the caller does not know who scanned it): it is only
remembered — the code and the moment of the scan, in the signed session — and checked after the login
as it was valid at that moment, for ``SCAN_KEPT_MINUTES``.
"""

from __future__ import annotations

import hashlib
import hmac
from base64 import b64encode
from datetime import datetime, timedelta

import qrcode
import qrcode.image.svg
from flask import current_app, flash, redirect, session, url_for
from flask_babel import gettext as _
from limits import RateLimitItemPerMinute

from . import clock
from .errors import DomainError
from .extensions import limiter

CODE_STEP = 60  # seconds: the code rotates every minute
STALE_CODE_MINUTES = 30  # how far back a refused code is recognised as this door's, only older
SCAN_KEPT_MINUTES = 10  # a scan made before logging in still counts for this long
# Two codes of a million are valid at a time, so a few wrong ones must be all anyone gets.
WRONG_CODE_MINUTES = 10
WRONG_CODES = RateLimitItemPerMinute(10, WRONG_CODE_MINUTES)
SCAN_KEY = "checkin_scan"  # the session's memory of a scan made before logging in


def code(scope: str, at: datetime | None = None) -> str:
    """The six-digit code of the door ``scope`` for the minute containing ``at``."""
    minute = int((at or clock.now()).timestamp() // CODE_STEP)
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"checkin:{scope}:{minute}".encode(), hashlib.sha256).hexdigest()
    return f"{int(digest[:10], 16) % 1_000_000:06d}"


def _matches(scope: str, typed: str, at: datetime, minutes_back: range) -> bool:
    typed = (typed or "").strip()
    return any(
        hmac.compare_digest(typed, code(scope, at - timedelta(seconds=CODE_STEP * n))) for n in minutes_back
    )


def is_current(scope: str, typed: str, at: datetime) -> bool:
    """The current and the previous minute's codes are accepted (a code read at :59 still works)."""
    return _matches(scope, typed, at, range(2))


def check_code(user, scope: str, typed: str, at: datetime, *, elsewhere: str) -> None:
    """Refuse a code that does not open ``scope`` at ``at``, saying whether it is merely old (a
    screenshot, a page left open) or not this door's at all (``elsewhere``: another door's QR, a typo).
    Call it only for someone who may pass; after ``WRONG_CODES`` wrong ones every code is refused
    until the window has passed (the host can still record them by hand where the door allows it)."""
    counter = ("checkin-wrong-code", str(user.id), scope)
    if limiter.enabled and not limiter.limiter.test(WRONG_CODES, *counter):
        raise DomainError(
            _(
                "签到码输错次数太多，请 %(n)s 分钟后再试，或请承办方为你登记签到。",
                n=WRONG_CODE_MINUTES,
            ),
            field="code",
        )
    if is_current(scope, typed, at):
        return
    if limiter.enabled:
        limiter.limiter.hit(WRONG_CODES, *counter)
    if _matches(scope, typed, at, range(2, STALE_CODE_MINUTES + 1)):
        raise DomainError(_("签到码已过期（每分钟更换一次），请扫描承办方现在展示的二维码。"), field="code")
    raise DomainError(elsewhere, field="code")


def check_scan_age(scanned_at: datetime) -> None:
    """A scan remembered across a login counts for ``SCAN_KEPT_MINUTES``."""
    if clock.now() - scanned_at > timedelta(minutes=SCAN_KEPT_MINUTES):
        raise DomainError(
            _("扫码已超过 %(n)s 分钟，请重新扫描现场的二维码。", n=SCAN_KEPT_MINUTES), field="code"
        )


def remember_scan(scope: str, typed: str, resume: str):
    """Signed out: remember the code and when it was read, and send the visitor to log in and then
    to ``resume``, which checks it (``take_scan``) — only then can it be checked with who scanned it,
    so a scan made signed out says nothing about the code."""
    session[SCAN_KEY] = {"scope": scope, "code": typed.strip(), "at": clock.now().isoformat()}
    flash(_("请在 %(n)s 分钟内登录，登录后自动核对签到码并为你签到。", n=SCAN_KEPT_MINUTES), "info")
    return redirect(url_for("accounts.login", next=resume))


def take_scan(scope: str) -> tuple[str, datetime] | None:
    """The code and moment of the scan remembered for ``scope`` (forgotten as it is taken), if any."""
    scan = session.pop(SCAN_KEY, None)
    if not scan or scan.get("scope") != scope:
        return None
    return scan["code"], datetime.fromisoformat(scan["at"])


def qr_data_uri(text: str) -> str:
    """The QR code of ``text`` as an SVG data URI (drawn on the server: no script on the page)."""
    svg = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2).to_string()
    return "data:image/svg+xml;base64," + b64encode(svg).decode()


def refresh_in(now: datetime) -> int:
    """Seconds until just after the minute turns, when the host's page reloads for the next code."""
    return 61 - now.second
