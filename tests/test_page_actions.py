"""Acting on a researcher's page in headless Chromium: sign in with an API key, follow and
unfollow, claim, and for the verified owner "these works are not mine" (splitWorks); and the
charts with their text alternatives. The real app on the test Neo4j, with two API keys.

In the basic feed Alice Martin has 6 works, all of 2024; with `basic_openalex` OpenAlex
counts 40, 90 and 110 citations of hers in 2023, 2024 and 2025.
"""

from __future__ import annotations

from collections.abc import Iterator

import neo4j
import pytest
from playwright.sync_api import Page, expect

from kg.core.config import Settings
from kg.web.app import create_app
from tests.browser import announce, screenshot, serve
from tests.openalex_graph import basic_openalex

pytestmark = [pytest.mark.browser, pytest.mark.neo4j]

ALICE_KEY = "alice-key-0123456789"
BOB_KEY = "bob-key-0123456789ab"
KEYS = f"alice:{ALICE_KEY},bob:{BOB_KEY}"


@pytest.fixture
def site(settings: Settings) -> Iterator[str]:
    """The app with two users' API keys (conftest's `site` has none)."""
    with serve(create_app(settings.with_(api_keys=KEYS))) as url:
        yield url


def sign_in(page: Page, key: str) -> None:
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("API key").fill(key)
    page.get_by_label("API key").press("Enter")
    expect(page.locator("#signed-in")).to_have_text(f"Signed in (key …{key[-4:]})")


def test_sign_in_follow_unfollow_and_sign_out(load_feed, site, page, capsys):
    load_feed("basic")
    page.goto(f"{site}/researcher/alice-martin")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alice Martin")
    note = page.locator("#actions-note")
    expect(note).to_have_text("Sign in with an API key to follow or claim this record.")
    follow = page.get_by_role("button", name="Follow", exact=True)
    expect(follow).to_have_accessible_description(
        "Sign in with an API key to follow or claim this record."
    )
    signed_out_png = screenshot(page, "actions-signed-out")

    follow.click()  # signed out: says why, and opens the sign-in box
    expect(page.locator("#actions-status")).to_contain_text("Sign in first")
    expect(page.get_by_label("API key")).to_be_focused()
    page.get_by_label("API key").fill(ALICE_KEY)
    page.get_by_role("button", name="Sign in").last.click()
    expect(page.locator("#signed-in")).to_have_text("Signed in (key …6789)")
    assert page.evaluate("() => sessionStorage.getItem('kg.apiKey')") == ALICE_KEY

    with page.expect_request(lambda r: r.url.endswith("/graphql")) as sent:
        follow.click()
    assert sent.value.headers["authorization"] == f"Bearer {ALICE_KEY}"
    expect(page.locator("#actions-status")).to_have_text("You now follow Alice Martin.")
    expect(page.locator("#followers-count")).to_have_text("1")
    expect(note).to_have_text("You follow Alice Martin.")
    unfollow = page.get_by_role("button", name="Unfollow")
    following_png = screenshot(page, "actions-following")

    page.reload()  # the tab keeps the key and what it learnt
    expect(page.locator("#signed-in")).to_be_visible()
    expect(page.locator("#followers-count")).to_have_text("1")
    unfollow.click()
    expect(page.locator("#actions-status")).to_have_text("You no longer follow Alice Martin.")
    expect(page.locator("#followers-count")).to_have_text("0")
    expect(page.get_by_role("button", name="Follow", exact=True)).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_focused()
    expect(note).to_have_text("Sign in with an API key to follow or claim this record.")
    assert page.evaluate("() => sessionStorage.getItem('kg.apiKey')") is None

    sign_in(page, "not-a-key-this-server-knows")  # the server says no, in words
    page.get_by_role("button", name="Follow", exact=True).click()
    expect(page.locator("#actions-status")).to_have_text(
        "The server did not accept this API key. Sign out, then sign in with a key the "
        "operators gave you."
    )
    expect(page.locator("#actions-status")).to_have_class("error")
    expect(page.locator("#followers-count")).to_have_text("0")
    announce(capsys, signed_out_png, following_png)


def test_claim_shows_pending(load_feed, site, page, capsys):
    load_feed("basic")
    page.goto(f"{site}/researcher/alice-martin")
    sign_in(page, ALICE_KEY)
    page.get_by_role("button", name="Claim this record").click()
    expect(page.locator("#actions-status")).to_have_text(
        "Your claim is pending: an operator will verify it."
    )
    expect(page.locator("#claim")).to_have_text("Claimed, verification pending")
    expect(page.get_by_role("button", name="Claim this record")).to_be_hidden()
    expect(page.locator("#owner-tools")).to_be_hidden()
    announce(capsys, screenshot(page, "actions-claim-pending"))


def verify(db: neo4j.Driver, user: str, key: str) -> None:
    """An operator's verification, as `kg claims verify` records it."""
    db.execute_query(
        "MATCH (a:Author {key: $key}) MERGE (u:User {id: $user}) "
        "MERGE (u)-[c:CLAIMS]->(a) SET c.status = 'VERIFIED', c.createdAt = datetime()",
        {"user": user, "key": key},
    )


