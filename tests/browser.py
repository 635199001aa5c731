"""Pages in a real browser: the system's Chromium driven by Playwright, the app on a live port.

Playwright's own browser downloads are never used: `apt-get install chromium` provides
the browser, and a missing one fails the tests with that command rather than skipping.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect, sync_playwright
from starlette.applications import Starlette

REPO = Path(__file__).resolve().parent.parent
WAIT_MS = 30_000
"""Generous waits for pages and selectors: CI machines are small and shared."""

expect.set_options(timeout=WAIT_MS)


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail(
            "Chromium is not installed: install it with `apt-get install chromium` "
            "(.ci/run does); the browser tests drive the system Chromium through Playwright",
            pytrace=False,
        )
    return path


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path())
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def new_page(browser: Browser, js_errors_fail: bool = True) -> Iterator[Page]:
    """A fresh page (own cookies and storage) that fails on an uncaught JavaScript error
    (kg's pages have none; other apps' pages may)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    try:
        yield page
    finally:
        context.close()
    assert not (js_errors_fail and errors), f"JavaScript errors on the page: {errors}"


@contextmanager
def serve(app: Starlette) -> Iterator[str]:
    """The app on uvicorn in a thread, on a free port of 127.0.0.1; yields its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


def screenshot_dir() -> Path:
    """KG_SCREENSHOTS, else build/screenshots/ in the checkout (git ignores build/)."""
    path = Path(os.environ.get("KG_SCREENSHOTS") or REPO / "build" / "screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def screenshot(page: Page, name: str) -> Path:
    path = screenshot_dir() / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0, f"empty screenshot {path}"
    return path


def announce(capsys: pytest.CaptureFixture[str], *paths: Path) -> None:
    """Print where screenshots are, even when pytest captures output."""
    with capsys.disabled():
        for path in paths:
            print(f"\nscreenshot: {path}")
