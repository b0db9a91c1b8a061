"""The guarded HTTP client: SSRF guard, redirects re-checked, robots.txt, limits, retries (local servers only)."""

from __future__ import annotations

import ipaddress
import shutil
import ssl
import subprocess
import threading
import time
from pathlib import Path

import pytest

from http_fixture import Reply, serve
from newsloom import fetch
from newsloom.fetch import Fetcher, FetchError, FetchPolicy, check_target, forbidden

LOCAL = ("127.0.0.1/32",)


def policy(**changes: object) -> FetchPolicy:
    base: dict[str, object] = {"allow": LOCAL, "host_interval_s": 0.0, "backoff_s": 0.0, "timeout_s": 5.0}
    return FetchPolicy(**{**base, **changes})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("10.0.0.5", "private"),
        ("192.168.1.1", "private"),
        ("172.16.0.1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "not globally routable"),
    ],
)
def test_non_public_addresses_are_forbidden(address: str, kind: str) -> None:
    assert forbidden(ipaddress.ip_address(address)) == kind


def test_public_address_passes_the_guard() -> None:
    assert forbidden(ipaddress.ip_address("93.184.216.34")) is None
    assert check_target("https://93.184.216.34/news", FetchPolicy()) == (
        "93.184.216.34",
        ipaddress.ip_address("93.184.216.34"),
    )


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1/", "http://[::1]:8080/", "http://10.1.2.3/x", "http://169.254.169.254/latest"]
)
def test_literal_forbidden_targets_are_refused(url: str) -> None:
    with pytest.raises(FetchError, match="refused") as err:
        check_target(url, FetchPolicy())
    assert not err.value.retryable


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://x/", "http:///nohost"]
)
def test_other_schemes_and_hostless_urls_are_refused(url: str) -> None:
    with pytest.raises(FetchError):
        check_target(url, FetchPolicy())


def test_names_resolving_to_private_addresses_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch, "resolve", lambda host, port: ["10.0.0.7"])
    with pytest.raises(FetchError, match=r"intranet\.example resolves to 10\.0\.0\.7, a private address"):
        check_target("https://intranet.example/", FetchPolicy())
    # one private answer among public ones refuses the name: DNS could hand out either
    monkeypatch.setattr(fetch, "resolve", lambda host, port: ["93.184.216.34", "192.168.0.2"])
    with pytest.raises(FetchError, match=r"192\.168\.0\.2"):
        check_target("https://mixed.example/", FetchPolicy())


def test_allow_list_by_name_and_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch, "resolve", lambda host, port: ["10.0.0.7"])
    assert (
        check_target("http://intranet.example/", FetchPolicy(allow=("intranet.example",)))[0]
        == "intranet.example"
    )
    assert check_target("http://intranet.example/", FetchPolicy(allow=("10.0.0.0/8",)))[
        1
    ] == ipaddress.ip_address("10.0.0.7")
    with pytest.raises(FetchError):
        check_target("http://other.example/", FetchPolicy(allow=("intranet.example",)))


def test_fetch_connects_to_the_checked_address_with_the_original_host(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    looked_up: list[str] = []

    def resolve(host: str, port: int) -> list[str]:
        looked_up.append(host)
        return ["127.0.0.1"]

    monkeypatch.setattr(fetch, "resolve", resolve)
    with (
        serve({"/a": Reply(200, b"<html>hi</html>")}) as site,
        Fetcher(policy(allow=("news.example",), robots=False)) as fetcher,
    ):
        response = fetcher.get(site.url("/a", host="news.example"))
    assert response.body == b"<html>hi</html>"
    assert looked_up == ["news.example"]  # resolved once, then the address itself was dialled
    assert site.log[0].headers["host"] == f"news.example:{site.port}"
    assert site.log[0].headers["user-agent"].startswith("newsloom/")


def test_redirects_to_forbidden_targets_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch, "resolve", lambda host, port: ["127.0.0.1"])
    routes = {
        "/to-metadata": Reply(302, headers={"Location": "http://169.254.169.254/latest/meta-data"}),
        "/to-loopback": Reply(301, headers={"Location": "http://127.0.0.1:1/admin"}),
        "/to-ok": Reply(302, headers={"Location": "/final"}),
        "/final": Reply(200, b"landed"),
    }
    with serve(routes) as site, Fetcher(policy(allow=("news.example",), robots=False)) as fetcher:
        with pytest.raises(FetchError, match=r"169\.254\.169\.254, a link-local address"):
            fetcher.get(site.url("/to-metadata", host="news.example"))
        with pytest.raises(FetchError, match=r"127\.0\.0\.1, a loopback address"):
            fetcher.get(site.url("/to-loopback", host="news.example"))
        landed = fetcher.get(site.url("/to-ok", host="news.example"))
    assert landed.body == b"landed"
    assert landed.url.endswith("/final")


