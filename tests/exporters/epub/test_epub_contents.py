"""EPUB pages a reader sees first, through the CLI: datelines in words, the cover's headlines, "Contents"."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from conftest import SAMPLES
from PIL import Image as PILImage
from test_epub import NS, Book, run_cli

from exporters.epub.cover import COVER_SIZE, fit_headlines, more_line

# Colours of cover.py: the short rule under each headline and the "+N more" line.
RULE = (180, 170, 150)
MORE_INK = (110, 110, 110)


def write_feed(path: Path, items: list[dict]) -> Path:
    """A JSON Feed file holding ``items``."""
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Test feed", "items": items}
    path.write_text(json.dumps(feed), encoding="utf-8")
    return path


def item(n: int, **fields) -> dict:
    return {
        "id": f"https://example.org/{n}",
        "url": f"https://example.org/{n}",
        "title": f"Headline number {n}",
        "content_html": f"<p>Body of article {n}.</p>",
        "date_published": "2024-03-18T10:00:00+00:00",
        **fields,
    }


def export_book(tmp_path: Path, *inputs: str, options: tuple[str, ...] = ()) -> Book:
    out = tmp_path / "book.epub"
    result = run_cli("export", *inputs, "-o", str(out), "--quiet", *options)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return Book(out.read_bytes())


def rule_rows(cover: PILImage.Image) -> int:
    """How many headline rules the cover shows: runs of rule-coloured pixels down the left margin."""
    x = 90 + 60
    rows = [cover.getpixel((x, y)) == RULE for y in range(COVER_SIZE[1])]
    return sum(1 for y in range(1, len(rows)) if rows[y] and not rows[y - 1])


def has_colour(image: PILImage.Image, colour: tuple[int, int, int]) -> bool:
    return any(c == colour for _, c in image.getcolors(maxcolors=1 << 24))


def cover_of(book: Book) -> PILImage.Image:
    return PILImage.open(io.BytesIO(book.files["EPUB/images/cover.png"])).convert("RGB")


# -- datelines --------------------------------------------------------------------------------------
def test_datelines_name_the_day_in_the_article_language(tmp_path):
    feed = write_feed(
        tmp_path / "feed.json",
        [
            item(1),
            item(2, language="de"),
            item(3, language="fr-FR"),
            item(4, language="en-US"),
            item(5, language="ja", date_published="2024-03-18T23:30:00-05:00"),
        ],
    )
    # The article without a language takes the book's.
    book = export_book(tmp_path, str(feed), options=("--lang", "en"))
    times = [chapter.find(".//x:p[@class='dateline']/x:time", NS) for chapter in book.chapters()]
    assert [t.text for t in times] == [
        "18 March 2024",
        "18. März 2024",
        "18 mars 2024",
        "March 18, 2024",
        "2024年3月18日",
    ]
    # The machine-readable moment is unchanged, the day is the article's own (not UTC's 19 March).
    assert [t.get("datetime") for t in times][-1] == "2024-03-18T23:30:00-05:00"


# -- cover ------------------------------------------------------------------------------------------
def test_cover_lists_the_headlines_that_fit_then_how_many_more(tmp_path):
    feed = write_feed(tmp_path / "feed.json", [item(n) for n in range(1, 41)])
    cover = cover_of(export_book(tmp_path, str(feed)))
    # One-line headlines take 88 px each; 864 px below the band hold nine and the "+31 more" line.
    assert rule_rows(cover) == 9
    assert has_colour(cover, MORE_INK)
    shown, more = fit_headlines(tuple(f"Headline number {n}" for n in range(1, 41)), 864)
    assert [h.text for h in shown] == [f"Headline number {n}" for n in range(1, 10)]
    assert more_line(more) == "+31 more"


def test_cover_of_a_few_articles_lists_them_all_without_more(tmp_path):
    book = export_book(tmp_path, str(SAMPLES))
    cover = cover_of(book)
    assert rule_rows(cover) == len(book.chapters()) == 7
    assert not has_colour(cover, MORE_INK)


def test_cover_keeps_room_for_the_more_line_only_when_a_headline_follows():
    # A one-line headline takes 88 px, the "+N more" line 52 px.
    assert fit_headlines(("Headline",) * 3, 139) == ([], 3)
    shown, more = fit_headlines(("First", "Second"), 176)
    assert [h.text for h in shown] == ["First", "Second"] and more == 0
    shown, more = fit_headlines(("First", "Second", "Third"), 176)
    assert [h.text for h in shown] == ["First"] and more == 2


# -- contents ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("options, depth", [((), "1"), (("--group-by", "site"), "2")])
def test_contents_heading_landmark_and_ncx_depth(tmp_path, options, depth):
    book = export_book(tmp_path, str(SAMPLES), "--title", "My week", options=options)
    assert book.nav.findtext(".//x:nav[@epub:type='toc']/x:h2", namespaces=NS) == "Contents"
    landmarks = book.nav.xpath("//x:nav[@epub:type='landmarks']//x:a", namespaces=NS)
    assert [(a.get(f"{{{NS['epub']}}}type"), a.text) for a in landmarks][:2] == [
        ("cover", "My week"),
        ("toc", "Contents"),
    ]
    guide = book.opf.find("opf:guide/opf:reference[@type='toc']", NS)
    assert guide.get("title") == "Contents"
    assert book.ncx.find("ncx:head/ncx:meta[@name='dtb:depth']", NS).get("content") == depth
    levels = book.ncx.xpath("//ncx:navMap/ncx:navPoint/ncx:navPoint", namespaces=NS)
    assert bool(levels) == (depth == "2")
