"""The newsexport command line: exit codes, messages, outputs and the seed article end to end."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES, SEED
from typer.testing import CliRunner

import main
from exporters import __version__
from exporters.cli import export as cli_export
from exporters.exporter import Exporter, ExportError
from exporters.registry import Registry

ENV = {"NO_COLOR": "1", "COLUMNS": "100", "TERM": "dumb"}


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main.app, list(args), env=ENV, input=input)


def test_version():
    result = run("--version")
    assert (result.exit_code, result.stdout) == (0, f"newsexport {__version__}\n")


def test_formats_lists_every_exporter_then_each_options_set_once():
    result = run("formats")
    assert result.exit_code == 0
    listing, *sections = result.stdout.split("\n\n")
    assert [line.split()[:2] for line in listing.splitlines()] == [
        ["atom", ".atom"],
        ["epub", ".epub"],
        ["jsonfeed", ".json"],
        ["pdf", ".pdf"],
        ["rss", ".rss"],
    ]
    headings = [section.splitlines()[0] for section in sections]
    assert headings == ["EPUB options (epub):", "PDF options (pdf):", "Feeds options (atom, jsonfeed, rss):"]
    assert result.stdout.count("--site-url URL") == 1 and result.stdout.count("--xsl") == 1
    # An option two options sets declare is listed in both, saying so.
    assert [s.count("--group-by [none|site|date|tag]") for s in sections] == [1, 1, 0]


def test_unknown_format_lists_the_valid_ones_with_exit_2(tmp_path):
    result = run("export", str(SAMPLES), "-o", str(tmp_path / "x.out"), "-t", "docx")
    assert result.exit_code == 2
    assert "unknown format 'docx'; valid formats: atom, epub, jsonfeed, pdf, rss" in result.stderr
    assert not (tmp_path / "x.out").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["-o", "book.doc"], "cannot tell the format of 'book.doc' from its extension; use -t FORMAT"),
        (["-o", "-"], "writing to stdout (-o -) needs -t FORMAT"),
        (["-o", "a.epub", "-o", "b.pdf", "-t", "epub"], "-t applies to a single output"),
        (["-o", "a.epub", "--since", "last week"], "'last week' is not a date (use YYYY-MM-DD or ISO 8601)"),
        (["-o", "a.epub", "-o", "a.epub"], "the same output file is named twice"),
        (["-o", "a.epub", "--sort", "random"], "Invalid value for '--sort'"),
    ],
)
def test_bad_usage_exits_2_with_a_message(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = run("export", str(SAMPLES), *args)
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())
    assert list(tmp_path.iterdir()) == []


def test_export_writes_every_format_from_one_read(tmp_path):
    outputs = [tmp_path / n for n in ("book.epub", "book.pdf", "feed.rss", "feed.atom", "feed.json")]
    args = [
        "--feed-url",
        "https://example.org/feed",
        "--site-url",
        "https://example.org/",
        "--description",
        "Saved",
        "--author",
        "Tester",
    ]
    result = run("export", str(SAMPLES), *sum((["-o", str(p)] for p in outputs), []), "--title", "Samples", *args)
    assert result.exit_code == 0, result.stderr
    for path in outputs:
        assert path.stat().st_size > 500
        assert f"Wrote {path} (" in result.stderr
    assert outputs[0].read_bytes()[:2] == b"PK" and outputs[1].read_bytes()[:5] == b"%PDF-"
    assert json.loads(outputs[4].read_text(encoding="utf-8"))["version"] == "https://jsonfeed.org/version/1.1"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in outputs)


def test_stdout_output_is_only_data(tmp_path):
    result = run("export", str(SAMPLES / "city-notes.json"), "-o", "-", "-t", "jsonfeed", "-q")
    assert result.exit_code == 0, result.stderr
    feed = json.loads(result.stdout)
    assert [i["title"] for i in feed["items"]] == [  # newest first
        "River buses return to the Dnipro in Kyiv",
        "Athens turns a tram depot into a public library",
    ]
    assert result.stderr == ""


def test_a_bad_input_is_skipped_with_a_warning_and_exit_1(tmp_path):
    bad = tmp_path / "[draft].md"
    bad.write_text("---\ntitle: [oops\n---\n", encoding="utf-8")
    out = tmp_path / "out.json"
    result = run("export", str(SAMPLES / "city-notes.json"), str(bad), "-o", str(out))
    assert result.exit_code == 1
    assert f"Warning: skipped {bad}: front matter is not valid YAML (line 2)" in result.stderr
    assert len(json.loads(out.read_text(encoding="utf-8"))["items"]) == 2
    assert "Traceback" not in result.stderr


def test_strict_stops_at_the_first_bad_input_and_writes_nothing(tmp_path):
    out = tmp_path / "out.json"
    result = run("export", str(tmp_path / "missing.txt"), str(SAMPLES), "-o", str(out), "--strict")
    assert result.exit_code == 1
    assert result.stderr.strip().endswith(f"Error: {tmp_path / 'missing.txt'}: no such file or directory")
    assert not out.exists()


def test_no_articles_is_an_error(tmp_path):
    result = run(
        "export", str(SAMPLES / "city-notes.json"), "-o", str(tmp_path / "o.json"), "--tag", "nothing-has-this"
    )
    assert (result.exit_code, result.stderr.strip()) == (1, "Error: no articles to export after filtering")


class _Broken(Exporter):
    name = "broken"
    extensions = (".broken",)
    description = "fails"

    def render(self, collection, output_name, progress):
        progress(1, len(collection.articles))
        raise ExportError("cannot render this")


class _Crashing(Exporter):
    name = "crashing"
    extensions = (".crash",)

    def render(self, collection, output_name, progress):
        raise RuntimeError("bug inside")


@pytest.mark.parametrize(
    "name, message",
    [
        ("out.broken", "out.broken: cannot render this"),
        ("out.crash", "out.crash: crashing export failed (RuntimeError: bug inside); this is a bug in newsexport"),
    ],
)
def test_a_failing_exporter_leaves_no_file_and_no_traceback(tmp_path, monkeypatch, name, message):
    registry = Registry()
    registry.register(_Broken)
    registry.register(_Crashing)
    monkeypatch.setattr(cli_export, "registry", registry)
    existing = tmp_path / name
    result = run("export", str(SAMPLES / "city-notes.json"), "-o", str(existing))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Exporting 2 articles (2 read, 0 duplicates merged, 0 left out by the selection)",
        f"Error: {tmp_path}/{message}",
    ]
    assert list(tmp_path.iterdir()) == []


def test_inspect_summary_and_json_round_trip(tmp_path):
    summary = run("inspect", str(SAMPLES / "city-notes.json"))
    assert summary.exit_code == 0
    assert summary.stdout.startswith("1. Athens turns a tram depot into a public library\n   id: https://citynotes")
    first = run("inspect", str(SAMPLES), "--json")
    assert first.exit_code == 0, first.stderr
    dump = tmp_path / "articles.json"
    dump.write_text(first.stdout, encoding="utf-8")
    second = run("inspect", str(dump), "--json", "--assets-dir", str(SAMPLES))  # its images are in samples/
    assert second.exit_code == 0
    assert second.stdout == first.stdout
    assert len(json.loads(first.stdout)["articles"]) == 7


def test_seed_is_read_as_the_clean_article():
    result = run("inspect", str(SEED), "--json")
    assert result.exit_code == 0, result.stderr
    [article] = json.loads(result.stdout)["articles"]
    assert article["title"] == "Russia and U.S. military leaders hold rare call over Moscow's role in Syria"
    texts = [" ".join(s["text"] for s in b.get("text", [])) for b in article["body"]]
    lead = "U.S. and Russian military leaders began talks Friday over Moscow's buildup in Syria"
    assert sum(t.startswith(lead) for t in texts) == 1
    assert [t for b, t in zip(article["body"], texts) if b["type"] == "heading"] == [
        "Russia may send ground forces",
        "U.S. wants to avoid escalation",
    ]
    [caption] = [b for b in article["body"] if b["type"] == "image"]
    assert caption["credit"] == "Carlos Barria/AP" and caption["caption"].startswith(
        "U.S. Secretary of State John Kerry says"
    )
    everything = json.dumps(article["body"], ensure_ascii=False)
    for chrome in (
        "Putin spokesman",
        "Renewed calls",
        "The National",
        "years agoVideo",
        "2:37",
        "1 of 0",
        "Pseudonyms",
        "By submitting a comment",
        "Carlos Barria/AP)",
        "\u00a0",
    ):
        assert chrome not in everything, chrome
    assert all(not s["text"].startswith(" ") for b in article["body"] for s in b.get("text", [])[:1])


def test_runs_as_python_main_py():
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--help"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
    )
    assert result.returncode == 0
    assert "export" in result.stdout and "inspect" in result.stdout and "formats" in result.stdout


def test_command_process_writes_everything_and_keeps_exit_codes(tmp_path):
    """``main.run`` (the installed ``newsexport`` command) ends the process without heap teardown:
    outputs must be complete, stdout and stderr flushed, and the exit codes those of the app."""
    env = {"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "SOURCE_DATE_EPOCH": "1700000000"}

    def command(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, str(ROOT / "main.py"), *args], capture_output=True, env=env, cwd=tmp_path
        )

    done = command("export", str(SAMPLES), "-o", "out.epub", "-o", "out.json", "--site-url", "https://example.org/")
    assert done.returncode == 0, done.stderr
    assert zipfile.ZipFile(tmp_path / "out.epub").testzip() is None
    assert len(json.loads((tmp_path / "out.json").read_bytes())["items"]) == 7
    assert [line.split(" (")[0] for line in done.stderr.decode().splitlines()] == [
        "Exporting 7 articles",
        "Wrote out.epub",
        "Wrote out.json",
    ]
    piped = command("export", str(SAMPLES), "-o", "-", "-t", "jsonfeed", "--site-url", "https://example.org/")
    # On stdout there is no file name to derive the feed's own URL from; the items are the same.
    assert piped.returncode == 0, piped.stderr
    assert json.loads(piped.stdout)["items"] == json.loads((tmp_path / "out.json").read_bytes())["items"]
    failed = command("export", "missing.md", "-o", "x.epub")
    assert failed.returncode == 1 and not (tmp_path / "x.epub").exists()
    assert failed.stderr.decode().splitlines() == [
        "Warning: skipped missing.md: no such file or directory",
        "Error: no articles to export (all inputs were skipped)",
    ]
    assert command("export").returncode == 2
    assert command("--version").stdout.decode() == "newsexport 0.1.0\n"


def test_feed_companion_files_are_written_beside_the_feed(tmp_path):
    out = tmp_path / "site" / "feed.rss"
    result = run(
        "export",
        str(SAMPLES),
        "-o",
        str(out),
        "--site-url",
        "https://example.org/",
        "--feed-url",
        "https://example.org/feed.rss",
        "--xsl",
        "--page-size",
        "3",
    )
    assert result.exit_code == 0, result.stderr
    written = [
        line.split(" (")[0].removeprefix("Wrote ") for line in result.stderr.splitlines() if line.startswith("Wrote ")
    ]
    names = [Path(p).name for p in written]
    assert names == ["feed.xsl", "feed-archive-1.rss", "feed-archive-2.rss", "feed.rss"]
    assert sorted(p.name for p in out.parent.iterdir()) == sorted(names)
    assert b"<?xml-stylesheet" in out.read_bytes()
    piped = run("export", str(SAMPLES), "-o", "-", "-t", "rss", "--site-url", "https://example.org/", "--xsl")
    assert piped.exit_code == 1
    assert piped.stderr.splitlines()[-1] == "Error: rss: --page-size and --xsl write files beside the feed: use -o FILE"


def test_each_feed_file_links_to_itself_beside_the_site(tmp_path):
    from lxml import etree

    result = run(
        "export",
        str(SAMPLES),
        "-o",
        str(tmp_path / "feed.rss"),
        "-o",
        str(tmp_path / "feed.atom"),
        "--site-url",
        "https://example.org/news/",
        "--author",
        "Tester",
    )
    assert result.exit_code == 0, result.stderr
    atom_ns = "{http://www.w3.org/2005/Atom}"
    rss = etree.parse(str(tmp_path / "feed.rss"))
    [rss_self] = rss.findall(f"channel/{atom_ns}link[@rel='self']")
    assert (rss_self.get("href"), rss_self.get("type")) == ("https://example.org/news/feed.rss", "application/rss+xml")
    atom = etree.parse(str(tmp_path / "feed.atom")).getroot()
    [atom_self] = atom.findall(f"{atom_ns}link[@rel='self']")
    assert (atom_self.get("href"), atom_self.get("type")) == (
        "https://example.org/news/feed.atom",
        "application/atom+xml",
    )
    assert atom.findtext(f"{atom_ns}id") == "https://example.org/news/feed.atom"
