"""A recipe's feed output links the EPUB written by the same run (``enclosure_base_url``)."""

from __future__ import annotations

from conftest import SAMPLES
from lxml import etree
from typer.testing import CliRunner

import main

ENV = {"NO_COLOR": "1", "COLUMNS": "100"}
A = "{http://www.w3.org/2005/Atom}"


def write_recipe(tmp_path, feed_extra: str = 'enclosure_base_url = "https://me.example/books/"') -> object:
    recipe = tmp_path / "weekly.toml"
    # The feed comes first in the file: the run still writes the book before it.
    recipe.write_text(
        f"""title = "Weekly {{run}}"
author = "The Desk"
library = "lib.sqlite"

[[source]]
files = ["{SAMPLES}"]

[[output]]
path = "out/weekly.atom"
feed_url = "https://me.example/weekly.atom"
{feed_extra}

[[output]]
path = "out/weekly-{{run}}.epub"
""",
        encoding="utf-8",
    )
    return recipe


def run(recipe):
    return CliRunner().invoke(main.app, ["run", str(recipe), "-q"], env=ENV)


def book_links(feed: bytes) -> list[tuple[int, dict[str, str]]]:
    entries = etree.fromstring(feed).findall(A + "entry")
    return [
        (n, dict(link.attrib))
        for n, entry in enumerate(entries)
        for link in entry.iterfind(A + "link")
        if link.get("type") == "application/epub+zip"
    ]


def test_the_feeds_newest_entry_links_the_runs_epub_with_its_size(tmp_path):
    recipe = write_recipe(tmp_path)
    result = run(recipe)
    assert result.exit_code == 0, result.output
    book = tmp_path / "out" / "weekly-1.epub"
    assert book.stat().st_size > 1000
    assert book_links((tmp_path / "out" / "weekly.atom").read_bytes()) == [
        (
            0,
            {
                "href": "https://me.example/books/weekly-1.epub",
                "rel": "enclosure",
                "type": "application/epub+zip",
                "length": str(book.stat().st_size),
            },
        )
    ]


def test_without_the_key_the_feed_links_no_book(tmp_path):
    result = run(write_recipe(tmp_path, feed_extra=""))
    assert result.exit_code == 0, result.output
    assert book_links((tmp_path / "out" / "weekly.atom").read_bytes()) == []


def test_the_key_is_refused_on_a_book_output_and_when_not_a_url(tmp_path):
    recipe = write_recipe(tmp_path, feed_extra='enclosure_base_url = "books/"')
    result = run(recipe)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"Error: {recipe}:11: output.enclosure_base_url: must be an absolute http(s) URL (a string)"
    )
    text = (
        write_recipe(tmp_path, feed_extra="")
        .read_text(encoding="utf-8")
        .replace(
            'path = "out/weekly-{run}.epub"',
            'path = "out/weekly-{run}.epub"\nenclosure_base_url = "https://me.example/"',
        )
    )
    recipe.write_text(text, encoding="utf-8")
    result = run(recipe)
    assert result.exit_code == 2
    line = result.stderr.strip()
    head = f"Error: {recipe}:15: output.enclosure_base_url: unknown key (known: "
    # The EPUB's own options (other work may add some), never the feed-only key.
    assert line.startswith(head) and "device, " in line and "enclosure" not in line[len(head) :]
    assert not (tmp_path / "out").exists()
