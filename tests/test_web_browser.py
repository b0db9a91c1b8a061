"""The workbench in a real browser: Debian's chromium driven by Playwright against uvicorn on 127.0.0.1.

Over the demo store it clicks home -> event -> article -> entity -> event -> story, runs a full-text and a
semantic search, and checks that no page logs a console error and no request leaves the server. Over the small
hostile store it checks that nothing in an article runs. Screenshots go to ``$NEWSLOOM_ARTIFACTS`` (else a
temporary folder, printed) for a person to look at.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web tests need the http extra: pip install 'newsloom[http,test]'")
pytest.importorskip("playwright", reason="the browser tests need playwright: pip install 'newsloom[test]'")

import uvicorn
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, Request, sync_playwright

from newsloom.cli import main
from newsloom.web import create_app
from web_store import build_store

pytestmark = [pytest.mark.server, pytest.mark.slow]

CHROMIUM = os.environ.get("NEWSLOOM_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# Keep chromium from calling home: no background networking, updates, sync or QUIC.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


TOKEN = "browser-test-token"


def _serve(db: Path) -> Iterator[str]:
    """uvicorn on a free loopback port in a thread, for as long as the generator is open."""
    port = _free_port()
    app = create_app(db, token=TOKEN)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("web-demo") / "demo.db"
    assert main(["demo", "--db", str(db)], out=open(os.devnull, "w")) == 0  # noqa: SIM115
    yield from _serve(db)


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _serve(build_store(tmp_path_factory.mktemp("web-hostile") / "web.db"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no chromium at {CHROMIUM}: apt-get install chromium (or set NEWSLOOM_CHROMIUM)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("NEWSLOOM_ARTIFACTS") or tmp_path_factory.mktemp("web-artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots in {folder}")
    return folder


class Watch:
    """A page with its console errors, page errors, dialogs and every requested URL recorded."""

    def __init__(self, browser: Browser, base: str, **context: object) -> None:
        self.base = base
        self.context = browser.new_context(**context)  # type: ignore[arg-type]
        self.page: Page = self.context.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.urls: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        self.page.on("dialog", self._dialog)
        self.context.on("request", self._request)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            self.errors.append(f"console {message.type}: {message.text}")

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _request(self, request: Request) -> None:
        self.urls.append(request.url)

    def check(self) -> None:
        assert self.errors == []
        assert self.dialogs == [], "a dialog opened: something ran"
        outside = [u for u in self.urls if not u.startswith(self.base + "/")]
        assert outside == [], "requests left the server"
        self.context.close()


def test_click_through_home_event_article_entity_story(
    browser: Browser, demo_server: str, artifacts: Path
) -> None:
    w = Watch(browser, demo_server, viewport={"width": 1280, "height": 900})
    page = w.page
    page.goto(demo_server + "/")
    assert page.locator("h1").inner_text() == "Latest events"
    assert page.locator("ol.cards > li").count() >= 9
    page.screenshot(path=str(artifacts / "home.png"), full_page=True)

    page.locator("ol.cards a[href^='/events/']").filter(has_text="Pyongyang").first.click()
    page.wait_for_url("**/events/ev-*")
    assert "Pyongyang" in page.locator("h1").inner_text()
    assert page.locator("table.claims tbody tr").count() >= 1
    assert page.locator(".chips a").count() >= 3
    languages = page.locator("#articles-h ~ h3").all_inner_texts()
    assert len(languages) >= 4
    assert page.locator("#by-language meter").count() >= 4, "a coverage chart by language"
    assert page.locator("#by-outlet meter").count() >= 2, "and by outlet"
    assert page.locator("#timeline-h ~ ol.timeline > li").count() >= 4
    page.screenshot(path=str(artifacts / "event.png"), full_page=True)
    page.screenshot(
        path=str(artifacts / "event-laptop.png")
    )  # what a laptop shows first (docs/web-event.png)

    page.locator("ul.articles a[href^='/articles/'][lang='pl']").first.click()
    page.wait_for_url("**/articles/*")
    assert len(page.locator("div.text").inner_text()) > 200
    assert page.locator("div.text a.mention").count() >= 2, "mentions linked at their offsets"
    assert page.locator("article").get_attribute("lang") == "pl"
    page.screenshot(path=str(artifacts / "article.png"), full_page=True)

    page.locator(".chips a.chip").filter(has_text="Putin").first.click()
    page.wait_for_url("**/entities/*")
    assert "Putin" in page.locator("h1").inner_text()
    assert page.locator(".aliases dt").count() >= 4, "names in several languages"
    assert page.locator("#together-h ~ ul a.chip").count() >= 1, "co-occurring entities"
    page.screenshot(path=str(artifacts / "entity.png"), full_page=True)
    entity_url = page.url

    page.locator("#watch-token").fill(TOKEN)
    page.get_by_role("button", name="Watch").click()
    page.wait_for_url("**/watchlists/wl-*")
    assert page.locator("ul.articles > li").count() >= 3
    assert "0 new since your last visit" in page.locator("#new-h").inner_text()
    page.screenshot(path=str(artifacts / "watchlist.png"), full_page=True)
    page.goto(demo_server + "/watchlists")
    assert page.locator("ul.cards > li").count() == 1
    page.goto(entity_url)

    page.locator("#events-h ~ ul a[href^='/events/']").first.click()
    page.wait_for_url("**/events/*")
    page.locator("p.meta a[href^='/stories/']").first.click()
    page.wait_for_url("**/stories/*")
    assert page.locator("ol.timeline > li").count() >= 2
    assert page.locator("table.coverage tbody tr").count() >= 1, "coverage by language per day"
    page.screenshot(path=str(artifacts / "story.png"), full_page=True)

    for path in ("/stories", "/entities", "/entities?type=PER", "/search"):
        page.goto(demo_server + path)
        assert page.locator("h1").count() == 1
    w.check()


def test_both_searches_from_the_search_page(browser: Browser, demo_server: str, artifacts: Path) -> None:
    w = Watch(browser, demo_server, viewport={"width": 1280, "height": 900})
    page = w.page
    page.goto(demo_server + "/search")
    page.get_by_label("Words or a question").fill("powodz")
    page.get_by_role("button", name="Search").last.click()
    page.wait_for_url("**/search?*")
    text_hits = page.locator("ol.results > li a[lang]")
    assert text_hits.count() >= 1
    assert "pl" in {text_hits.nth(i).get_attribute("lang") for i in range(text_hits.count())}

    page.get_by_label("Words or a question").fill("North Korean soldiers fighting in the Kursk region")
    page.get_by_label("meaning, across languages").check()
    page.get_by_role("button", name="Search").last.click()
    page.wait_for_url("**mode=semantic**")
    hits = page.locator("ol.results > li > a[lang]")
    top = {hits.nth(i).get_attribute("lang") for i in range(min(6, hits.count()))}
    assert len(top - {"en"}) >= 2, f"an English query finds other languages, got {top}"
    assert "Kursk" in page.locator("ol.results > li").first.inner_text() or "kursk" in (
        page.locator("ol.results > li").first.inner_text().lower()
    )
    page.screenshot(path=str(artifacts / "search-semantic.png"), full_page=True)
    w.check()


def test_a_phone_sized_screen_has_no_horizontal_scroll(
    browser: Browser, demo_server: str, artifacts: Path
) -> None:
    w = Watch(browser, demo_server, viewport={"width": 375, "height": 740}, is_mobile=True)
    page = w.page
    for path in ("/", "/entities", "/stories", "/search?q=putin", "/watchlists"):
        page.goto(demo_server + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px"
    page.goto(demo_server + "/")
    page.locator("ol.cards a[href^='/events/']").first.click()
    page.wait_for_url("**/events/*")
    page.screenshot(path=str(artifacts / "event-phone.png"), full_page=True)
    for name, locator in (("articles", "ul.articles a[href^='/articles/']"), ("entities", ".chips a.chip")):
        page.locator(locator).first.click()
        page.wait_for_url(f"**/{name}/*")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, f"the {name} page scrolls sideways by {overflow}px"
        page.screenshot(path=str(artifacts / f"{name}-phone.png"), full_page=True)
    w.check()


def test_keyboard_focus_is_visible_and_the_skip_link_works(
    browser: Browser, demo_server: str, artifacts: Path
) -> None:
    w = Watch(browser, demo_server, viewport={"width": 1280, "height": 900})
    page = w.page
    page.goto(demo_server + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content"
    box = page.locator("a.skip").bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, "the skip link shows when focused"
    page.keyboard.press("Tab")  # the brand link: its focus ring must be drawn
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), "keyboard focus is visible"
    page.screenshot(path=str(artifacts / "focus.png"))
    landmarks = page.evaluate(
        "['header', 'nav', 'main', 'footer', 'form[role=search]'].map(s => document.querySelectorAll(s).length)"
    )
    assert landmarks == [1, 1, 1, 1, 1]
    unlabelled = page.evaluate(
        "[...document.querySelectorAll('input:not([type=hidden]), select')]"
        ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).length"
    )
    assert unlabelled == 0
    w.check()


def test_polish_czech_and_cyrillic_render_as_letters(browser: Browser, demo_server: str) -> None:
    """Each letter gets its own glyph: with a missing font every one would be the same .notdef box."""
    w = Watch(browser, demo_server, viewport={"width": 1280, "height": 900})
    page = w.page
    page.goto(demo_server + "/")
    widths = page.evaluate(
        """() => [...'ŁłżźśćńąęčřůěšžďťňЖжЩщЮюЯяЫыІі'].map(ch => {
            const s = document.createElement('span'); s.textContent = ch.repeat(20);
            document.querySelector('main').appendChild(s);
            const width = s.getBoundingClientRect().width; s.remove(); return width; })"""
    )
    assert all(width > 0 for width in widths)
    assert len({round(width) for width in widths}) >= 5, f"letters all one width (tofu?): {widths}"
    w.check()


@pytest.fixture
def small_server(tmp_path: Path) -> Iterator[str]:
    yield from _serve(build_store(tmp_path / "web.db"))


def test_merge_and_split_from_the_entity_page(browser: Browser, small_server: str, artifacts: Path) -> None:
    w = Watch(browser, small_server, viewport={"width": 1280, "height": 900})
    page = w.page
    page.goto(small_server + "/entities/Ehostile01")
    page.locator("#merge-into").fill("Enobody")
    page.locator("#merge-token").fill(TOKEN)
    page.get_by_role("button", name="Merge").click()
    assert "Enobody" in page.get_by_role("alert").inner_text(), "the error is shown on the page"
    page.screenshot(path=str(artifacts / "merge-error.png"), full_page=True)
    page.locator("#merge-into").fill("Eputin0001")
    page.locator("#merge-token").fill("wrong")
    page.get_by_role("button", name="Merge").click()
    assert "401" in page.get_by_role("alert").inner_text()
    page.locator("#merge-into").fill("Eputin0001")
    page.locator("#merge-token").fill(TOKEN)
    page.get_by_role("button", name="Merge").click()
    page.wait_for_url("**/entities/Eputin0001")
    page.goto(small_server + "/entities/Ehostile01")
    assert page.url.endswith("/entities/Eputin0001"), "the merged id redirects"
    page.locator("#split-alias").select_option("Władimir Putin")
    page.locator("#split-token").fill(TOKEN)
    page.get_by_role("button", name="Split").click()
    page.wait_for_url(re.compile(r"/entities(/E[^/]+)?$"))  # the entity, or the list if re-linking renamed it
    assert page.locator("h1").count() == 1 and page.get_by_role("alert").count() == 0
    w.errors = [
        e for e in w.errors if "status of 401" not in e and "status of 404" not in e
    ]  # the answers above
    w.check()


def test_nothing_in_a_hostile_article_runs(browser: Browser, hostile_server: str, artifacts: Path) -> None:
    w = Watch(browser, hostile_server, viewport={"width": 1280, "height": 900})
    page = w.page
    for path in ("/", "/events/ev-2", "/articles/a3xx00000003", "/entities/Ehostile01", "/search?q=click"):
        page.goto(hostile_server + path)
        assert page.evaluate("document.title") != "pwned"
        assert page.locator("script, iframe, svg, img").count() == 0
    page.goto(hostile_server + "/articles/a3xx00000003")
    assert '<script>alert("t")</script>' in page.locator("h1").inner_text()
    page.screenshot(path=str(artifacts / "hostile-article.png"), full_page=True)
    w.check()
