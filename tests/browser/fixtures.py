"""Browser fixtures: Debian's Chromium (never a downloaded one) driven by Playwright's sync API,
against the app served from a daemon thread of the test process. Loaded as a plugin by
tests/conftest.py, so tests in every directory share one browser and one served app.

Without /usr/bin/chromium or the playwright package these tests are skipped, unless
``REQUIRE_PREREQUISITES=1`` (CI), which makes that a failure.
"""

from __future__ import annotations

import pytest

from tests.browser.live import CHROMIUM, serving, sync_api_or_skip

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # One renderer process serves every page of a test's site (one origin): less CPU for the suite.
    "--disable-site-isolation-trials",
    "--disable-features=site-per-process,Translate,OptimizationHints,MediaRouter",
]
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def live_url(app):
    with serving(app) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    sync_api = sync_api_or_skip()
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def _page(browser, live_url, **options):
    context = browser.new_context(base_url=live_url, locale="zh-CN", **options)
    context.set_default_timeout(TIMEOUT_MS)
    return context, context.new_page()


@pytest.fixture
def phone_page(browser, live_url):
    context, page = _page(
        browser, live_url, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True,
        device_scale_factor=2,
    )  # fmt: skip
    yield page
    context.close()


@pytest.fixture
def desktop_page(browser, live_url):
    context, page = _page(browser, live_url, viewport={"width": 1280, "height": 900})
    yield page
    context.close()
