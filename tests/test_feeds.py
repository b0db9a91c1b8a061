"""``newsloom watch`` and ``newsloom ingest URL`` against a local feed server (allow-listed 127.0.0.1)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from http_fixture import Reply, Site, serve
from newsloom.cli import main
from newsloom.config import Settings
from newsloom.errors import InputError
from newsloom.feeds import parse_feed, parse_interval, read_feed_list, watch
from newsloom.fetch import FetchPolicy
from newsloom.tracker import Tracker

LOCAL = FetchPolicy(allow=("127.0.0.1/32",), host_interval_s=0.0, backoff_s=0.0, retries=0, timeout_s=5.0)
TOPICS = [
    ("Flood waters rise along the Oder", "The river Oder rose by two metres overnight near Wroclaw."),
    (
        "Parliament passes the budget",
        "Members of parliament approved the budget for next year after a debate.",
    ),
    ("Storm closes the northern port", "A winter storm closed the northern port and stopped the ferries."),
]


def page(title: str, sentence: str) -> bytes:
    body = " ".join(f"<p>{sentence} Officials said on Tuesday that the situation was being watched closely by "
                    f"the local authorities, and residents were told to follow the news. Paragraph {n}.</p>"
                    for n in range(4))  # fmt: skip
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>".encode()


def rss(site_port: int, paths: list[str]) -> bytes:
    items = "".join(
        f"<item><title>{TOPICS[i][0]}</title><link>http://127.0.0.1:{site_port}{p}</link>"
        f"<pubDate>Tue, 18 Jun 2024 08:00:00 GMT</pubDate></item>"
        for i, p in enumerate(paths)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()
    )


def feed_route(site: list[Site], paths: list[str]) -> object:
    def answer(headers: dict[str, str]) -> Reply:
        if headers.get("if-none-match") == '"v1"':
            return Reply(304)
        return Reply(200, rss(site[0].port, paths), {"Content-Type": "application/rss+xml", "ETag": '"v1"'})

    return answer


@pytest.mark.slow  # ~5 s on a shared machine, mostly the language model's load
def test_watch_skips_done_items_and_retries_failures(tmp_path: Path) -> None:
    paths = ["/a", "/b", "/c"]
    holder: list[Site] = []
    routes: dict[str, object] = {
        "/feed.xml": feed_route(holder, paths),
        "/a": Reply(200, page(*TOPICS[0]), {"Content-Type": "text/html; charset=utf-8"}),
        "/b": Reply(200, page(*TOPICS[1]), {"Content-Type": "text/html"}),
        "/c": Reply(503),  # down on the first poll
    }
    with serve(routes) as site, Tracker(Settings(db=str(tmp_path / "w.db"), analyze=False)) as tracker:  # type: ignore[arg-type]
        holder.append(site)
        feeds = [site.url("/feed.xml")]
        first = watch(tracker, feeds, LOCAL, every_s=60, once=True)
        assert (first.items, first.known, first.ingest.added) == (3, 0, 2)
        assert [(f.origin, f.reason) for f in first.failures] == [(site.url("/c"), "HTTP status 503")]

        site.routes["/c"] = Reply(200, page(*TOPICS[2]), {"Content-Type": "text/html"})
        second = watch(tracker, feeds, LOCAL, every_s=60, once=True)
        # the feed's validators were not kept after a failure: read in full, done items skipped unfetched
        assert (second.not_modified, second.items, second.known, second.ingest.added) == (0, 3, 2, 1)
        assert not second.failures
        assert (site.hits("/a"), site.hits("/b"), site.hits("/c")) == (1, 1, 2)

        third = watch(tracker, feeds, LOCAL, every_s=60, once=True)
        assert third.not_modified == 1 and third.items == 0
        assert site.log[-1].headers.get("if-none-match") == '"v1"'
        assert tracker.store.count_articles() == 3
        titles = sorted(a.title for a in tracker.articles())
    assert titles == sorted(t for t, _ in TOPICS)


def test_watch_cli_and_a_refused_url(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSLOOM_ANALYZE", "false")  # the fetching is tested here, not the models
    holder: list[Site] = []
    routes: dict[str, object] = {
        "/feed.xml": feed_route(holder, ["/a"]),
        "/a": Reply(200, page(*TOPICS[0]), {"Content-Type": "text/html"}),
    }
    db = str(tmp_path / "c.db")
    with serve(routes) as site:
        holder.append(site)
        listing = tmp_path / "feeds.txt"
        listing.write_text(f"# news\n{site.url('/feed.xml')}\n", encoding="utf-8")
        out = io.StringIO()
        code = main(
            ["watch", "--db", db, str(listing), "--once", "--allow", "127.0.0.1", "--host-interval", "0"],
            out=out,
        )
        assert code == 0, capsys.readouterr().err
        assert "1 added" in out.getvalue()
        # without the allow-list the loopback server is refused, with the reason, and nothing is stored
        out = io.StringIO()
        code = main(["ingest", "--db", db, site.url("/b")], out=out)
        err = capsys.readouterr().err
    assert code == 1
    assert "127.0.0.1, a loopback address" in err and site.url("/b") in err


def test_ingest_url_fetches_one_page(tmp_path: Path) -> None:
    from newsloom.feeds import ingest_urls

    routes = {
        "/p": Reply(200, page(*TOPICS[1]), {"Content-Type": "text/html"}),
        "/pdf": Reply(200, b"%PDF", {"Content-Type": "application/pdf"}),
    }
    with serve(routes) as site, Tracker(Settings(db=str(tmp_path / "u.db"), analyze=False)) as tracker:  # type: ignore[arg-type]
        report, failures = ingest_urls(tracker, [site.url("/p"), site.url("/pdf")], LOCAL)
    assert report.added == 1 and not failures
    assert [r.reason for r in report.rejected] == ["not an HTML page (application/pdf)"]


LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
"""


