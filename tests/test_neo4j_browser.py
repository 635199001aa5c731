"""Neo4j Browser, as served by the test Neo4j: log in and run a query from queries/.

Browser 5.24 is a React app with a Monaco editor; the selectors are its `data-testid`
attributes. The screenshot goes to KG_SCREENSHOTS (default build/screenshots/).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from kg.core.queries import get as get_query
from kg.core.queries import text as query_text
from tests.browser import announce, chromium, new_page, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.neo4j]


@pytest.fixture
def page() -> Iterator[Page]:
    with chromium() as browser, new_page(browser, js_errors_fail=False) as page:
        yield page


def run(page: Page, command: str) -> None:
    """Type a command or query into the editor at the top, and run it."""
    page.get_by_test_id("activeEditor").click()
    page.keyboard.insert_text(command)
    page.get_by_test_id("editor-Run").click()


def test_log_in_and_run_a_library_query(load_feed, settings, page, capsys):
    load_feed("basic")
    page.goto(settings.browser_url)
    page.get_by_test_id("bolt-scheme-select").select_option("bolt://")
    page.get_by_test_id("boltaddress").fill(f"127.0.0.1:{settings.bolt_port}")
    page.get_by_test_id("username").fill(settings.neo4j_user)
    page.get_by_test_id("password").fill(settings.neo4j_password)
    page.get_by_test_id("connect").click()
    expect(page.get_by_text(f"You are connected as user {settings.neo4j_user}")).to_be_visible()

    # as the README says: run the file header's `:param` lines, then the query
    run(page, ':param keys => ["alice-martin"]')
    expect(page.get_by_text("Successfully set your parameters.")).to_be_visible()
    parts = next(
        line.split("//", 1)[1].strip()
        for line in get_query("researcher_profile").header.splitlines()
        if ":param parts" in line
    )
    run(page, parts)
    expect(page.get_by_text("Successfully set your parameters.")).to_have_count(2)
    run(page, query_text("researcher_profile"))

    result = page.get_by_test_id("frame").filter(
        has=page.get_by_test_id("frameCommand").filter(has_text="UNWIND $keys")
    )
    expect(result.get_by_test_id("frameContents")).to_contain_text('"Alice Martin"')
    expect(result.get_by_test_id("frameStatusbar")).to_contain_text("1 records")
    announce(capsys, screenshot(page, "neo4j-browser"))
