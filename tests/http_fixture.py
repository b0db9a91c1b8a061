"""A scripted HTTP server on 127.0.0.1 for the fetch and feed tests: routes, a request log, in-flight counts."""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    chunked: bool = False  # no Content-Length: the body streams until closed


Route = Reply | Callable[[dict[str, str]], Reply]


@dataclass
class Seen:
    path: str
    headers: dict[str, str]


@dataclass
class Site:
    port: int
    routes: dict[str, Route]
    log: list[Seen] = field(default_factory=list)
    in_flight: int = 0
    most_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def hits(self, path: str) -> int:
        return sum(1 for s in self.log if s.path == path)


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            with site.lock:
                site.log.append(Seen(self.path, headers))
                site.in_flight += 1
                site.most_in_flight = max(site.most_in_flight, site.in_flight)
            try:
                route = site.routes.get(self.path, Reply(404, b"not found"))
                reply = route(headers) if callable(route) else route
                time.sleep(reply.delay)
                with site.lock:  # answered: a client that got the reply may send its next request now
                    site.in_flight -= 1
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if reply.chunked:
                    self.send_header("Connection", "close")
                    self.end_headers()
                    for start in range(0, len(reply.body), 4096):
                        self.wfile.write(reply.body[start : start + 4096])
                else:
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading (size limit): expected

    return Handler


@contextmanager
def serve(routes: dict[str, Route], tls: tuple[str, str] | None = None) -> Iterator[Site]:
    """Serve ``routes`` on 127.0.0.1 (HTTPS with ``tls`` = (certificate file, key file))."""
    site = Site(0, routes)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    if tls is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*tls)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    site.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
