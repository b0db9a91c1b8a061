"""A guarded HTTP client for feeds and pages: SSRF guard, robots.txt, per-host limits, retries, size limits.

Every request goes through :meth:`Fetcher.get`:

- **SSRF guard.** The target's host name is resolved once (:func:`resolve`); if any address is loopback,
  private, link-local, multicast, reserved, unspecified or otherwise not globally routable, the URL is refused,
  unless the policy's ``allow`` list names the host or a network containing the address. The request then
  connects to the checked address itself (the URL's host is replaced by the address; the ``Host`` header and the
  TLS server name stay the original name, so virtual hosts and certificates work), so a second DNS answer cannot
  move it elsewhere. Redirects are followed by hand, each target checked again. Proxies from the environment are
  ignored (they would bypass the check).
- **robots.txt** of each site is read once a day per :class:`Fetcher` (``urllib.robotparser``) and obeyed for the
  user agent ``newsloom``; a site whose robots.txt cannot be read (5xx, network error) is not fetched this time.
- **Limits.** At most ``host_concurrency`` requests at once per host, started at least ``host_interval_s``
  apart; a timeout per request; bodies are streamed and the transfer stops once it passes ``max_bytes``.
- **Retries** on network errors, 429 and 5xx, ``retries`` times with exponential backoff.

Failures raise :class:`FetchError` with a reason for the user and whether a later attempt may succeed.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
import urllib.robotparser
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from . import __version__
from .errors import InputError

if TYPE_CHECKING:
    import httpx

__all__ = ["USER_AGENT", "FetchError", "FetchPolicy", "Fetcher", "Response", "check_target", "resolve"]

ROBOTS_AGENT = "newsloom"
USER_AGENT = (
    f"{ROBOTS_AGENT}/{__version__} (news analysis; respects robots.txt; +https://pypi.org/project/newsloom/)"
)
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_REDIRECTS = {301, 302, 303, 307, 308}
_RETRY_STATUS = {408, 425, 429, 500, 502, 503, 504}
_ROBOTS_MAX_BYTES = 512 * 1024
_ROBOTS_TTL_S = 24 * 3600.0


@dataclass(frozen=True)
class FetchPolicy:
    """How the fetcher behaves; ``allow`` lists host names or networks (CIDR) exempt from the SSRF guard.

    >>> FetchPolicy(allow=("127.0.0.1/32",)).allows("localhost", ipaddress.ip_address("127.0.0.1"))
    True
    """

    allow: tuple[str, ...] = ()
    user_agent: str = USER_AGENT
    timeout_s: float = 20.0
    max_bytes: int = 10 * 1024 * 1024
    retries: int = 2
    backoff_s: float = 1.0
    host_interval_s: float = 1.0
    host_concurrency: int = 2
    max_redirects: int = 5
    robots: bool = True

    def __post_init__(self) -> None:
        for entry in self.allow:
            if not _is_network(entry) and not entry.strip():
                raise InputError("an empty entry in the fetch allow-list; give host names or networks (CIDR)")
        if self.max_bytes < 1 or self.host_concurrency < 1 or self.retries < 0 or self.timeout_s <= 0:
            raise InputError(
                "fetch limits must be positive (max_bytes, host_concurrency, timeout) and retries >= 0"
            )

    def allows(self, host: str, address: IPAddress) -> bool:
        """Whether the allow-list exempts this host name or address from the guard."""
        for entry in self.allow:
            if _is_network(entry):
                if address in ipaddress.ip_network(entry, strict=False):
                    return True
            elif host.lower().rstrip(".") == entry.lower().rstrip("."):
                return True
        return False


def _is_network(entry: str) -> bool:
    try:
        ipaddress.ip_network(entry, strict=False)
    except ValueError:
        return False
    return True


class FetchError(Exception):
    """A URL that could not be fetched: ``reason`` for the user; ``retryable`` when a later poll may succeed."""

    def __init__(self, url: str, reason: str, *, retryable: bool) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.retryable = retryable


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int
    headers: Mapping[str, str]  # lower-case names
    body: bytes


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (the one DNS look-up of a request; tests replace it)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(host, f"cannot resolve host name: {exc.strerror or exc}", retryable=True) from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def forbidden(address: IPAddress) -> str | None:
    """Why connecting to ``address`` is refused by default, or None for a public address.

    >>> forbidden(ipaddress.ip_address("10.1.2.3")), forbidden(ipaddress.ip_address("93.184.216.34"))
    ('private', None)
    """
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:  # ::ffff:127.0.0.1 is loopback too
        address = mapped
    for kind in ("loopback", "unspecified", "link_local", "multicast", "reserved", "private"):
        if getattr(address, f"is_{kind}"):
            return kind.replace("_", "-")
    if not address.is_global:  # shared address space (100.64/10), documentation ranges and the like
        return "not globally routable"
    return None


def check_target(url: str, policy: FetchPolicy) -> tuple[str, IPAddress]:
    """The host and the one checked address to connect to for ``url``; raises :class:`FetchError` when
    the scheme is not HTTP(S) or an address the name resolves to is refused."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(
            url, f"only http and https URLs are fetched, not {parts.scheme or 'a bare path'}", retryable=False
        )
    host = parts.hostname
    if not host:
        raise FetchError(url, "URL has no host", retryable=False)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise FetchError(url, f"invalid port: {exc}", retryable=False) from None
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        addresses = [ipaddress.ip_address(a.split("%", 1)[0]) for a in resolve(host, port)]
    if not addresses:
        raise FetchError(url, "host name resolves to no address", retryable=True)
    for address in addresses:  # one refused address refuses the name: DNS may hand out either
        why = forbidden(address)
        if why and not policy.allows(host, address):
            raise FetchError(
                url,
                f"refused: {host} resolves to {address}, a {why} address (allow it explicitly with --allow)",
                retryable=False,
            )
    return host, addresses[0]