def test_billion_laughs_feed_and_opml_do_not_expand(tmp_path: Path) -> None:
    feed = (
        LAUGHS
        + b'<rss version="2.0"><channel><item><title>&lol9;</title><link>http://x.example/a</link></item></channel></rss>'
    )
    try:
        items = parse_feed(feed, "http://x.example/feed")
    except InputError:
        items = []
    assert all(len(i.title or "") < 10_000 for i in items)
    opml = tmp_path / "f.opml"
    opml.write_bytes(LAUGHS + b'<opml><body><outline xmlUrl="&lol9;"/></body></opml>')
    with pytest.raises(InputError):
        read_feed_list(str(opml))


def test_feed_lists_in_text_and_opml(tmp_path: Path) -> None:
    text = tmp_path / "feeds.txt"
    text.write_text(
        "https://a.example/rss  # A\n\nhttps://b.example/atom\nhttps://a.example/rss\n", encoding="utf-8"
    )
    assert read_feed_list(str(text)) == ["https://a.example/rss", "https://b.example/atom"]
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body><outline text="news">'
        '<outline xmlUrl="https://a.example/rss"/><outline xmlUrl="https://c.example/feed"/></outline></body></opml>',
        encoding="utf-8",
    )
    assert read_feed_list(str(opml)) == ["https://a.example/rss", "https://c.example/feed"]
    bad = tmp_path / "bad.txt"
    bad.write_text("file:///etc/passwd\n", encoding="utf-8")
    with pytest.raises(InputError, match="not an http"):
        read_feed_list(str(bad))


def test_intervals() -> None:
    assert parse_interval("30s") == 30 and parse_interval("2h") == 7200
    with pytest.raises(InputError):
        parse_interval("soon")


def test_a_malformed_link_is_reported_not_fatal(tmp_path: Path) -> None:
    from newsloom.feeds import ingest_urls

    with Tracker(Settings(db=str(tmp_path / "m.db"), analyze=False)) as tracker:
        report, failures = ingest_urls(tracker, ["http://[::1/broken", "https://exa mple.org/x"], LOCAL)
    assert report.added == 0 and len(failures) == 2
