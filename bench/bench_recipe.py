"""Recipe benchmark: ``newsexport run`` against local feeds, a first run and a cached second run.

Serves ``--feeds`` RSS feeds (default 20) of ``--items`` items each (default 50) from a threaded
HTTP server on 127.0.0.1 that waits ``--latency-ms`` (default 50 ms) before every answer. Each
feed has an ETag and answers 304 to a matching ``If-None-Match``. The first ``--summary-feeds``
feeds (default half of them) carry only a one-line summary, so ``full_text = "auto"`` fetches
every linked page; the others carry the full text in ``content:encoded`` (over 150 words), so
their pages are never fetched.

A recipe in a temporary folder (its library, HTTP cache and outputs there too) reads every feed
and writes an EPUB and an Atom feed. For ``--jobs 1`` and ``--jobs 4``, with a fresh library for
each pair, it times ``python main.py run RECIPE --allow-private-network --jobs N`` (a separate
process, through ``bench/measure.py``) twice: the first run fetches and builds everything; the
second finds nothing new and should send only conditional requests for the feeds (all 304).
The table gives wall time, what the server saw (requests, 200s, 304s, pages) and peak memory.

newsexport sends at most 2 requests at once to one host, so with every feed on 127.0.0.1
``--jobs 4`` can at best halve the waiting; ``--hosts 4`` spreads the feeds over 127.0.0.1 to
127.0.0.4 (one server each), as feeds from different sites would be.
"""

from __future__ import annotations

import argparse
import http.server
import re
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from measure import Measured, measure  # noqa: E402

WROTE = re.compile(r"^Wrote .*\.epub \((\d+) new articles\)$", re.MULTILINE)
BASE_TIME = datetime(2024, 4, 30, 9, tzinfo=UTC)
WORDS = ("harbour", "council", "ferry", "budget", "school", "river", "market", "bridge", "library", "festival")


def story(feed: int, item: int, sentences: int = 24) -> str:
    """The full text of one item: ``sentences`` distinct sentences (about ten words each), as paragraphs."""
    lines = [
        f"Sentence {n} of story {item} from feed {feed} tells how the {WORDS[(item + n) % len(WORDS)]} "
        f"plan changed again this week."
        for n in range(sentences)
    ]
    return "".join(f"<p>{' '.join(lines[n : n + 4])}</p>" for n in range(0, sentences, 4))


