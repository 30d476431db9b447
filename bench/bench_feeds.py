"""Feed benchmark: newsexport's whole ``export`` process for 10,000 feed entries against the floor.

Builds corpus JSONL (``--count`` entries, default 10,000, about 4 KB of HTML each), then prints
in one run:

* newsexport: wall time, CPU time and peak RSS of ``python main.py export data.jsonl -o out.rss``
  (and ``.atom``, ``.json``), each a separate process measured by GNU time (``/usr/bin/time``);
* where newsexport's time goes, in-process (wall time): reading the JSONL into articles (JSON
  decoding; bodies wait as HTML) versus rendering the feed from them (sanitising and converting
  each body, then serialising; shared with a forked worker);
* the floor, also a separate process: read the JSONL, parse each entry's HTML once with lxml,
  serialise the same entries as RSS 2.0 (title, link, guid, pubDate, content:encoded);
* the ratio (target: at most 2x the floor, at most 200 MB peak);
* merging 100 new entries into the 10,000-entry feed: the exporter alone, in-process, and the
  whole ``export --merge`` process (target: well under a second for the merge).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from corpus_jsonl import write_corpus_jsonl  # noqa: E402
from measure import measure  # noqa: E402

SITE = ["--site-url", "https://bench.example/", "--feed-url", "https://bench.example/feed", "--title", "Bench",
        "--author", "Bench desk"]
NEW_ITEMS = 100


def measure_process(command: list[str]) -> tuple[float, float, int]:
    """Run ``command`` from the project root; (wall seconds, CPU seconds, peak memory bytes); exit on failure.

    CPU time (the command's and its workers') is printed beside wall time because other work on a
    shared machine stretches wall time. The peak is the larger of the largest process's and the
    process tree's (see ``bench/measure.py``).
    """
    run = measure(command, ROOT)
    if run.code != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{run.stderr}")
    return run.seconds, run.cpu, run.peak


def floor(jsonl: Path, out: Path) -> None:
    """The floor: parse each entry's HTML once with lxml and serialise the entries as RSS 2.0."""
    import lxml.html
    from lxml import etree

    content = "{http://purl.org/rss/1.0/modules/content/}encoded"
    root = etree.Element("rss", version="2.0", nsmap={"content": content[1:].split("}")[0]})
    channel = etree.SubElement(root, "channel")
    for tag, text in (("title", "Bench"), ("link", "https://bench.example/"), ("description", "Bench")):
        etree.SubElement(channel, tag).text = text
    with jsonl.open(encoding="utf-8") as lines:
        for line in lines:
            item = json.loads(line)
            html = lxml.html.fragment_fromstring(item["content_html"], create_parent="div")
            el = etree.SubElement(channel, "item")
            etree.SubElement(el, "title").text = item["title"]
            etree.SubElement(el, "link").text = item["url"]
            etree.SubElement(el, "guid", isPermaLink="false").text = item["id"]
            published = datetime.fromisoformat(item["date_published"]).astimezone(timezone.utc)
            etree.SubElement(el, "pubDate").text = format_datetime(published, usegmt=True)
            etree.SubElement(el, content).text = etree.tostring(html, encoding="unicode", method="html")
    out.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def breakdown(jsonl: Path) -> tuple[float, float]:
    """In-process wall seconds for reading the JSONL into articles and for rendering the RSS feed.

    Wall time, not CPU time: rendering is shared with a forked worker, whose CPU time this
    process's clock does not count.
    """
    from exporters.model import Collection
    from exporters.readers.jsondata import JsonLinesReader
    from exporters.rss import RssExporter
    from exporters.feedentries import FeedOptions

    start = time.perf_counter()
    articles = JsonLinesReader().read_path(jsonl, str(jsonl))
    read_seconds = time.perf_counter() - start
    collection = Collection(tuple(articles), title="Bench", generated=datetime(2025, 1, 1, tzinfo=timezone.utc))
    start = time.perf_counter()
    RssExporter(FeedOptions(site_url="https://bench.example/")).export(collection)
    return read_seconds, time.perf_counter() - start


