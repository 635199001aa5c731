"""The explorer (`/explore/{id}`) in headless Chromium, served by the real app on the test Neo4j.

In the basic feed Alice Martin's context is 5 people, 6 works and 3 topics; Carol Diaz
also wrote 2401.00005 with Zhengzhong Liu, and Bob Nguyen 2401.00006 with Z. Liu, so
expanding either adds nodes. The last test builds a graph of two hubs (100+ works and
co-authors each) to hold 500 nodes on screen.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from loaders import snapshot
from tests.browser import announce, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.neo4j]


def ready(page: Page) -> None:
    expect(page.locator("body")).to_have_attribute("data-ready", "true")


def count(page: Page, selector: str = "node") -> int:
    """Nodes drawn (not filtered out). Reading a node's style first brings it up to date:
    Cytoscape applies class changes lazily (at the next frame or style read), and
    `visible()` alone can answer from before them."""
    return int(
        page.evaluate(
            "s => kgGraph.$(s).filter(n => n.style('display') !== 'none' && n.visible()).length",
            selector,
        )
    )


def shown(page: Page, n: int) -> None:
    """The page says it shows n nodes (and has drawn them)."""
    expect(page.locator("#counts")).to_have_attribute("data-nodes", str(n))


def test_explorer_expands_collapses_filters_and_pins(load_feed, site, page, capsys):
    load_feed("basic")
    page.goto(f"{site}/researcher/alice-martin")
    page.get_by_role("link", name="Open in the explorer").click()
    expect(page).to_have_url(f"{site}/explore/alice-martin")
    ready(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Alice Martin")
    expect(page).to_have_title("Alice Martin · Explorer · kg")
    shown(page, 14)
    assert count(page) == 14
    listed_in = page.locator("#nodes")
    listed = listed_in.locator("> li")
    expect(listed).to_have_count(14)
    expect(listed.first).to_contain_text("Alice Martin person (centre)")
    expect(page.locator("#nodes").get_by_role("link", name="Bob Nguyen")).to_have_attribute(
        "href", "/researcher/bob-nguyen"
    )
    expect(page.locator("#graph")).to_have_attribute(
        "aria-label",
        "Research graph around Alice Martin: 5 people, 6 works, 3 topics, 0 institutions. "
        "The same graph is listed beside it.",
    )

    # expand Carol in place: her work with Zhengzhong Liu joins; collapse takes it away
    listed_in.get_by_role("button", name="Expand Carol Diaz").click()
    expect(page.locator("#status")).to_contain_text("Carol Diaz:")
    grown = int(page.locator("#counts").get_attribute("data-nodes") or 0)
    assert grown > 14 and count(page) == grown
    assert page.evaluate("() => kgGraph.$id('work:2401.00005').nonempty()")
    expanded_png = screenshot(page, "explorer-expanded-alice-martin")
    # someone Carol brought, expanded in turn, goes with her
    listed_in.get_by_role("button", name="Expand Zhengzhong Liu").click()
    expect(listed_in.get_by_role("button", name="Collapse Zhengzhong Liu")).to_be_visible()
    deeper = int(page.locator("#counts").get_attribute("data-nodes") or 0)
    listed_in.get_by_role("button", name="Collapse Carol Diaz").click()
    shown(page, 14)
    assert count(page) == 14
    assert page.evaluate("() => kgGraph.$id('work:2401.00005').empty()")
    assert page.evaluate("() => kgGraph.$('[label = \"Zhengzhong Liu\"]').empty()")
    removed = f"Carol Diaz collapsed: {deeper - 14} nodes removed."
    expect(page.locator("#status")).to_have_text(removed)

    # from the keyboard: Enter on a person's Expand button, focus stays on it
    expand_bob = listed_in.get_by_role("button", name="Expand Bob Nguyen")
    expand_bob.focus()
    page.keyboard.press("Enter")
    collapse_bob = listed_in.get_by_role("button", name="Collapse Bob Nguyen")
    expect(collapse_bob).to_be_focused()
    assert int(page.locator("#counts").get_attribute("data-nodes") or 0) > 14
    assert page.evaluate("() => kgGraph.$id('work:2401.00006').nonempty()")
    page.keyboard.press("Enter")
    shown(page, 14)
    expect(listed_in.get_by_role("button", name="Expand Bob Nguyen")).to_be_focused()

    # filter by kind: works leave the graph and the list, and come back
    page.get_by_role("checkbox", name="Works").uncheck()
    shown(page, 8)
    assert count(page, 'node[kind = "WORK"]') == 0 and count(page) == 8
    expect(listed.filter(has=page.locator('[data-kind="WORK"]'))).to_have_count(0)
    filtered_png = screenshot(page, "explorer-without-works")
    page.get_by_role("checkbox", name="Works").check()
    shown(page, 14)

    # pin: the node keeps its place through a re-arrangement
    listed_in.get_by_role("button", name="Pin Zihang Liu").click()
    pinned = listed_in.get_by_role("button", name="Pin Zihang Liu")
    expect(pinned).to_have_attribute("aria-pressed", "true")
    at = page.evaluate("() => kgGraph.$id('researcher:zihang-liu').position()")
    assert page.evaluate("() => kgGraph.$id('researcher:zihang-liu').locked()")
    page.get_by_role("button", name="Re-arrange").click()
    assert page.evaluate("() => kgGraph.$id('researcher:zihang-liu').position()") == at
    pinned.click()
    expect(pinned).to_have_attribute("aria-pressed", "false")

    missing = page.goto(f"{site}/explore/nobody-at-all")
    assert missing is not None and missing.status == 404
    announce(capsys, expanded_png, filtered_png)


def hub_records(folder: Path) -> Path:
    """Two hubs: Hana Hub with 110 works (one new co-author each, Hugo Hub on the first),
    each co-author with a work of their own with a friend; Hugo Hub with 110 works of his
    own (in two other topics), each with another new co-author. Hana's context at depth 2
    and limit 100 is 302 nodes; expanding Hugo brings it to 501."""
    records = []

    def work(n: int, authors: list[str], categories: str = "cs.LG") -> None:
        records.append(
            {
                "id": f"2301.{n:05d}",
                "submitter": authors[0],
                "authors": ", ".join(authors),
                "title": f"Synthetic study {n}",
                "comments": None,
                "journal-ref": None,
                "doi": None,
                "report-no": None,
                "categories": categories,
                "license": None,
                "abstract": "  A study.\n",
                "versions": [{"version": "v1", "created": "Mon, 6 Mar 2023 10:00:00 GMT"}],
                "update_date": "2023-03-06",
                "authors_parsed": [[a.split()[1], a.split()[0], ""] for a in authors],
            }
        )

    n = 1
    for i in range(110):
        work(n, ["Hana Hub", f"Member Number{i:03d}"] + (["Hugo Hub"] if i == 0 else []))
        work(n + 1, [f"Member Number{i:03d}", f"Friend Number{i:03d}"])
        work(n + 2, ["Hugo Hub", f"Other Number{i:03d}"], "cs.CL cs.AI")
        n += 3
    path = folder / "hubs.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def test_the_year_slider_shows_the_circle_as_of_a_year(load_snapshot, site, page, capsys):
    """The collab snapshot: Ann Lee works with Ben Ode from 2019 to 2022 and with Cal Poe in
    2020 and 2021; her works run from 2019 to 2023."""
    load_snapshot("collab")
    page.goto(f"{site}/explore/ann-lee")
    ready(page)
    slider = page.get_by_role("slider")
    expect(slider).to_be_visible()
    expect(slider).to_have_attribute("min", "2019")
    expect(slider).to_have_attribute("max", "2023")
    everything = count(page)
    listed = page.locator("#nodes")

    slider.fill("2019")
    expect(page.locator("#year-shown")).to_have_text("2019")
    summary = page.locator("#years-summary")
    expect(summary).to_have_text(
        "As of 2019: 1 collaborator shown; new that year: Ben Ode; none lapsed."
    )
    expect(listed.get_by_role("link", name="Cal Poe")).to_have_count(0)  # from 2020 on
    expect(listed.get_by_role("link", name="Ben Ode")).to_have_count(1)
    in_2019 = count(page)
    assert in_2019 < everything
    first = screenshot(page, "explorer-as-of-2019")

    slider.focus()
    page.keyboard.press("ArrowRight")  # the keyboard moves it a year
    expect(page.locator("#year-shown")).to_have_text("2020")
    expect(summary).to_contain_text("new that year: Cal Poe")
    expect(listed.get_by_role("link", name="Cal Poe")).to_have_count(1)
    assert in_2019 < count(page)

    slider.fill("2023")
    # no shared work with Cal since 2021: lapsed (drawn dashed), Ben's last was 2022
    expect(summary).to_have_text(
        "As of 2023: 2 collaborators shown; none new that year; no shared work in 2 years: Cal Poe."
    )
    lapsed = page.evaluate("kgGraph.edges('.lapsed').map(e => [e.source().id(), e.target().id()])")
    assert lapsed == [["researcher:ann-lee", "researcher:cal-poe"]]
    last = screenshot(page, "explorer-as-of-2023")

    page.get_by_role("button", name="All years").click()
    expect(page.locator("#year-shown")).to_have_text("all years")
    expect(summary).to_have_text("")
    assert count(page) == everything
    announce(capsys, first, last)


def test_explorer_stays_responsive_with_500_nodes(db, settings, site, page, tmp_path, capsys):
    snapshot.load(settings, db, hub_records(tmp_path), progress=False)
    started = time.monotonic()
    page.goto(f"{site}/explore/hana-hub?depth=2&limit=100")
    ready(page)
    first = time.monotonic() - started
    before = int(page.locator("#counts").get_attribute("data-nodes") or 0)
    assert before > 250

    listed_in = page.locator("#nodes")
    page.get_by_label("Per expansion").select_option("100")
    started = time.monotonic()
    listed_in.get_by_role("button", name="Expand Hugo Hub").click()
    expect(page.locator("#status")).to_contain_text("Hugo Hub:")
    grown = time.monotonic() - started
    after = int(page.locator("#counts").get_attribute("data-nodes") or 0)
    assert after >= 500 and count(page) == after
    expect(page.locator("#nodes > li")).to_have_count(after)
    big_png = screenshot(page, "explorer-500-nodes")

    started = time.monotonic()  # a filter over 500 nodes, and a collapse
    page.get_by_role("checkbox", name="Works").uncheck()
    expect(page.locator("#counts")).not_to_have_attribute("data-nodes", str(after))
    filtered = time.monotonic() - started
    page.get_by_role("checkbox", name="Works").check()
    started = time.monotonic()
    listed_in.get_by_role("button", name="Collapse Hugo Hub").click()
    shown(page, before)
    collapsed = time.monotonic() - started
    # frame time while panning: the page stays interactive
    frame_ms = page.evaluate(
        """() => new Promise(done => {
          const times = []; let last = performance.now(); let i = 0;
          function step(now) {
            times.push(now - last); last = now; kgGraph.panBy({x: 3, y: 2});
            if (++i < 30) requestAnimationFrame(step); else done(times.sort((a, b) => a - b)[15]);
          }
          requestAnimationFrame(step);
        })"""
    )
    with capsys.disabled():
        print(
            f"\nexplorer: {before} nodes drawn in {first:.1f} s; expand to {after} in "
            f"{grown:.1f} s; filter {filtered:.2f} s; collapse {collapsed:.2f} s; "
            f"median frame while panning {frame_ms:.0f} ms"
        )
    # generous bounds: the CI machine is small and shared
    assert grown < 15 and filtered < 5 and collapsed < 5 and frame_ms < 250
    announce(capsys, big_png)
