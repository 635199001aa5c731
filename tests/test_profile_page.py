"""The researcher pages in headless Chromium, served by the real app on the test Neo4j.

In the basic feed Alice Martin has 6 works (cs.LG, cs.CL, stat.ML) and co-authors Bob
Nguyen (3 shared works), Zihang Liu and Carol Diaz (2 each): her 3 close collaborators;
and José García (1). With `basic_openalex` written on it, Alice has OpenAlex's figures
(h-index 7) and the graph's (h-index 3). Screenshots go to KG_SCREENSHOTS (default
build/screenshots/).
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from playwright.sync_api import Page, expect

from tests.browser import announce, screenshot
from tests.openalex_graph import ORCID, basic_openalex

pytestmark = [pytest.mark.browser, pytest.mark.neo4j]


def graph_ready(page: Page) -> None:
    page.wait_for_function("() => window.kgGraph && window.kgGraph.nodes().length > 0")


def click_graph_node(page: Page, node_id: str) -> None:
    """Click a node where it is drawn, as a user would."""
    page.locator("#graph").scroll_into_view_if_needed()
    # cytoscape learns where its canvas moved from the scroll event, sent with the next frame
    page.evaluate(
        "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )
    x, y = page.evaluate(
        """id => {
          const at = kgGraph.$id(id).renderedPosition();
          const box = kgGraph.container().getBoundingClientRect();
          return [box.left + at.x, box.top + at.y];
        }""",
        node_id,
    )
    page.mouse.click(x, y)


def test_profile_page_shows_card_works_collaborators_and_graph(load_feed, site, page, capsys):
    load_feed("basic")
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if r.url.endswith("/graphql") else None)
    page.goto(f"{site}/researcher/alice-martin")

    expect(page.get_by_role("heading", level=1)).to_have_text("Alice Martin")
    expect(page).to_have_title("Alice Martin · kg")
    card = page.get_by_role("region", name="Profile")
    stats = dict(
        zip(
            card.locator("dt").all_inner_texts(),
            card.locator("dd").all_inner_texts(),
            strict=True,
        )
    )
    assert stats == {"Works": "6", "Topics": "3", "Close collaborators": "3", "Followers": "0"}
    expect(card.locator("#claim")).to_have_text("Unclaimed author record")
    expect(card.get_by_role("list", name="Topics").get_by_role("listitem")).to_have_count(3)
    expect(card.get_by_role("list", name="Topics")).to_contain_text("LG · 4")
    expect(card).to_contain_text("Also written Martin, Alice")

    works = page.locator("#works > li")
    expect(works).to_have_count(6)
    expect(works.first.get_by_role("heading")).to_have_text("Kappa: Sparse Attention at Scale")
    alpha = works.filter(has_text="Alpha: Sparse Attention Revisited")
    expect(alpha.locator(".category")).to_have_text("LG")
    expect(alpha.locator("time")).to_have_text("2024-01-02")
    expect(alpha.locator(".authors")).to_have_text("Alice Martin, Bob Nguyen, Zihang Liu")
    expect(alpha.get_by_role("link", name="Code")).to_have_attribute(
        "href", "https://github.com/example/alpha"
    )
    expect(works.filter(has_text="Beta").get_by_role("link", name="Code")).to_have_count(0)

    collaborators = page.locator("#collaborators > li")
    expect(collaborators).to_have_count(4)
    expect(collaborators.first).to_have_text("Bob Nguyen 3 shared works")

    graph_ready(page)
    kinds = Counter(page.evaluate("() => kgGraph.nodes().map(n => n.data('kind'))"))
    assert kinds["RESEARCHER"] == 5  # Alice and her 4 co-authors
    assert kinds["WORK"] == 6 and kinds["TOPIC"] == 3
    assert page.evaluate("() => kgGraph.edges().length") > 0
    assert len(asked) == 2, "a profile is one GraphQL request, its graph a second one"
    assert page.locator("#graph canvas").count() > 0
    expect(page.locator("#graph")).to_have_attribute(
        "aria-label",
        "Research graph of Alice Martin: 4 collaborators, 6 works, 3 topics, "
        f"{kinds['INSTITUTION']} institutions. The same graph is listed below.",
    )
    page.get_by_text("The graph as a list").click()
    as_list = page.locator("#graph-list")
    expect(as_list.get_by_role("link", name="Bob Nguyen")).to_have_attribute(
        "href", "/researcher/bob-nguyen"
    )
    expect(as_list).to_contain_text("Bob Nguyen (3 shared works)")
    profile_png = screenshot(page, "profile-alice-martin")

    # a collaborator's link opens their page
    page.locator("#collaborators").get_by_role("link", name="Bob Nguyen").click()
    expect(page).to_have_url(f"{site}/researcher/bob-nguyen")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bob Nguyen")

    # and so does a researcher in the graph
    graph_ready(page)
    click_graph_node(page, "researcher:alice-martin")
    expect(page).to_have_url(f"{site}/researcher/alice-martin")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alice Martin")

    announce(capsys, profile_png)


def test_search_box_finds_researchers_and_works(load_feed, site, page, capsys):
    load_feed("basic")
    page.goto(f"{site}/")
    box = page.get_by_role("searchbox", name="Researcher name or work title")
    expect(box).to_be_focused()
    box.fill("zihang")
    box.press("Enter")

    found = page.get_by_role("region", name="Researchers").get_by_role("link")
    expect(found).to_have_text(["Zihang Liu"])
    expect(page.get_by_role("status")).to_have_text(
        "1 researcher and 0 works for “zihang”", use_inner_text=True
    )
    expect(page).to_have_url(f"{site}/?q=zihang")
    search_png = screenshot(page, "search")

    page.get_by_role("searchbox").fill("sparse attention")
    page.get_by_role("button", name="Search").click()
    titles = page.get_by_role("region", name="Works").get_by_role("heading", level=3)
    expect(titles).to_have_count(2)
    expect(titles.first).to_contain_text("Sparse Attention")

    page.goto(f"{site}/?q=zihang")  # a search is an address: reload, share
    found.first.click()
    expect(page).to_have_url(f"{site}/researcher/zihang-liu")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zihang Liu")

    announce(capsys, search_png)


def test_unknown_researcher_gets_a_404_page(db, site, page, capsys):
    response = page.goto(f"{site}/researcher/nobody-at-all")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    missing = page.request.get(f"{site}/no/such/page")
    assert missing.status == 404 and "Not found" in missing.text()
    shot = screenshot(page, "not-found")

    box = page.get_by_role("searchbox", name="Researcher name or work title")
    box.fill("nobody")
    box.press("Enter")  # a plain form: the search page takes it from the address
    expect(page).to_have_url(f"{site}/?q=nobody")
    expect(page.get_by_role("status")).to_have_text("Nothing found for “nobody”")
    announce(capsys, shot)


def test_hyper_authored_papers_list_first_authors_et_al(load_snapshot, site, page):
    load_snapshot("collab")
    page.goto(f"{site}/researcher/ann-lee")
    big = page.locator("#works > li").filter(has_text="et al.")
    expect(big).to_have_count(1)
    expect(big.locator(".authors a")).to_have_count(3)
    expect(big.locator(".authors")).to_have_text("Ann Lee, Dee Ray, Member Number000 et al.")
    expect(page.locator("#works .authors").filter(has_not_text="et al.")).to_have_count(4)


def figures(page: Page) -> dict[str, str]:
    impact = page.get_by_role("region", name="Citations")
    return dict(
        zip(
            impact.locator("dt").all_inner_texts(),
            impact.locator("dd").all_inner_texts(),
            strict=True,
        )
    )


def test_profile_shows_both_h_indexes_orcid_institution_years_and_citations(
    load_feed, db, site, page, capsys
):
    load_feed("basic")
    basic_openalex(db)
    page.goto(f"{site}/researcher/alice-martin")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alice Martin")

    assert figures(page) == {
        "Citations (OpenAlex)": "240",
        "h-index (OpenAlex)": "7",
        "i10-index (OpenAlex)": "5",
        "Citations (in this graph)": "76",
        "h-index (in this graph)": "3",
        "i10-index (in this graph)": "3",
    }
    impact = page.get_by_role("region", name="Citations")
    expect(impact.locator("#impact-note")).to_contain_text("may count works not in this graph")
    expect(impact.locator("#impact-note")).to_contain_text("count the 6 works loaded here")
    tips = impact.locator("#impact > div")
    expect(tips.filter(has_text="h-index (OpenAlex)")).to_have_attribute(
        "title", re.compile("OpenAlex reports it for the person")
    )
    expect(tips.filter(has_text="h-index (in this graph)")).to_have_attribute(
        "title", re.compile("works in this graph")
    )

    orcid = page.get_by_role("link", name=f"https://orcid.org/{ORCID}")
    expect(orcid).to_have_attribute("href", f"https://orcid.org/{ORCID}")

    places = page.get_by_role("list", name="Institutions").get_by_role("listitem")
    expect(places).to_have_text(
        ["Massachusetts Institute of Technology, 2019\u20132024", "ETH Zurich, 2016\u20132018"]
    )
    expect(places.first.get_by_role("link")).to_have_attribute("href", "https://ror.org/042nb2s44")

    works = page.locator("#works > li")
    expect(
        works.filter(has_text="Alpha: Sparse Attention Revisited").locator(".cited")
    ).to_have_text("50 citations")
    expect(works.filter(has_text="Kappa").locator(".cited")).to_have_count(0)  # not in OpenAlex
    expect(page.locator("#works .cited")).to_have_count(5)
    shot = screenshot(page, "profile-citations-alice-martin")
    orcid.focus()  # a link: reachable from the keyboard
    expect(orcid).to_be_focused()

    # without OpenAlex data: the graph's figures and a note, never empty numbers
    page.goto(f"{site}/researcher/edward-old")
    expect(page.get_by_role("heading", level=1)).to_have_text("Edward Old")
    expect(page.locator("#impact-note")).to_have_text("No citation data loaded (kg load openalex).")
    assert figures(page) == {
        "Citations (in this graph)": "0",
        "h-index (in this graph)": "0",
        "i10-index (in this graph)": "0",
    }
    expect(page.locator("#orcid")).to_be_hidden()
    expect(page.locator("#works .cited")).to_have_count(0)
    bare = screenshot(page, "profile-citations-none")

    # cited works but no OpenAlex author record: the graph's figures, said so
    page.goto(f"{site}/researcher/bob-nguyen")
    expect(page.locator("#impact-note")).to_contain_text("No OpenAlex figures for this person")
    assert "h-index (OpenAlex)" not in figures(page)
    announce(capsys, shot, bare)


def test_after_kg_load_openalex_the_sample_profile_shows_impact(
    db, settings, openalex_server, site, page, capsys
):
    """The issue's check, end to end: the sample, `kg load openalex` through the API route
    against the replayed OpenAlex, then Qizhen Zhang's page."""
    from loaders import openalex_load, sample
    from loaders.openalex_api import OpenAlexClient

    sample.load(settings, db, progress=False)
    local = settings.with_(openalex_url=openalex_server.url, openalex_delay=0.0)
    client = OpenAlexClient(local, backoff=0.01)
    openalex_load.load(local, db, openalex_load.Scope(), progress=False, client=client)
    page.goto(f"{site}/researcher/qizhen-zhang")
    expect(page.get_by_role("heading", level=1)).to_have_text("Qizhen Zhang")
    shown = figures(page)
    assert (shown["h-index (OpenAlex)"], shown["h-index (in this graph)"]) == ("17", "6")
    assert shown["Citations (in this graph)"] == "182"
    orcid = page.get_by_role("link", name="https://orcid.org/0000-0002-5173-3066")
    expect(orcid).to_be_visible()
    places = page.get_by_role("list", name="Institutions").get_by_role("listitem")
    expect(places.filter(has_text="Massachusetts Institute of Technology")).to_have_text(
        "Massachusetts Institute of Technology, 2026"
    )
    expect(page.locator("#works .cited")).to_have_count(8)
    announce(capsys, screenshot(page, "profile-openalex-qizhen-zhang"))