def test_verified_owner_moves_works_that_are_not_theirs(load_feed, db, site, page, capsys):
    load_feed("basic")
    verify(db, "alice", "alice-martin")

    page.goto(f"{site}/researcher/alice-martin")
    sign_in(page, BOB_KEY)  # someone else: told so, no owner tools
    expect(page.locator("#actions-note")).to_have_text(
        "Someone else's claim on this record is verified; contact the operators if it is yours."
    )
    expect(page.locator("#owner-tools")).to_be_hidden()
    expect(page.locator("#works .not-mine")).to_have_count(0)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, ALICE_KEY)
    expect(page.locator("#actions-note")).to_have_text("This is your record (claim verified).")
    expect(page.locator("#owner-tools")).to_be_visible()
    expect(page.locator("#works .not-mine")).to_have_count(6)
    page.get_by_role("button", name="These works are not mine…").click()
    expect(page.locator("#owner-status")).to_contain_text("Tick “Not mine”")

    for arxiv_id in ("2401.00003", "2401.00004"):
        page.locator(f'#works .not-mine input[value="{arxiv_id}"]').check()
    page.get_by_role("button", name="These works are not mine…").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading")).to_have_text("Move 2 works off your record?")
    expect(dialog.get_by_role("listitem")).to_have_count(2)
    expect(dialog.get_by_label("Why (kept in the record's history)")).to_be_focused()
    owner_png = screenshot(page, "actions-not-mine-confirm")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    assert db.execute_query("MATCH (e:IdentityEvent) RETURN count(e) AS n").records[0]["n"] == 0

    page.get_by_role("button", name="These works are not mine…").click()
    dialog.get_by_label("Why (kept in the record's history)").fill("my namesake's papers")
    with page.expect_request(
        lambda r: r.url.endswith("/graphql") and "splitWorks" in (r.post_data or "")
    ) as sent:
        dialog.get_by_role("button", name="Move them to a new record").click()
    variables = sent.value.post_data_json["variables"]
    assert variables == {
        "id": "alice-martin",
        "works": ["2401.00003", "2401.00004"],
        "reason": "my namesake's papers",
    }
    # the page reloads with the record as it is now
    expect(page.locator("#works-count")).to_have_text("4")
    expect(page.locator("#works > li")).to_have_count(4)
    status = page.locator("#actions-status")
    expect(status).to_contain_text("Moved 2 works to a new record")
    expect(status.get_by_role("link", name="Open the new record")).to_have_attribute(
        "href", "/researcher/alice-martin--2401.00003"
    )
    row = db.execute_query(
        "MATCH (e:IdentityEvent) RETURN e.kind AS kind, e.actor AS actor, e.reason AS reason"
    ).records
    assert [(r["kind"], r["actor"], r["reason"]) for r in row] == [
        ("split", "alice", "my namesake's papers")
    ]
    announce(capsys, owner_png, screenshot(page, "actions-after-split"))


def test_charts_with_their_text_alternatives(load_feed, db, site, page, capsys):
    load_feed("basic")
    basic_openalex(db)
    db.execute_query(  # spread her works over years, so the chart has more than one bar
        "MATCH (p:Paper) WHERE p.arxivId IN ['2401.00003', '2401.00004'] "
        "SET p.year = 2021, p.published = date('2021-06-01')"
    )
    page.goto(f"{site}/researcher/alice-martin")
    works = page.locator("#works-chart")
    expect(works.locator("figcaption")).to_have_text("Works per year, by topic")
    expect(works.get_by_role("img")).to_have_count(4)  # a bar a year, 2021 to 2024
    expect(works.get_by_role("img", name="2021: 2 works (CL 2)")).to_have_count(1)
    expect(works.get_by_role("img", name="2024: 4 works (LG 4, ML 1)")).to_have_count(1)
    expect(works.get_by_role("img", name="2022: 0 works")).to_have_count(1)
    # each bar split among its year's topics, coloured as in the topic shares
    assert works.locator("rect.segment").evaluate_all(
        "rs => rs.map(r => getComputedStyle(r).fill)"  # as drawn, whatever the stylesheet says
    ) == ["rgb(194, 65, 12)", "rgb(37, 99, 235)", "rgb(21, 128, 61)"]  # 2021: CL; 2024: LG, ML
    # the bar over them, which takes the focus and names the year, lets them show through
    assert set(
        works.locator("rect.stacked").evaluate_all("rs => rs.map(r => getComputedStyle(r).fill)")
    ) == {"rgba(0, 0, 0, 0)"}
    works.get_by_text("The chart as a table").click()
    expect(works.get_by_role("columnheader")).to_have_text(["Year", "Works", "LG", "CL", "ML"])
    expect(works.get_by_role("rowheader")).to_have_text(["2021", "2022", "2023", "2024"])
    expect(works.locator("tbody tr").first.get_by_role("cell")).to_have_text(["2", "0", "2", "0"])

    topics = page.get_by_role(
        "list", name="Topics of their works (all years; a work can have several)"
    )
    expect(topics.get_by_role("listitem").first).to_have_text("LG · 4 works (67%)")

    citations = page.locator("#citations-chart")
    expect(citations.locator("svg rect")).to_have_count(3)
    last = citations.get_by_role("img", name="2025: 110 citations")
    expect(last).to_have_attribute("tabindex", "0")  # the chart's one stop for Tab
    last.focus()
    page.keyboard.press("ArrowLeft")
    expect(citations.get_by_role("img", name="2024: 90 citations")).to_be_focused()
    expect(citations.locator(".readout")).to_have_text("2024: 90 citations")
    citations.get_by_text("The chart as a table").click()
    expect(citations.get_by_role("rowheader")).to_have_text(["2023", "2024", "2025"])
    expect(citations.get_by_role("cell")).to_have_text(["40", "90", "110"])
    page.locator("#years-heading").scroll_into_view_if_needed()
    charts_png = screenshot(page, "charts-alice-martin")

    page.goto(f"{site}/researcher/edward-old")  # no citation data
    expect(page.locator("#citations-chart")).to_contain_text("No citation data yet")
    expect(page.locator("#citations-chart svg")).to_have_count(0)
    expect(page.locator("#works-chart").get_by_role("img")).to_have_count(1)
    announce(capsys, charts_png)
