"""The library commands end to end through the CLI: messages, exit codes, JSON output, export --from-library."""

from __future__ import annotations

import json
import sqlite3
import zipfile

import pytest
from conftest import SAMPLES
from typer.testing import CliRunner

import main

ENV = {"NO_COLOR": "1", "COLUMNS": "100", "TERM": "dumb"}


@pytest.fixture
def lib(tmp_path, monkeypatch):
    path = tmp_path / "lib.sqlite"
    monkeypatch.setenv("NEWSEXPORT_LIBRARY", str(path))
    return path


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main.app, list(args), env=ENV, input=input)


def listed(*args: str) -> list[dict]:
    result = run("list", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def samples(lib):
    result = run("add", "--no-images", str(SAMPLES))
    assert result.exit_code == 0, result.stderr
    return {a["title"]: a for a in listed()}


def test_add_saves_every_sample_and_list_shows_them(lib, samples):
    assert len(samples) == 7
    lines = run("list").stdout.splitlines()
    assert len(lines) == 7
    night = samples["Night trains return to the Alps — and travellers are booking early"]
    assert f"{night['short_id']}  " in run("list", "--search", "trains").stdout
    assert night["tags"] == ["europe", "rail", "travel"] and night["state"] == "unread"


def test_list_dates_are_parsed_as_export_parses_them(lib, samples):
    """``list --since/--until`` take the same dates as ``export`` (a day or ISO 8601) and refuse the rest."""
    published = sorted(a["published"][:10] for a in samples.values() if a["published"])
    inside = listed("--since", published[1], "--until", published[-1][:10] + "T23:59:59Z")
    assert sorted(a["published"][:10] for a in inside) == published[1:]
    result = run("list", "--until", "next friday")
    assert result.exit_code == 2
    assert "Invalid value for '--until': 'next friday' is not a date (use YYYY-MM-DD or ISO 8601)" in result.stderr


def test_show_prints_metadata_and_text_and_json(lib, samples):
    night = samples["Night trains return to the Alps — and travellers are booking early"]
    result = run("show", night["short_id"][:6])
    assert result.exit_code == 0
    assert result.stdout.startswith("Night trains return to the Alps")
    assert f"   id: {night['id']} ({night['short_id']})" in result.stdout
    [shown] = json.loads(run("show", "--json", night["id"]).stdout)
    assert shown["article"]["title"] == night["title"] and shown["sent"] == []


def test_tag_archive_star_and_their_filters(lib, samples):
    ids = [a["short_id"] for a in list(samples.values())[:2]]
    assert run("tag", *ids, "--add", "weekend", "--remove", "rail").exit_code == 0
    assert {a["id"][:8] for a in listed("--tag", "weekend")} == set(ids)
    result = run("archive", ids[0])
    assert (result.exit_code, result.stderr) == (0, "Archived 1 of 1 articles\n")
    assert [a["short_id"] for a in listed("--archived")] == [ids[0]]
    assert len(listed()) == 6 and len(listed("--all")) == 7
    assert run("star", ids[0]).exit_code == 0
    assert [a["short_id"] for a in listed("--starred")] == [ids[0]]  # starred, whatever the state
    assert run("unstar", ids[0]).exit_code == 0 and listed("--starred") == []
    assert run("unarchive", ids[0]).exit_code == 0 and listed("--archived") == []


def test_remove_asks_first(lib, samples):
    key = next(iter(samples.values()))["short_id"]
    refused = run("remove", key, input="n\n")
    assert refused.exit_code == 1 and refused.stderr.endswith("Error: nothing removed\n")
    assert len(listed()) == 7
    assert run("remove", "--yes", key).stderr == "Removed 1 articles\n"
    assert len(listed()) == 6


def test_an_unknown_id_and_a_bad_flag_combination_are_one_line_errors(lib, samples):
    result = run("archive", "abcdefabcdef")
    assert (result.exit_code, result.stderr) == (1, "Error: abcdefabcdef: no such article in the library\n")
    result = run("list", "--unread", "--archived")
    assert result.exit_code == 2 and "choose one of --unread, --archived and --all" in result.stderr


def test_a_file_that_is_not_a_library_is_named_and_left_alone(tmp_path):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    result = run("list", "--library", str(other))
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: {other}: not a newsexport library (another SQLite database)\n",
    )
    assert other.read_bytes() == before


