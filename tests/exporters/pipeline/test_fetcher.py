"""The polite fetcher: retries after Retry-After on 429/503, at most two requests at once per host."""

from __future__ import annotations

import http.server
import threading
import time

import pytest

from exporters.pipeline.fetch import FetchError
from exporters.pipeline.fetcher import Fetcher


class _Busy:
    """A server answering each path with the statuses listed for it, one per request, then 200."""

    def __init__(self, plan: dict[str, list[tuple[int, dict[str, str]]]]):
        self.plan, self.seen, self.open, self.most = plan, [], 0, 0
        lock = threading.Lock()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                with lock:
                    server.seen.append(self.path)
                    server.open += 1
                    server.most = max(server.most, server.open)
                    queue = server.plan.get(self.path)
                    status, headers = queue.pop(0) if queue else (200, {})
                time.sleep(0.05)
                body = f"<p>{self.path}</p>".encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                with lock:  # before the body: the client cannot finish, and take its next place, before this
                    server.open -= 1
                self.wfile.write(body)

            def log_message(self, *args):
                return

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def busy():
    servers = []

    def start(plan):
        server = _Busy(plan)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def test_429_and_503_are_tried_again_after_the_wait_the_server_asks_for(busy):
    server = busy({"/a": [(429, {"Retry-After": "3"}), (503, {})]})
    waits = []
    fetcher = Fetcher(jobs=1, sleep=waits.append)
    page = fetcher.get(server.base + "/a", typed=True)
    assert page.data == b"<p>/a</p>"
    assert server.seen == ["/a", "/a", "/a"] and waits == [3.0, 2.0]  # Retry-After, then the backoff's 2 s


def test_a_server_still_busy_after_the_retries_is_an_error_naming_the_url(busy):
    server = busy({"/b": [(503, {"Retry-After": "1"})] * 3})
    with pytest.raises(FetchError, match=r"/b: HTTP 503 Service Unavailable$") as caught:
        Fetcher(jobs=1, sleep=lambda seconds: None).get(server.base + "/b", typed=True)
    assert caught.value.status == 503 and len(server.seen) == 3


def test_other_errors_are_not_retried(busy):
    server = busy({"/c": [(404, {})]})
    with pytest.raises(FetchError, match="HTTP 404"):
        Fetcher(jobs=1, sleep=lambda seconds: None).get(server.base + "/c", typed=True)
    assert server.seen == ["/c"]


def test_eight_jobs_send_at_most_two_requests_at_once_to_one_host(busy):
    server = busy({})
    fetcher = Fetcher(jobs=8)
    pages = list(fetcher.map(lambda n: fetcher.get(f"{server.base}/{n}", typed=True).data, list(range(12))))
    assert pages == [f"<p>/{n}</p>".encode() for n in range(12)]  # in order
    assert server.most == 2 and len(server.seen) == 12