def merge_in_process(feed: Path, new_jsonl: Path) -> tuple[float, float, int]:
    """Wall and CPU seconds the exporter takes to merge the new entries into ``feed`` (inputs already read),
    and the merged feed's entry count."""
    from exporters.model import Collection
    from exporters.readers.jsondata import JsonLinesReader
    from exporters.rss import RssExporter
    from exporters.feedentries import FeedOptions

    articles = JsonLinesReader().read(new_jsonl.read_bytes(), str(new_jsonl))
    collection = Collection(tuple(articles), title="Bench", authors=("Bench desk",),
                            generated=datetime(2025, 1, 1, tzinfo=timezone.utc))
    exporter = RssExporter(FeedOptions(site_url="https://bench.example/", feed_url="https://bench.example/feed", merge=feed))
    start, cpu = time.perf_counter(), time.process_time()
    data = exporter.export(collection)
    return time.perf_counter() - start, time.process_time() - cpu, data.count(b"<item>")


def _numbered(n: int, line: str) -> str:
    """The line with its number in the title: the corpus repeats, and the CLI merges same title and body."""
    item = json.loads(line)
    item["title"] = f"{item['title']} ({n})"
    return json.dumps(item, ensure_ascii=False) + "\n"


def main() -> None:
    """Build the inputs, run every measurement and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="number of entries (default 10000)")
    parser.add_argument("--floor", nargs=2, type=Path, metavar=("JSONL", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor:
        floor(*args.floor)
        return

    everything = write_corpus_jsonl(DATA / f"feeds-{args.count + NEW_ITEMS}.jsonl", args.count + NEW_ITEMS, max_html_bytes=4096)
    lines = [_numbered(n, line) for n, line in enumerate(everything.read_text(encoding="utf-8").splitlines())]
    jsonl, new_jsonl = DATA / f"feeds-{args.count}.jsonl", DATA / f"feeds-new-{NEW_ITEMS}.jsonl"
    jsonl.write_text("".join(lines[: args.count]), encoding="utf-8")
    new_jsonl.write_text("".join(lines[args.count:]), encoding="utf-8")
    print(f"input: {jsonl.name}, {args.count} entries, {jsonl.stat().st_size / 1e6:.1f} MB of JSONL")

    env_python = [sys.executable]
    results = {}
    for ext in (".rss", ".atom", ".json"):
        out = DATA / f"feeds-{args.count}{ext}"
        seconds, cpu, peak = measure_process([*env_python, "main.py", "export", str(jsonl), "-o", str(out), *SITE, "-q"])
        results[ext] = (seconds, cpu, peak)
        print(f"newsexport {ext:<5}  {seconds:6.2f} s (cpu {cpu:6.2f} s), peak {peak / 1e6:4.0f} MB, "
              f"{out.stat().st_size / 1e6:5.1f} MB feed")

    floor_out = DATA / f"feeds-{args.count}-floor.rss"
    floor_seconds, floor_cpu, floor_peak = measure_process([*env_python, __file__, "--floor", str(jsonl), str(floor_out)])
    print(f"floor (lxml)      {floor_seconds:6.2f} s (cpu {floor_cpu:6.2f} s), peak {floor_peak / 1e6:4.0f} MB, "
          f"{floor_out.stat().st_size / 1e6:5.1f} MB feed")
    rss_seconds, rss_cpu, rss_peak = results[".rss"]
    print(f"ratio:            RSS {rss_seconds / floor_seconds:.2f}x the floor in wall time, {rss_cpu / floor_cpu:.2f}x in CPU "
          f"(target <= 2x); peak {rss_peak / 1e6:.0f} MB (target <= 200 MB)")

    read_wall, render_wall = breakdown(jsonl)
    print(f"in-process wall:  reading JSONL into articles {read_wall:.2f} s, rendering RSS from them {render_wall:.2f} s "
          f"({render_wall / floor_seconds:.2f}x the floor)")

    feed = DATA / f"feeds-{args.count}.rss"
    merge_seconds, merge_cpu, entries = merge_in_process(feed, new_jsonl)
    print(f"merge:            {NEW_ITEMS} new into {args.count}: exporter {merge_seconds:.2f} s (cpu {merge_cpu:.2f} s) "
          f"in-process, {entries} entries")
    merged = DATA / f"feeds-{args.count}-merged.rss"
    seconds, cpu, peak = measure_process(
        [*env_python, "main.py", "export", str(new_jsonl), "-o", str(merged), *SITE, "--merge", str(feed), "-q"])
    print(f"merge process:    {seconds:.2f} s (cpu {cpu:.2f} s), peak {peak / 1e6:.0f} MB "
          f"(whole CLI: startup, reading {NEW_ITEMS} inputs, merge, write)")


if __name__ == "__main__":
    main()
