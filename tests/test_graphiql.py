"""GraphiQL works without internet in the browser: its files come from this server."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Route, expect

from kg.web.app import create_app, ide_assets
from tests.browser import announce, chromium, new_page, screenshot, serve


@pytest.fixture(scope="module")
def assets(settings) -> Path:
    """Fetched from the npm registry once into the shared cache, as `kg up` does."""
    assert settings.ide_assets is not None
    ide_assets.fetch(settings.ide_assets)
    return settings.ide_assets


def test_the_ide_page_loads_pinned_files_from_this_server(assets, api):
    client = api(ide_assets=assets)
    page = client.get("/graphql", headers={"accept": "text/html"}).text
    assert "unpkg.com" not in page
    for asset in ide_assets.ASSETS:
        url = ide_assets.URL_PREFIX + asset.name
        assert f'"{url}"' in page and asset.integrity in page
        served = client.get(url)
        assert served.status_code == 200 and ide_assets.sri(served.content) == asset.integrity


def test_without_the_files_the_ide_page_uses_the_cdn(api, tmp_path):
    page = api(ide_assets=tmp_path).get("/graphql", headers={"accept": "text/html"}).text
    assert "https://unpkg.com/graphiql@3.8.3/graphiql.min.js" in page


def test_a_corrupt_download_is_refused(tmp_path, monkeypatch):
    bad = ide_assets.Asset("js-cookie", "3.0.5", "dist/js.cookie.min.js", "sha384-wrong")
    monkeypatch.setattr(ide_assets, "ASSETS", (bad,))
    with pytest.raises(ide_assets.AssetError, match="does not match"):
        ide_assets.fetch(tmp_path)
    assert not list(tmp_path.iterdir())


@pytest.mark.browser
def test_graphiql_runs_a_query_with_the_internet_cut_off(assets, load_feed, settings, capsys):
    load_feed("basic")
    blocked: list[str] = []

    def local_only(route: Route) -> None:
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    with (
        serve(create_app(settings.with_(ide_assets=assets))) as url,
        chromium() as browser,
        new_page(browser) as page,
    ):
        page.route("**/*", local_only)
        page.goto(f"{url}/graphql")
        editor = page.locator(".graphiql-query-editor .CodeMirror")
        expect(editor).to_be_visible()
        page.evaluate(
            """q => document.querySelector('.graphiql-query-editor .CodeMirror')
                      .CodeMirror.setValue(q)""",
            '{ researcher(id: "alice-martin") { name worksCount } }',
        )
        page.locator(".graphiql-execute-button").click()
        expect(page.locator(".result-window")).to_contain_text('"worksCount": 6')
        announce(capsys, screenshot(page, "graphiql-offline"))
    assert blocked == []
