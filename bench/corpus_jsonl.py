"""Build benchmark inputs from the shared corpus: JSONL lines shaped like JSON Feed items.

Each line has ``id``, ``url``, ``title``, ``authors``, ``date_published`` and ``content_html``
(the corpus page's expected article body, images stripped so extraction and fetching are
not part of any timing). Pages are cycled to reach the requested count.
"""

from __future__ import annotations

import argparse
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "readability"
_IMG = re.compile(r"<img\b[^>]*>|<picture\b.*?</picture>", re.I | re.S)


def corpus_pages() -> list[tuple[str, dict, str]]:
    """(name, expected metadata, expected body HTML) for every corpus page, sorted by name."""
    pages = []
    for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        meta = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
        pages.append((folder.name, meta, (folder / "expected.html").read_text(encoding="utf-8")))
    return pages


def cut_html(html: str, limit: int) -> str:
    """About ``limit`` bytes of ``html``, cut at a paragraph end so the fragment stays meaningful."""
    if len(html) <= limit:
        return html
    end = html.find("</p>", limit)
    return html[: end + 4] if end != -1 else html[:limit]


def write_corpus_jsonl(path: Path, count: int, max_html_bytes: int | None = None) -> Path:
    """Write ``count`` articles cycled from the corpus to ``path`` as JSONL; return the path.

    Repeated pages get a numbered title, so dedupe (same title and text) keeps every article.
    """
    pages = corpus_pages()
    start = datetime(2024, 1, 1, tzinfo=UTC)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            name, meta, html = pages[n % len(pages)]
            html = _IMG.sub("", html)
            if max_html_bytes:
                html = cut_html(html, max_html_bytes)
            item = {
                "id": f"https://bench.example/{n}/{name}",
                "url": f"https://bench.example/{n}/{name}",
                "title": ((meta.get("title") or name).strip() or name)
                + (f" ({n // len(pages) + 1})" if n >= len(pages) else ""),
                "authors": [{"name": meta["byline"]}] if meta.get("byline") else [],
                "date_published": (start + timedelta(hours=n)).isoformat(),
                "content_html": html,
            }
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--max-html-bytes", type=int, default=None)
    args = parser.parse_args()
    write_corpus_jsonl(args.output, args.count, args.max_html_bytes)