@dataclass
class _Host:
    """Per-host politeness: a concurrency cap and the earliest time the next request may start."""

    slots: threading.BoundedSemaphore
    next_start: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


class Fetcher:
    """A thread-safe guarded HTTP client (see the module docstring); use as a context manager.

    >>> with Fetcher(FetchPolicy()) as fetcher:  # doctest: +SKIP
    ...     page = fetcher.get("https://example.org/news/1")
    """

    def __init__(self, policy: FetchPolicy, *, transport: httpx.BaseTransport | None = None) -> None:
        import httpx

        self.policy = policy
        self._client = httpx.Client(
            timeout=policy.timeout_s,
            follow_redirects=False,  # followed by hand, each hop checked
            trust_env=False,  # an environment proxy would connect where the guard did not look
            headers={"User-Agent": policy.user_agent},
            transport=transport,
        )
        self._hosts: dict[str, _Host] = {}
        self._robots: dict[str, tuple[urllib.robotparser.RobotFileParser, float]] = {}
        self._lock = threading.Lock()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(self, url: str, headers: Mapping[str, str] | None = None) -> Response:
        """GET ``url`` (robots.txt, guard, limits, retries); any status below 300 or a 304 is returned, any
        other final status raises :class:`FetchError`."""
        if self.policy.robots:
            self._check_robots(url)
        response = self._follow(url, headers or {}, self.policy.max_bytes)
        if response.status >= 300 and response.status != 304:
            raise FetchError(
                url, f"HTTP status {response.status}", retryable=response.status in _RETRY_STATUS
            )
        return response

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            cached = self._robots.get(site)
        if cached is None or time.monotonic() - cached[1] > _ROBOTS_TTL_S:  # a long watch re-reads the rules
            cached = (self._read_robots(site), time.monotonic())
            with self._lock:
                self._robots[site] = cached
        parser = cached[0]
        if not parser.can_fetch(ROBOTS_AGENT, url):
            raise FetchError(url, f"disallowed by {site}/robots.txt", retryable=False)

    def _read_robots(self, site: str) -> urllib.robotparser.RobotFileParser:
        parser = urllib.robotparser.RobotFileParser(f"{site}/robots.txt")
        try:
            response = self._follow(f"{site}/robots.txt", {}, _ROBOTS_MAX_BYTES)
        except FetchError as exc:
            if not exc.retryable:
                raise
            raise FetchError(
                site, f"robots.txt unreachable ({exc.reason}); not fetched this time", retryable=True
            ) from exc
        if response.status in (401, 403):  # as urllib.robotparser: a site that hides its rules allows nothing
            parser.parse(["User-agent: *", "Disallow: /"])
        elif response.status >= 500:
            raise FetchError(
                site, f"robots.txt answered {response.status}; not fetched this time", retryable=True
            )
        elif response.status < 300:
            parser.parse(response.body.decode("utf-8", "replace").splitlines())
        else:  # 404 and other client errors: no rules
            parser.parse([])
        return parser

    def _follow(self, url: str, headers: Mapping[str, str], limit: int) -> Response:
        for _ in range(self.policy.max_redirects + 1):
            response = self._retrying(url, headers, limit)
            location = response.headers.get("location")
            if response.status not in _REDIRECTS or not location:
                return response
            url = urljoin(url, location)  # checked again by the next hop
        raise FetchError(url, f"more than {self.policy.max_redirects} redirects", retryable=False)

    def _retrying(self, url: str, headers: Mapping[str, str], limit: int) -> Response:
        attempt = 0
        while True:
            try:
                response = self._once(url, headers, limit)
            except FetchError as exc:
                if not exc.retryable or attempt >= self.policy.retries:
                    raise
            else:
                if response.status not in _RETRY_STATUS or attempt >= self.policy.retries:
                    return response
            time.sleep(self.policy.backoff_s * 2**attempt)
            attempt += 1

    def _once(self, url: str, headers: Mapping[str, str], limit: int) -> Response:
        import httpx

        host, address = check_target(url, self.policy)
        target = httpx.URL(url)
        extensions: dict[str, object] = {}
        if target.scheme == "https":
            extensions["sni_hostname"] = host  # the certificate is checked against the name, not the address
        request = self._client.build_request(
            "GET",
            target.copy_with(host=str(address)),
            headers={**headers, "Host": target.netloc.decode("ascii")},
            extensions=extensions,
        )
        with self._slot(host):
            try:
                sent = self._client.send(request, stream=True)
            except httpx.TimeoutException as exc:
                raise FetchError(url, f"timed out after {self.policy.timeout_s:g} s", retryable=True) from exc
            except httpx.HTTPError as exc:
                raise FetchError(url, f"{type(exc).__name__}: {exc}", retryable=True) from exc
            try:
                body = _read_limited(url, sent, limit, time.monotonic() + self.policy.timeout_s)
            finally:
                sent.close()
        return Response(url, sent.status_code, {k.lower(): v for k, v in sent.headers.items()}, body)

    def _slot(self, host: str) -> _HostSlot:
        with self._lock:
            state = self._hosts.get(host)
            if state is None:
                state = self._hosts[host] = _Host(threading.BoundedSemaphore(self.policy.host_concurrency))
        return _HostSlot(state, self.policy.host_interval_s)


