"""Imports of each read-it-later format, from hand-made files of their real structure and quirks."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from exporters.library import Query, import_file, open_library
from exporters.library.imports import recognise
from exporters.model import ArticleError, body_text

FIXTURES = Path(__file__).parent / "fixtures"


def at(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


@pytest.fixture
def library(tmp_path):
    with open_library(tmp_path / "lib.sqlite") as lib:
        yield lib


def by_url(library) -> dict:
    return {s.url: s for s in library.find(Query(state="any"))}


@pytest.mark.parametrize(
    ("name", "format"),
    [
        ("ril_export.html", "Pocket HTML"),
        ("pocket.csv", "Pocket CSV"),
        ("pocket.zip", "Pocket CSV zip"),
        ("instapaper-export.csv", "Instapaper CSV"),
        ("readwise.csv", "Readwise Reader CSV"),
        ("wallabag.json", "wallabag JSON"),
        ("omnivore.zip", "Omnivore zip"),
        ("bookmarks.html", "Netscape bookmarks"),
    ],
)
def test_formats_are_recognised_by_content_whatever_the_name(tmp_path, name, format):
    renamed = tmp_path / "export.dat"
    renamed.write_bytes((FIXTURES / name).read_bytes())
    assert recognise(renamed, "export.dat")[0] == format


def test_an_unknown_file_is_one_error_naming_it(tmp_path):
    path = tmp_path / "list.txt"
    path.write_text("just some words\n")
    with pytest.raises(ArticleError, match=rf"^{path}: not an export newsexport knows"):
        recognise(path, str(path))


def test_pocket_html_sections_give_state_tags_and_dates(library):
    report = import_file(library, FIXTURES / "ril_export.html")
    assert (len(report.added), len(report.updated)) == (3, 0)
    assert [s.split(": ", 1)[1] for s in report.skipped] == [
        "line 13: not an http(s) URL: 'javascript:alert(1)'",
        "line 19: not a Unix time: 'yesterday'",
    ]
    found = by_url(library)
    ferry, trains = found["https://news.example/ferry-timetable"], found["https://news.example/night-trains"]
    assert (ferry.state, ferry.tags, ferry.added, ferry.fetched) == (
        "unread",
        ("transport", "winter"),
        at(1700000000),
        False,
    )
    assert (trains.state, trains.tags, trains.added) == ("archived", ("rail",), at(1600000000))
    assert ferry.title == "Ferry timetable changes"


def test_pocket_csv_with_cursor_and_pipe_separated_tags(library):
    report = import_file(library, FIXTURES / "pocket.csv")
    assert len(report.added) == 3
    assert [s.split(": ", 1)[1] for s in report.skipped] == ["line 4: no URL"]
    found = by_url(library)
    assert found["https://news.example/ferry-timetable"].tags == ("transport", "winter")
    assert found["https://news.example/night-trains"].state == "archived"
    assert found["https://news.example/night-trains"].title == "Night trains return, at last"
    assert found["https://news.example/cafe"].title == "Café week"


def test_pocket_zip_of_csv_parts_names_the_part_of_a_bad_row(library):
    report = import_file(library, FIXTURES / "pocket.zip")
    assert len(report.added) == 2
    assert [s.split(": ", 1)[1] for s in report.skipped] == ["part_000001.csv: line 3: not a Unix time: 'soon'"]
    assert by_url(library)["https://news.example/night-trains"].state == "archived"


def test_instapaper_folders_give_state_star_and_tags(library):
    report = import_file(library, FIXTURES / "instapaper-export.csv")
    assert len(report.added) == 4
    assert [s.split(": ", 1)[1] for s in report.skipped] == ["line 6: Tags is not a JSON array: 'not json'"]
    found = by_url(library)
    assert found["https://news.example/ferry-timetable"].tags == ("transport", "winter")
    assert found["https://news.example/night-trains"].state == "archived"
    fish = found["https://news.example/fish-market"]
    assert (fish.starred, fish.state, fish.tags, fish.added) == (True, "unread", ("business",), at(1650000000))
    assert found["https://news.example/cafe"].tags == ("Food & Drink",)


def test_readwise_locations_and_feed_rows_left_out(library):
    report = import_file(library, FIXTURES / "readwise.csv")
    assert (len(report.added), report.left_out) == (3, 1)
    assert [s.split(": ", 1)[1] for s in report.skipped] == ["line 6: not a date: 'not a date at all'"]
    found = by_url(library)
    assert "https://feeds.example/item" not in found
    assert found["https://news.example/night-trains"].state == "archived"
    assert found["https://news.example/fish-market"].starred
    assert found["https://news.example/ferry-timetable"].tags == ("transport", "winter")
    assert found["https://news.example/ferry-timetable"].added == at(1700000000)


def test_wallabag_content_is_sanitised_and_states_carry_over(library):
    report = import_file(library, FIXTURES / "wallabag.json")
    assert len(report.added) == 2
    assert [s.split(": ", 1)[1] for s in report.skipped] == ["item 3: no URL"]
    found = by_url(library)
    ferry = found["https://news.example/ferry-timetable"]
    assert (ferry.state, ferry.starred, ferry.tags, ferry.fetched) == ("archived", False, ("transport", "winter"), True)
    assert ferry.added == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    article = library.article(ferry)
    assert body_text(article.body) == "The winter timetable starts in November.\nFerries leave hourly."
    assert article.authors == ("Ana Lima",) and article.language == "en"
    assert article.published == datetime(2023, 11, 10, 7, 0, tzinfo=UTC)
    empty = found["https://news.example/empty"]
    assert (empty.starred, empty.fetched) == (True, False)  # no text: to be fetched later


def test_omnivore_zip_pairs_metadata_with_content_pages(library):
    report = import_file(library, FIXTURES / "omnivore.zip")
    assert len(report.added) == 2
    assert [s.split(": ", 1)[1] for s in report.skipped] == [
        "metadata_2_to_3.json: item 1: not a date: 'the day before yesterday, maybe'"
    ]
    found = by_url(library)
    ferry = found["https://news.example/ferry-timetable"]
    assert (ferry.state, ferry.tags, ferry.fetched) == ("archived", ("transport", "Winter"), True)
    assert ferry.added == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    text = body_text(library.article(ferry).body)
    assert text == "The winter timetable starts in November.\nFerries leave hourly from the pier."
    trains = found["https://news.example/night-trains"]
    assert (trains.state, trains.fetched) == ("unread", False)


def test_bookmark_folders_become_tags_and_non_web_links_are_skipped(library):
    report = import_file(library, FIXTURES / "bookmarks.html")
    assert len(report.added) == 3
    assert [s.split(": ", 1)[1] for s in report.skipped] == ["line 18: not a web page (place: link)"]
    found = by_url(library)
    assert found["https://news.example/ferry-timetable"].tags == ("Reading", "transport", "winter")
    assert found["https://news.example/solar-roof"].tags == ("Climate", "Reading")
    assert found["https://news.example/night-trains"].tags == ()
    assert found["https://news.example/solar-roof"].added == at(1650000000)


def test_importing_again_updates_and_an_import_without_state_keeps_it(library):
    import_file(library, FIXTURES / "pocket.csv")
    report = import_file(library, FIXTURES / "bookmarks.html")
    assert (len(report.added), len(report.updated)) == (1, 2)
    trains = by_url(library)["https://news.example/night-trains"]
    assert trains.state == "archived"  # bookmarks say nothing of read state
    assert trains.tags == ("rail",)


def test_newsexport_json_and_jsonl_keep_the_articles_text(library, tmp_path):
    from conftest import corpus_articles

    from exporters.pipeline.jsonform import articles_to_json

    articles = corpus_articles(3)
    path = tmp_path / "saved.json"
    path.write_text(articles_to_json(articles))
    report = import_file(library, path)
    assert len(report.added) == 3
    stored = library.find(Query(sort="title", newest_first=False))
    assert [library.article(s).body for s in stored] == [
        a.body for a in sorted(articles, key=lambda a: a.title.casefold())
    ]


def test_newsexport_jsonl_is_imported_line_by_line(library, tmp_path):
    lines = [
        {
            "id": "1",
            "url": "https://news.example/a",
            "title": "A",
            "content_html": "<p>First <script>x</script>text</p>",
        },
        {"id": "2", "url": "https://news.example/b", "title": "B", "content_html": "<p>Second text</p>", "tags": ["t"]},
    ]
    path = tmp_path / "saved.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    assert len(import_file(library, path).added) == 2
    found = by_url(library)
    assert body_text(library.article(found["https://news.example/a"]).body) == "First text"
    assert found["https://news.example/b"].tags == ("t",)


def test_a_zip_member_over_the_size_limit_is_refused(library, tmp_path, monkeypatch):
    from exporters.library.imports import items

    monkeypatch.setattr(items, "MAX_MEMBER_BYTES", 100)
    path = tmp_path / "pocket.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("part_000000.csv", "title,url,time_added,tags,status\n" + "x" * 10_000 + "\n")
    with pytest.raises(ArticleError, match=r"part_000000\.csv: 10,\d{3} bytes uncompressed, over the limit"):
        import_file(library, path)


def test_a_link_with_an_impossible_port_is_a_skipped_row(library, tmp_path):
    export = tmp_path / "pocket.csv"
    export.write_text(
        "title,url,time_added,cursor,tags,status\n"
        "Ferry,https://news.example:abc/ferry,1700000000,c1,,unread\n"
        "Trains,https://news.example:8443/trains,1700000000,c2,,unread\n",
        encoding="utf-8",
    )
    report = import_file(library, export)
    assert [s.split(": ", 1)[1] for s in report.skipped] == ["line 2: not a URL: 'https://news.example:abc/ferry'"]
    assert list(by_url(library)) == ["https://news.example:8443/trains"]


def _pocket_zip(path: Path, parts: int = 1, flag: int = 0, method: int | None = None) -> Path:
    """A Pocket zip of ``parts`` CSV parts; ``flag`` and ``method`` patch every header (encryption, compression)."""
    rows = "title,url,time_added,tags,status\nFerry,https://news.example/ferry,1700000000,,unread\n"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for n in range(parts):
            archive.writestr(f"part_{n:06d}.csv", rows)
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # local and central headers
        start = data.find(signature)
        while start != -1:
            data[start + offset] |= flag
            if method is not None:
                data[start + offset + 2 : start + offset + 4] = method.to_bytes(2, "little")
            start = data.find(signature, start + 4)
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(
    ("flag", "method", "problem"),
    [(1, None, "is encrypted, password required"), (0, 9, "That compression method is not supported")],
)
def test_an_encrypted_or_unsupported_zip_member_is_one_error(library, tmp_path, flag, method, problem):
    path = _pocket_zip(tmp_path / "pocket.zip", flag=flag, method=method)
    with pytest.raises(ArticleError, match=rf"^{path}: Pocket CSV zip: part_000000\.csv: .*{problem}"):
        import_file(library, path)


def test_a_zip_that_inflates_past_the_archive_limit_is_refused_whole(library, tmp_path, monkeypatch):
    from exporters.library.imports import items

    path = _pocket_zip(tmp_path / "pocket.zip", parts=4)
    monkeypatch.setattr("exporters.library.imports.MAX_ARCHIVE_BYTES", 200)  # declared: 4 x 85 bytes
    with pytest.raises(ArticleError, match=r"340 bytes uncompressed in all, over the 200-byte limit"):
        import_file(library, path)
    monkeypatch.setattr("exporters.library.imports.MAX_ARCHIVE_BYTES", 10_000)
    monkeypatch.setattr(items, "MAX_ARCHIVE_BYTES", 200)  # what is read counts too (entries may share data)
    with pytest.raises(ArticleError, match=r"part_000002\.csv: over 200 bytes uncompressed read in all"):
        import_file(library, path)
    assert by_url(library) == {}
