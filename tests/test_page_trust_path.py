"""The trust snapshot and "How am I connected to…" in headless Chromium, on the real app.

The collab snapshot: Ann Lee wrote three works with Ben Ode (2019, 2020, 2022), Ben Ode one
with Eve Sun (2023); Ann and Eve never wrote together, so the path is Ann, Ben, Eve.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import announce, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.neo4j]


@pytest.fixture(autouse=True)
def collab(load_snapshot) -> None:
    load_snapshot("collab")


def test_the_profile_shows_its_trust_and_why(site, page, capsys):
    page.goto(f"{site}/researcher/ann-lee")
    trust = page.locator("#trust")
    expect(trust).to_be_visible()
    # unclaimed, no ORCID or OpenAlex id, every work from the arXiv load: LOW
    expect(page.locator("#trust-summary")).to_contain_text("Low trust")
    expect(page.locator("#trust-summary")).to_contain_text("/100")
    expect(page.locator("#trust-reasons")).to_be_hidden()  # behind "why"
    page.locator("#trust-summary").click()
    reasons = page.locator("#trust-reasons > li")
    expect(reasons.first).to_be_visible()
    codes = reasons.evaluate_all("items => items.map(i => i.dataset.code)")
    # every rule weighed is listed, those worth nothing too (why the score is not higher)
    assert codes[:3] == ["UNCLAIMED", "NO_ORCID", "NO_OPENALEX_ID"]
    expect(page.locator('#trust-reasons > li[data-code="UNCLAIMED"] .points')).to_have_text("0")
    expect(page.locator('#trust-reasons > li[data-code="UNIQUE_NAME"] .points')).to_have_text("+5")
    announce(capsys, screenshot(page, "profile-trust-why"))


def test_the_path_between_two_researchers_with_its_evidence(site, page, capsys):
    page.goto(f"{site}/researcher/ann-lee")
    page.get_by_label("How am I connected to…").fill("Eve Sun")
    page.get_by_role("button", name="Find the path").click()
    expect(page.locator("#connect-status")).to_have_text(
        "Ann Lee → Eve Sun: 2 links, each through shared works."
    )
    hops = page.locator("#connect-chain > li")
    expect(hops).to_have_count(2)
    expect(hops.nth(0)).to_contain_text("Ann Lee and Ben Ode wrote 3 works together")
    # the evidence: their shared works, newest first, with years
    expect(hops.nth(0).locator(".evidence > li")).to_have_text(
        [
            "Adaptive sparsifiers revisited (2022)",
            "Collaboration study 2 (2020)",
            "Graph sparsifiers for streaming (2019)",
        ]
    )
    expect(hops.nth(1)).to_contain_text("Ben Ode and Eve Sun wrote 1 work together")
    expect(hops.nth(1).get_by_role("link", name="Eve Sun")).to_have_attribute(
        "href", "/researcher/eve-sun"
    )
    shot = screenshot(page, "profile-path-to-eve-sun")

    page.get_by_label("How am I connected to…").fill("Nobody Atall")
    page.get_by_label("How am I connected to…").press("Enter")  # the keyboard submits too
    expect(page.locator("#connect-status")).to_have_text(
        "There is no researcher named or with the id “Nobody Atall”."
    )
    expect(hops).to_have_count(0)
    announce(capsys, shot)


def test_the_explorer_draws_the_path_on_its_graph(site, page, capsys):
    page.goto(f"{site}/explore/ann-lee")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    before = page.evaluate("kgGraph.getElementById('researcher:eve-sun').length")
    assert before == 0  # not in Ann's own context
    page.get_by_label("How am I connected to…").fill("eve-sun")  # an id works too
    page.get_by_role("button", name="Find the path").click()
    expect(page.locator("#connect-chain > li")).to_have_count(2)
    path = page.evaluate("kgGraph.elements('.path').map(e => e.id())")
    assert set(path) == {
        "researcher:ann-lee",
        "researcher:ben-ode",
        "researcher:eve-sun",
        "COAUTHOR:researcher:ann-lee->researcher:ben-ode",
        "COAUTHOR:researcher:ben-ode->researcher:eve-sun",
    }
    expect(page.locator("#nodes").get_by_role("link", name="Eve Sun")).to_have_count(1)
    announce(capsys, screenshot(page, "explorer-path-to-eve-sun"))