class _HostSlot:
    """Holds one of the host's concurrent slots and waits out the interval since the host's previous start."""

    def __init__(self, host: _Host, interval: float) -> None:
        self.host = host
        self.interval = interval

    def __enter__(self) -> None:
        self.host.slots.acquire()
        with self.host.lock:
            now = time.monotonic()
            start = max(now, self.host.next_start)
            self.host.next_start = start + self.interval
        if start > now:
            time.sleep(start - now)

    def __exit__(self, *exc: object) -> None:
        self.host.slots.release()


def _read_limited(url: str, response: httpx.Response, limit: int, deadline: float) -> bytes:
    """The body, streamed; stops (and raises) as soon as it passes ``limit`` bytes or ``deadline`` (a server
    that drips a byte at a time never trips the per-read timeout)."""
    import httpx

    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchError(url, f"response larger than the limit ({declared} > {limit} bytes)", retryable=False)
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise FetchError(
                    url, f"response larger than the limit of {limit} bytes; transfer stopped", retryable=False
                )
            chunks.append(chunk)
            if time.monotonic() > deadline:
                raise FetchError(
                    url, "body not received within the timeout; transfer stopped", retryable=True
                )
    except httpx.TimeoutException as exc:
        raise FetchError(url, "timed out while reading the body", retryable=True) from exc
    except httpx.HTTPError as exc:
        raise FetchError(url, f"transfer broken: {type(exc).__name__}: {exc}", retryable=True) from exc
    return b"".join(chunks)