def test_redirect_loops_stop() -> None:
    with (
        serve({"/loop": Reply(302, headers={"Location": "/loop"})}) as site,
        Fetcher(policy(robots=False, max_redirects=3)) as fetcher,
        pytest.raises(FetchError, match="more than 3 redirects"),
    ):
        fetcher.get(site.url("/loop"))
    assert site.hits("/loop") == 4


def test_large_bodies_are_stopped() -> None:
    big = b"x" * 300_000
    routes = {"/declared": Reply(200, big), "/streamed": Reply(200, big, chunked=True)}
    with serve(routes) as site, Fetcher(policy(robots=False, max_bytes=50_000)) as fetcher:
        with pytest.raises(FetchError, match=r"larger than the limit \(300000 > 50000"):
            fetcher.get(site.url("/declared"))
        with pytest.raises(FetchError, match="transfer stopped"):
            fetcher.get(site.url("/streamed"))


def test_robots_txt_is_obeyed() -> None:
    routes = {
        "/robots.txt": Reply(200, b"User-agent: newsloom\nDisallow: /private/\n"),
        "/private/a": Reply(200, b"secret"),
        "/public/a": Reply(200, b"ok"),
    }
    with serve(routes) as site, Fetcher(policy()) as fetcher:
        with pytest.raises(FetchError, match="disallowed by"):
            fetcher.get(site.url("/private/a"))
        assert fetcher.get(site.url("/public/a")).body == b"ok"
    assert site.hits("/private/a") == 0
    assert site.hits("/robots.txt") == 1  # read once per fetcher


def test_unreachable_robots_txt_means_not_now() -> None:
    with (
        serve({"/robots.txt": Reply(503), "/a": Reply(200, b"ok")}) as site,
        Fetcher(policy(retries=0)) as fetcher,
        pytest.raises(FetchError, match=r"robots\.txt answered 503") as err,
    ):
        fetcher.get(site.url("/a"))
    assert err.value.retryable
    assert site.hits("/a") == 0


def test_server_errors_are_retried_with_backoff() -> None:
    answers = iter([Reply(503), Reply(502), Reply(200, b"third time")])
    with (
        serve({"/flaky": lambda headers: next(answers)}) as site,
        Fetcher(policy(robots=False, retries=2)) as fetcher,
    ):
        assert fetcher.get(site.url("/flaky")).body == b"third time"
    with (
        serve({"/down": Reply(500)}) as site,
        Fetcher(policy(robots=False, retries=1)) as fetcher,
        pytest.raises(FetchError, match="HTTP status 500") as err,
    ):
        fetcher.get(site.url("/down"))
    assert err.value.retryable
    assert site.hits("/down") == 2


def test_timeouts_are_reported_as_retryable() -> None:
    with (
        serve({"/slow": Reply(200, b"late", delay=1.5)}) as site,
        Fetcher(policy(robots=False, retries=0, timeout_s=0.3)) as fetcher,
        pytest.raises(FetchError, match="timed out") as err,
    ):
        fetcher.get(site.url("/slow"))
    assert err.value.retryable


def test_per_host_concurrency_cap_and_interval() -> None:
    with (
        serve({f"/p{i}": Reply(200, b"ok", delay=0.15) for i in range(4)}) as site,
        Fetcher(policy(robots=False, host_concurrency=1, host_interval_s=0.1)) as fetcher,
    ):
        started = time.monotonic()
        threads = [threading.Thread(target=fetcher.get, args=(site.url(f"/p{i}"),)) for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    assert site.most_in_flight == 1
    assert elapsed >= 4 * 0.15


def test_policy_checks_its_limits() -> None:
    with pytest.raises(Exception, match="positive"):
        FetchPolicy(max_bytes=0)


def test_https_to_the_checked_address_verifies_the_certificate_of_the_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The request dials 127.0.0.1 but sends the name as TLS server name and Host, so the certificate of
    news.example is accepted; the same server reached by its address (no such name in the certificate) is not."""
    import httpx

    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("needs the openssl command to make a test certificate")
    cert, key = str(tmp_path / "cert.pem"), str(tmp_path / "key.pem")
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
         "-subj", "/CN=news.example", "-addext", "subjectAltName=DNS:news.example"],
        check=True, capture_output=True,
    )  # fmt: skip
    monkeypatch.setattr(fetch, "resolve", lambda host, port: ["127.0.0.1"])
    trust = ssl.create_default_context(cafile=cert)
    with (
        serve({"/a": Reply(200, b"secure")}, tls=(cert, key)) as site,
        Fetcher(
            policy(allow=LOCAL, robots=False, retries=0), transport=httpx.HTTPTransport(verify=trust)
        ) as fetcher,
    ):
        page = fetcher.get(f"https://news.example:{site.port}/a")
        assert page.body == b"secure"
        assert site.log[0].headers["host"] == f"news.example:{site.port}"
        with pytest.raises(FetchError, match=r"SSL|certificate"):
            fetcher.get(f"https://127.0.0.1:{site.port}/a")
