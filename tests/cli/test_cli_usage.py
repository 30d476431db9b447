"""What a run says and refuses: bad option values, unused options, terminals, dry runs, duplicates, counts."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
from dataclasses import dataclass

import pytest
from conftest import ROOT, SAMPLES
from typer.testing import CliRunner

import main
from exporters.cli import export as cli_export
from exporters.exporter import Exporter, ExportError, Rendered, option
from exporters.registry import Registry

ENV = {"NO_COLOR": "1", "COLUMNS": "100", "TERM": "dumb"}
NOTES = SAMPLES / "city-notes.json"
SITE = ["--site-url", "https://example.org/"]


def run(*args: str):
    return CliRunner().invoke(main.app, list(args), env=ENV)


def every_format(tmp_path) -> list[str]:
    """Outputs of every built-in option set, so no option given is unused."""
    return ["-o", str(tmp_path / "a.epub"), "-o", str(tmp_path / "a.pdf"), "-o", str(tmp_path / "a.rss"), *SITE]


def invalid(flag: str, problem: str) -> str:
    return f"Error: Invalid value for '{flag}': {problem}"


@pytest.mark.parametrize(
    "args, last_line",
    [
        (["--columns", "4"], "Error: pdf: --columns must be 1, 2 or 3, not 4"),
        (["--columns", "two"], invalid("--columns", "'two' is not a whole number")),
        (["--font-size", "30"], "Error: pdf: --font-size must be between 7 and 16 points, not 30"),
        (["--font-size", "big"], invalid("--font-size", "'big' is not a number")),
        (["--margin", "5"], "Error: pdf: --margin must be between 10 and 40 mm, not 5"),
        (["--paper", "b5"], invalid("--paper", "'b5' is not one of a4, letter")),
        (["--group-by", "week"], invalid("--group-by", "'week' is not one of none, site, date, tag")),
        (["--max-image-width", "wide"], invalid("--max-image-width", "'wide' is not a whole number")),
        (["--content", "teaser"], invalid("--content", "'teaser' is not one of full, summary, none")),
        (["--max-items", "many"], invalid("--max-items", "'many' is not a whole number")),
        (["--page-size", "1.5"], invalid("--page-size", "'1.5' is not a whole number")),
        (["--limit", "0"], invalid("--limit", "must be at least 1, not 0")),
        (["--limit", "x"], invalid("--limit", "'x' is not a whole number")),
        (["--sort", "newest"], invalid("--sort", "'newest' is not one of input, date, title")),
        (["--since", "yesterday"], invalid("--since", "'yesterday' is not a date (use YYYY-MM-DD or ISO 8601)")),
    ],
)
def test_a_bad_option_value_is_bad_usage_exit_2_in_our_words(tmp_path, args, last_line):
    result = run("export", str(NOTES), *every_format(tmp_path), *args)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == last_line
    assert "Value error" not in result.stderr and "Input should" not in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "args",
    [
        ["--max-image-width", "10"],
        ["--max-size", "5 potatoes"],
        ["--max-items", "0"],
        ["--page-size", "0"],
    ],
)
def test_an_option_value_an_exporter_refuses_is_bad_usage_before_anything_is_written(tmp_path, args):
    result = run("export", str(NOTES), *every_format(tmp_path), *args, "-q")
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: ") and args[0] in line
    assert list(tmp_path.iterdir()) == []


@dataclass(frozen=True)
class _CheckedOptions:
    columns: int = option(1, "Columns.")

    def __post_init__(self) -> None:
        if self.columns > 3:
            raise ExportError(f"checked: --columns must be at most 3, not {self.columns}")


class _Checked(Exporter):
    name = "checked"
    extensions = (".checked",)
    options_class = _CheckedOptions

    def render(self, collection, output_name, progress):
        return Rendered([b"ok"])


def test_an_options_class_refusing_a_value_when_built_is_bad_usage(tmp_path, monkeypatch):
    registry = Registry()
    registry.register(_Checked)
    monkeypatch.setattr(cli_export, "registry", registry)
    out = tmp_path / "out.checked"
    result = run("export", str(NOTES), "-o", str(out), "--columns", "9")
    assert (result.exit_code, result.stderr) == (2, "Error: checked: --columns must be at most 3, not 9\n")
    assert not out.exists()
    assert run("export", str(NOTES), "-o", str(out), "--columns", "2", "-q").exit_code == 0
    assert out.read_bytes() == b"ok"


def test_an_option_no_requested_output_uses_is_a_warning(tmp_path):
    out = tmp_path / "a.epub"
    result = run("export", str(NOTES), "-o", str(out), "--columns", "2", "--xsl", "--max-image-width", "600")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[:2] == [
        "Warning: --columns is not used by epub",
        "Warning: --xsl is not used by epub",
    ]
    assert out.exists()
    two = run("export", str(NOTES), "-o", str(out), "-o", str(tmp_path / "a.json"), "--paper", "letter", *SITE, "-q")
    assert (two.exit_code, two.stderr) == (0, "Warning: --paper is not used by epub, jsonfeed\n")


def _on_a_terminal(*args: str) -> tuple[int, bytes, str]:
    """Run the command with stdout on a pseudo-terminal: exit code, what reached the terminal, stderr."""
    leader, follower = pty.openpty()
    env = {"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "SOURCE_DATE_EPOCH": "1700000000"}
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), *args], stdout=follower, stderr=subprocess.PIPE, env=env
    )
    os.close(follower)
    shown = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal's other end closed: the process is done
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    stderr = process.stderr.read().decode() if process.stderr else ""
    return process.wait(30), shown, stderr


@pytest.mark.parametrize("fmt", ["pdf", "epub"])
def test_binary_output_is_never_written_to_a_terminal(fmt):
    code, shown, stderr = _on_a_terminal("export", str(NOTES), "-o", "-", "-t", fmt)
    assert (code, shown) == (2, b"")
    assert stderr == (
        f"Error: -o -: {fmt} output is binary and stdout is a terminal; "
        "redirect it to a file or a pipe, or use -o FILE\n"
    )


def test_binary_output_may_go_to_a_pipe():
    result = run("export", str(NOTES), "-o", "-", "-t", "pdf", "-q")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout_bytes.startswith(b"%PDF-") and result.stdout_bytes.rstrip().endswith(b"%%EOF")


def test_a_feed_may_be_shown_on_a_terminal():
    code, shown, stderr = _on_a_terminal("export", str(NOTES), "-o", "-", "-t", "jsonfeed", *SITE, "-q")
    assert (code, stderr) == (0, "")
    assert [item["title"] for item in json.loads(shown)["items"]] == [  # feeds: newest first
        "River buses return to the Dnipro in Kyiv",
        "Athens turns a tram depot into a public library",
    ]


def test_dry_run_lists_each_output_and_the_articles_and_writes_nothing(tmp_path):
    outputs = ["-o", str(tmp_path / "week.epub"), "-o", str(tmp_path / "site" / "feed.rss")]
    dates = ["--since", "2024-04-01", "--until", "2024-06-01"]
    result = run("export", str(SAMPLES), str(NOTES), *outputs, *SITE, "--page-size", "2", *dates, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"Would write {tmp_path / 'week.epub'} (epub, 3 articles)",
        f"Would write {tmp_path / 'site' / 'feed.rss'} (rss, 3 articles)",
        f"   1. Lyon café owners test a four-day week (2024-04-02; {SAMPLES / 'cafe-four-day-week.html'})",
        f"   2. Athens turns a tram depot into a public library (2024-05-06; {NOTES})",
        f"   3. River buses return to the Dnipro in Kyiv (2024-05-09; {NOTES})",
        "Would export 3 articles (9 read, 2 duplicates merged, 4 left out by the selection)",
    ]
    assert result.stderr == ""
    assert list(tmp_path.iterdir()) == []


def test_export_says_how_many_duplicates_were_merged(tmp_path):
    out = tmp_path / "notes.json"
    result = run("export", str(SAMPLES), str(NOTES), "-o", str(out), "--tag", "rail", *SITE)
    assert result.exit_code == 0, result.stderr
    assert (
        result.stderr.splitlines()[0]
        == "Exporting 1 article (9 read, 2 duplicates merged, 6 left out by the selection)"
    )


def test_inspect_applies_the_selection_and_lists_the_merged_duplicates():
    selection = ["--since", "2024-05-01", "--until", "2024-06-01", "--sort", "date", "--reverse"]
    result = run("inspect", str(SAMPLES), str(NOTES), *selection)
    assert result.exit_code == 0, result.stderr
    titles = [line for line in result.stdout.splitlines() if re.match(r"\d+\. ", line)]
    assert titles == [
        "1. River buses return to the Dnipro in Kyiv",
        "2. Athens turns a tram depot into a public library",
    ]
    assert result.stdout.splitlines()[-3:] == [
        f"duplicate: 'Athens turns a tram depot into a public library' from {NOTES}, merged into the one from {NOTES}",
        f"duplicate: 'River buses return to the Dnipro in Kyiv' from {NOTES}, merged into the one from {NOTES}",
        "2 articles (9 read, 2 duplicates merged, 5 left out by the selection)",
    ]


def test_inspect_json_holds_only_the_selected_articles():
    result = run("inspect", str(SAMPLES), "--json", "--tag", "rail", "--limit", "1")
    assert result.exit_code == 0, result.stderr
    assert [a["title"] for a in json.loads(result.stdout)["articles"]] == [
        "Night trains return to the Alps — and travellers are booking early"
    ]
    assert result.stderr == "1 article (7 read, 0 duplicates merged, 6 left out by the selection)\n"


def test_wrote_lines_count_the_articles_once_per_output(tmp_path):
    out = tmp_path / "feed.atom"
    result = run("export", str(SAMPLES), "-o", str(out), *SITE, "--author", "Tester", "--page-size", "3", "--xsl")
    assert result.exit_code == 0, result.stderr
    wrote = [line for line in result.stderr.splitlines() if line.startswith("Wrote ")]
    assert [line.split(" (")[0] for line in wrote] == [
        f"Wrote {tmp_path / 'feed.xsl'}",
        f"Wrote {tmp_path / 'feed-archive-1.atom'}",
        f"Wrote {tmp_path / 'feed-archive-2.atom'}",
        f"Wrote {out}",
    ]
    for line in wrote[:-1]:
        assert re.fullmatch(r"Wrote \S+ \([\d,]+ bytes\)", line), line
    assert wrote[-1] == f"Wrote {out} (atom, 7 articles, {out.stat().st_size:,} bytes)"
