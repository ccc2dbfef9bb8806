"""Serving the app from this process, and what browser tests check on a page."""

from __future__ import annotations

import importlib
import importlib.util
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

CHROMIUM = "/usr/bin/chromium"
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "screenshots"

# Whether the glyphs of two different characters come out differently: with no CJK font installed
# both are drawn as the same missing-glyph box (or not at all).
_DRAWS_CJK = """
(element) => {
  const style = getComputedStyle(element);
  const draw = (text) => {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 64;
    const context = canvas.getContext("2d");
    context.font = `${style.fontWeight} 48px ${style.fontFamily}`;
    context.fillText(text, 4, 52);
    return canvas.toDataURL();
  };
  return draw("你") !== draw("好") && draw("你") !== draw("\\uFFFF");
}
"""


def sync_api_or_skip():
    """Playwright's sync API, once Chromium and Playwright are known to be here. Otherwise the test
    (or, called at import, the module) is skipped, or fails when ``REQUIRE_PREREQUISITES=1``."""
    if not os.path.exists(CHROMIUM):
        problem = f"{CHROMIUM} is missing (apt-get install chromium fonts-noto-cjk)"
    elif importlib.util.find_spec("playwright") is None:
        problem = "the playwright package is missing (pip install -e '.[test]')"
    else:
        return importlib.import_module("playwright.sync_api")
    if os.environ.get("REQUIRE_PREREQUISITES") == "1":
        pytest.fail(f"browser tests are required (REQUIRE_PREREQUISITES=1): {problem}", pytrace=False)
    pytest.skip(problem, allow_module_level=True)


class _QuietRequestHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:
        pass  # a line per static file would bury a failing test's own output


@contextmanager
def serving(app) -> Iterator[str]:
    """Serve ``app`` from a daemon thread of this process, so it shares ``marketplace.clock`` and the
    database with the test; yields the base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def watch_errors(page) -> list[str]:
    """Collect the page's script errors and console errors (a CSP violation is one) from now on."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    return errors


def draws_chinese(locator) -> bool:
    return locator.evaluate(_DRAWS_CJK)


def fits_width(page) -> bool:
    """Nothing sticks out sideways (no horizontal scrolling on a phone)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def screenshot(page, name: str) -> None:
    """Save ``screenshots/<name>.png`` when ``SCREENSHOTS=1`` (for people reviewing the layout)."""
    if os.environ.get("SCREENSHOTS") == "1":
        SCREENSHOT_DIR.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True)


def sign_in(page, user) -> None:
    """Sign ``user`` in through the login form (any earlier session is dropped) and wait for home."""
    from tests import factories

    page.context.clear_cookies()
    page.goto("/login")
    page.get_by_label("学号 / 工号 / 邮箱").fill(user.identifier)
    page.get_by_label("密码", exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name="登录").click()
    sync_api_or_skip().expect(page.get_by_role("heading", name=f"你好，{user.name}")).to_be_visible()