class NewsServer:
    """``feeds`` RSS feeds and their linked pages, on ``hosts`` loopback addresses, counting what it answers."""

    def __init__(self, *, feeds: int, items: int, summary_feeds: int, latency: float, hosts: int):
        self.feeds, self.items, self.summary_feeds, self.latency = feeds, items, summary_feeds, latency
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._servers = [
            http.server.ThreadingHTTPServer((f"127.0.0.{n}", 0), self._handler()) for n in range(1, hosts + 1)
        ]
        for server in self._servers:
            threading.Thread(target=server.serve_forever, daemon=True).start()
        self.bases = [f"http://127.0.0.{n}:{s.server_address[1]}" for n, s in enumerate(self._servers, 1)]

    def base(self, feed: int) -> str:
        return self.bases[feed % len(self.bases)]

    def feed_url(self, feed: int) -> str:
        return f"{self.base(feed)}/feed/{feed}.rss"

    def count(self, *keys: str) -> None:
        with self._lock:
            self.counts.update(keys)

    def reset(self) -> Counter[str]:
        """The counts so far, and start again from zero."""
        with self._lock:
            counts, self.counts = self.counts, Counter()
        return counts

    def close(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()

    def feed(self, feed: int) -> bytes:
        base, summary = self.base(feed), feed < self.summary_feeds
        items = []
        for item in range(1, self.items + 1):
            link = f"{base}/story/{feed}/{item}"
            text = (
                f"<description>Only a summary of story {item} from feed {feed}.</description>"
                if summary
                else f"<description>Story {item} from feed {feed}.</description>"
                f"<content:encoded>{escape(story(feed, item))}</content:encoded>"
            )
            items.append(
                f"<item><title>Feed {feed}, story {item}</title><link>{link}</link><guid>{link}</guid>"
                f"<pubDate>{format_datetime(BASE_TIME - timedelta(hours=item))}</pubDate>{text}</item>"
            )
        return (
            '<?xml version="1.0" encoding="utf-8"?>'
            '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
            f"<channel><title>Feed {feed}</title><link>{base}/</link><description>Bench feed {feed}</description>"
            f"{''.join(items)}</channel></rss>"
        ).encode()

    def page(self, feed: int, item: int) -> bytes:
        return (
            f"<html><head><title>Feed {feed}, story {item}</title></head><body><article>"
            f"<h1>Feed {feed}, story {item}</h1>{story(feed, item)}</article></body></html>"
        ).encode()

    def _handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                time.sleep(site.latency)
                parts = self.path.strip("/").split("/")
                try:
                    if len(parts) == 2 and parts[0] == "feed" and parts[1].endswith(".rss"):
                        self.answer_feed(int(parts[1].removesuffix(".rss")))
                    elif len(parts) == 3 and parts[0] == "story":
                        site.count("requests", "200", "pages")
                        self.reply(200, "text/html; charset=utf-8", site.page(int(parts[1]), int(parts[2])), {})
                    else:
                        raise ValueError(self.path)
                except ValueError:
                    site.count("requests", "404")
                    self.reply(404, "text/plain", b"not found", {})

            def answer_feed(self, feed: int) -> None:
                if not 0 <= feed < site.feeds:
                    raise ValueError(feed)
                tag = f'"feed-{feed}-{site.items}"'
                if self.headers.get("If-None-Match") == tag:
                    site.count("requests", "304")
                    self.send_response(304)
                    self.send_header("ETag", tag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                site.count("requests", "200", "feeds")
                self.reply(200, "application/rss+xml", site.feed(feed), {"ETag": tag})

            def reply(self, status: int, media_type: str, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                self.send_header("Content-Type", media_type)
                self.send_header("Content-Length", str(len(body)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                return

        return Handler


def write_recipe(folder: Path, server: NewsServer) -> Path:
    """A recipe reading every feed (full text when only a summary) into an EPUB and an Atom feed, all in ``folder``."""
    sources = "".join(f'[[source]]\nfeed = "{server.feed_url(n)}"\nfull_text = "auto"\n\n' for n in range(server.feeds))
    recipe = folder / "bench.toml"
    recipe.write_text(
        f'title = "Bench digest {{run}}"\nlibrary = "{folder / "library.sqlite"}"\nauthor = "Bench"\n\n{sources}'
        f'[[output]]\npath = "{folder / "out" / "digest-{run}.epub"}"\n\n'
        f'[[output]]\npath = "{folder / "out" / "digest.atom"}"\nfeed_url = "https://bench.example/digest.atom"\n',
        encoding="utf-8",
    )
    return recipe


def run_pair(server: NewsServer, jobs: int) -> list[tuple[Measured, Counter[str]]]:
    """A first and a second run of a new recipe (a fresh library), each with what the server saw."""
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-recipe-") as folder:
        recipe = write_recipe(Path(folder), server)
        command = [sys.executable, "main.py", "run", str(recipe), "--allow-private-network", "--jobs", str(jobs)]
        for run in ("first", "second"):
            server.reset()
            measured = measure(command, ROOT)
            counts = server.reset()
            last = (measured.stderr.strip().splitlines() or [""])[-1]
            if measured.code != 0:
                raise SystemExit(f"newsexport run --jobs {jobs} ({run} run) exited {measured.code}:\n{measured.stderr}")
            if run == "second" and not last.endswith("no new articles"):
                raise SystemExit(f"the second run did not find 'no new articles': {last!r}")
            counts["written"] = sum(int(n) for n in WROTE.findall(measured.stderr))
            results.append((measured, counts))
    return results


def main() -> None:
    """Serve the feeds, run every measurement and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=20, help="number of RSS feeds (default 20)")
    parser.add_argument("--items", type=int, default=50, help="items in each feed (default 50)")
    parser.add_argument(
        "--summary-feeds",
        type=int,
        default=None,
        help="feeds with only a summary, whose linked pages are fetched (default: half of --feeds)",
    )
    parser.add_argument(
        "--latency-ms", type=float, default=50.0, help="delay the server adds to every request (default 50)"
    )
    parser.add_argument(
        "--hosts",
        type=int,
        default=1,
        choices=range(1, 255),
        metavar="N",
        help="loopback addresses 127.0.0.1..N the feeds are spread over (2 requests at once per host; default 1)",
    )
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 4], help="--jobs values to compare (default 1 4)")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="pairs of runs for each --jobs value; the fastest of each run counts (default 1)",
    )
    args = parser.parse_args()
    summary_feeds = args.feeds // 2 if args.summary_feeds is None else min(args.summary_feeds, args.feeds)

    server = NewsServer(
        feeds=args.feeds,
        items=args.items,
        summary_feeds=summary_feeds,
        latency=args.latency_ms / 1000,
        hosts=args.hosts,
    )
    try:
        print(
            f"server: {args.feeds} RSS feeds x {args.items} items on {', '.join(server.bases)}, "
            f"{args.latency_ms:g} ms added to every request, ETag on feeds (304 when it matches)"
        )
        print(
            f'feeds:  {summary_feeds} summary-only (full_text = "auto" fetches their {summary_feeds * args.items} '
            f"pages), {args.feeds - summary_feeds} with full text in content:encoded (pages not fetched)"
        )
        print("recipe: every feed -> an EPUB and an Atom feed; a fresh library for each pair of runs")
        print(f"runs:   {args.repeat} pair(s) for each --jobs value; wall time is the fastest, peak the highest\n")
        print(
            f"{'jobs':>4}  {'run':<6}  {'wall s':>7}  {'requests':>8}  {'200':>5}  {'304':>5}  {'pages':>5}  {'in EPUB':>7}  "
            f"{'peak MB':>7}  {'largest MB':>10}"
        )
        for jobs in args.jobs:
            pairs = [run_pair(server, jobs) for _ in range(args.repeat)]
            for index, run in enumerate(("first", "second")):
                results = [pair[index] for pair in pairs]
                counts = results[-1][1]
                varied = " (counts varied between repeats)" if any(c != counts for _, c in results) else ""
                seconds = min(m.seconds for m, _ in results)
                peak = max(m.peak for m, _ in results)
                largest = max(m.largest for m, _ in results)
                print(
                    f"{jobs:>4}  {run:<6}  {seconds:>7.2f}  {counts['requests']:>8}  {counts['200']:>5}  "
                    f"{counts['304']:>5}  {counts['pages']:>5}  {counts['written']:>7}  {peak / 1e6:>7.0f}  {largest / 1e6:>10.0f}{varied}"
                )
        print("\npages: linked pages fetched; in EPUB: articles the run's EPUB received (from its 'Wrote' line)")
        print(
            "peak MB: PSS of the whole process tree or RSS of the largest process, the larger; "
            "largest MB: RSS of the largest process (GNU time)"
        )
    finally:
        server.close()


if __name__ == "__main__":
    main()
