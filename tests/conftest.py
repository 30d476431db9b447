"""Shared fixtures: paths to the samples, the seed and the shared corpus; corpus articles."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import pytest

from exporters.html.blocks import blocks_from_html
from exporters.html.lazy import HtmlBody
from exporters.model import Article, Collection, article_id

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "readability"
SEED = SHARED / "seed" / "cbc-russia-us-syria-call.txt"
SAMPLES = ROOT / "samples"
FIXED_TIME = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


@cache
def corpus_articles(count: int = 110, *, lazy: bool = False) -> tuple[Article, ...]:
    """Articles built straight from the corpus's expected bodies and metadata (no extraction).

    With ``lazy``, bodies are :class:`HtmlBody` (converted when first read), as the JSON readers give them.
    """
    folders = sorted(p for p in CORPUS.iterdir() if p.is_dir())
    articles = []
    for n in range(count):
        folder = folders[n % len(folders)]
        meta = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
        url = f"https://corpus.example/{n}/{folder.name}"
        html = (folder / "expected.html").read_text(encoding="utf-8")
        body = HtmlBody(html, url) if lazy else blocks_from_html(html, url)
        title = (meta.get("title") or folder.name).strip() or folder.name
        articles.append(
            Article(
                id=article_id(url, title),
                title=title,
                body=body,
                url=url,
                authors=(meta["byline"].strip(),) if (meta.get("byline") or "").strip() else (),
                published=FIXED_TIME - timedelta(days=n),
                language=meta.get("lang") or None,
                site_name=meta.get("siteName"),
                summary=meta.get("excerpt") or "",
                source=str(folder / "expected.html"),
            )
        )
    return tuple(articles)


def corpus_collection(count: int = 110, **kwargs) -> Collection:
    """A collection of corpus articles with a fixed build time."""
    return Collection(articles=corpus_articles(count), generated=FIXED_TIME, **kwargs)


@pytest.fixture(autouse=True)
def _fixed_source_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(FIXED_TIME.timestamp())))
    for name in ("FORCE_COLOR", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    yield


def pytest_report_header(config):
    return f"corpus: {CORPUS} ({'present' if CORPUS.is_dir() else 'MISSING'})"


class LocalServer:
    """A threaded HTTP server on 127.0.0.1 answering from a dict of routes (path → (status, headers, body))."""

    def __init__(self):
        import http.server
        import threading

        routes = self.routes = {}
        requests = self.requests = []  # every path asked for, in order

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                requests.append(self.path)
                status, headers, body = routes.get(self.path, (404, {"Content-Type": "text/plain"}, b"not found"))
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                if "Content-Length" not in headers and not callable(body):
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if callable(body):
                    body(self.wfile)
                else:
                    self.wfile.write(body)

            def log_message(self, *args):
                return

        class Server(http.server.ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                # A client that hung up (a test's timeout, a size cap) is what the test is about: no noise.
                if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
                    super().handle_error(request, client_address)

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def local_server():
    """A local HTTP server; add routes with ``server.routes[path] = (status, headers, body)``."""
    server = LocalServer()
    yield server
    server.close()