def test_export_from_library_twice_gives_no_new_articles_and_marks_and_archives(lib, samples, tmp_path):
    book = tmp_path / "week.epub"
    args = ("export", "--from-library", "--not-sent-to", "kindle", "--mark-sent", "kindle", "--archive-after")
    first = run(*args, "--tag", "cities", "-o", str(book))
    assert first.exit_code == 0, first.stderr
    assert first.stderr.splitlines()[-1] == f"2 articles marked sent to kindle and archived in {lib}"
    with zipfile.ZipFile(book) as epub:
        chapters = [n for n in epub.namelist() if "/text/" in n or n.endswith(".xhtml")]
        text = " ".join(epub.read(n).decode() for n in chapters)
    assert "River buses return to the Dnipro" in text and "Athens turns a tram depot" in text
    assert "Night trains" not in text
    second = run(*args, "--tag", "cities", "-o", str(book))
    assert (second.exit_code, second.stderr) == (0, f"{lib}: no new articles to export for kindle\n")
    assert len(listed("--archived")) == 2
    [river] = [a for a in listed("--archived") if a["title"].startswith("River")]
    shown = json.loads(run("show", "--json", river["id"]).stdout)[0]
    assert [s["to"] for s in shown["sent"]] == ["kindle"]


def test_export_from_library_of_starred_articles_as_a_feed(lib, samples, tmp_path):
    key = samples["Lyon café owners test a four-day week"]["short_id"]
    run("star", key)
    run("archive", key)
    feed = tmp_path / "starred.atom"
    result = run(
        "export", "--from-library", "--starred", "--feed-url", "https://me.example/starred.atom", "-o", str(feed)
    )
    assert result.exit_code == 0, result.stderr
    assert feed.read_text().count("<entry>") == 1 and "Lyon café owners" in feed.read_text()


def test_export_needs_inputs_or_from_library_and_library_flags_need_it(lib):
    result = run("export", "-o", "x.epub")
    assert result.exit_code == 2 and "give files, directories or URLs to export, or --from-library" in result.stderr
    result = run("export", str(SAMPLES), "--mark-sent", "kindle", "-o", "x.epub")
    assert result.exit_code == 2 and "needs --from-library" in result.stderr


def test_import_reports_counts_and_skipped_rows_with_line_numbers(lib, tmp_path):
    export = tmp_path / "pocket.csv"
    export.write_text(
        "title,url,time_added,tags,status\nA,https://news.example/a,1700000000,x|y,unread\nB,ftp://x,1,,unread\n"
    )
    result = run("import", str(export))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Warning: skipped {export}: line 3: not an http(s) URL: 'ftp://x'",
        f"Imported {export} (Pocket CSV): added 1, updated 0, skipped 1, fetched 0, failed 0",
    ]
    [item] = listed()
    assert (item["tags"], item["fetched"]) == (["x", "y"], False)


def test_library_fetch_and_reextract_and_stats(lib, local_server, tmp_path):
    paragraphs = "".join(f"<p>Paragraph {n}: the ferry timetable changes for the winter season.</p>" for n in range(6))
    page = f"<!doctype html><html><head><title>Story number 1</title></head><body><article><h1>Story number 1</h1>{paragraphs}</article></body></html>"
    local_server.routes["/a"] = (200, {"Content-Type": "text/html"}, page.encode())
    export = tmp_path / "pocket.csv"
    export.write_text(f"title,url,time_added,tags,status\nLink,{local_server.url('/a')},1700000000,,unread\n")
    assert run("import", str(export)).exit_code == 0
    fetched = run("library", "fetch", "--allow-private-network")  # the export's links are content
    assert (fetched.exit_code, fetched.stderr) == (0, f"Fetched 1 articles, failed 0 ({lib})\n")
    [item] = listed()
    assert (item["title"], item["fetched"]) == ("Story number 1", True)
    local_server.routes.clear()
    again = run("library", "reextract")
    assert (again.exit_code, again.stderr) == (0, f"Extracted 1 articles again, failed 0 ({lib})\n")
    stats = json.loads(run("library", "stats", "--json").stdout)
    assert (stats["articles"], stats["unread"], stats["with_html"], stats["not_fetched"]) == (1, 1, 1, 0)


def test_a_failing_output_marks_and_archives_nothing(lib, samples, tmp_path):
    book, feed = tmp_path / "week.epub", tmp_path / "week.atom"  # the Atom feed fails: it needs --feed-url
    result = run(
        "export", "--from-library", "--mark-sent", "kindle", "--archive-after", "-o", str(book), "-o", str(feed)
    )
    assert result.exit_code == 1 and "the feed needs an id" in result.stderr
    assert len(listed()) == 7 and json.loads(run("library", "stats", "--json").stdout)["sent_to"] == {}


def test_export_from_library_over_the_library_file_is_refused_and_the_library_kept(tmp_path, monkeypatch):
    library = tmp_path / "saved.json"  # a library may have any name, a format's extension too
    monkeypatch.setenv("NEWSEXPORT_LIBRARY", str(library))
    assert run("add", "--no-images", str(SAMPLES / "night-trains-alps.md")).exit_code == 0
    before = library.read_bytes()
    for args in (("--library", str(library)), ()):
        result = run("export", "--from-library", *args, "-o", str(library))
        assert (result.exit_code, result.stderr) == (
            1,
            f"Error: {library}: is one of the inputs; choose another output file\n",
        )
    assert library.read_bytes() == before
    assert len(listed("--all")) == 1
