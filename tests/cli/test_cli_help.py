"""Help text and shell completion: panels by format, plain metavars, defaults only where there are some."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import ROOT
from typer.testing import CliRunner

import main

ENV = {"NO_COLOR": "1", "COLUMNS": "100", "TERM": "dumb"}


def help_of(*command: str) -> str:
    # CliRunner forces click's help width to 80 columns unless told the terminal's.
    result = CliRunner().invoke(main.app, [*command, "--help"], env=ENV, terminal_width=100)
    assert result.exit_code == 0, result.output
    return result.stdout


def sections(text: str) -> dict[str, list[str]]:
    """Help sections by heading, each as its rows, a wrapped help line joined to its row, spaces collapsed."""
    found: dict[str, list[str]] = {}
    rows: list[str] | None = None
    for line in text.splitlines():
        if re.fullmatch(r"[A-Z][\w ]*:", line):
            rows = found.setdefault(line[:-1], [])
        elif rows is None or not line.strip():
            continue
        elif line.startswith("   "):
            rows[-1] += " " + " ".join(line.split())
        else:
            rows.append(" ".join(line.split()))
    return found


def test_export_help_fits_in_about_sixty_lines_of_100_columns():
    text = help_of("export")
    lines = text.splitlines()
    # 60 lines before the library's export options (their own panel, 13 lines) came.
    assert len(lines) <= 72, len(lines)
    assert max(len(line) for line in lines) <= 100
    assert lines[0] == "Usage: newsexport export [OPTIONS] [INPUT...]"  # none with --from-library


@pytest.mark.parametrize("command", ["export", "inspect"])
def test_help_has_only_plain_metavars_and_no_empty_defaults(command):
    text = help_of(command)
    for typed in ("<list[", "<str>", "<int", "<float>", "<bool>", "<path>", "range>", "{", "[default: None]"):
        assert typed not in text, typed


def test_export_options_are_grouped_in_panels_named_by_format():
    found = sections(help_of("export"))
    assert list(found) == ["Arguments", "Options", "Selection", "Library", "EPUB", "PDF", "Feeds"]
    flags = {title: [line.split()[0].rstrip(",") for line in rows] for title, rows in found.items()}
    assert flags["Arguments"] == ["INPUT..."]
    assert flags["Selection"] == ["--since", "--until", "--tag", "--limit", "--sort", "--reverse"]
    assert flags["Options"][:3] == ["-o", "-t", "--title"]
    assert {"--dry-run", "--strict", "-q", "--help"} <= set(flags["Options"])
    assert {"--paper", "--columns", "--font-size", "--margin"} <= set(flags["PDF"])
    assert {"--max-image-width", "--cover", "--css", "--max-size"} <= set(flags["EPUB"])
    # The three feeds share one options set: each of its flags is listed once, under Feeds.
    assert {"--site-url", "--feed-url", "--page-size", "--xsl", "--merge"} <= set(flags["Feeds"])
    every = [flag for rows in flags.values() for flag in rows]
    assert len(every) == len(set(every))


def test_help_shows_a_default_only_where_there_is_one():
    rows = {row.split()[0]: row for rows in sections(help_of("export")).values() for row in rows}
    assert rows["--max-image-width"].startswith("--max-image-width PX ")
    assert rows["--max-image-width"].endswith("[default: 1200]")
    assert rows["--sort"].startswith("--sort [input|date|title] ")
    assert rows["--paper"].endswith("[default: a4]")
    assert rows["--margin"].endswith("[default: 18]")
    for flag in ("--cover", "--site-url", "--max-items", "--grayscale", "--since", "--limit", "--xsl"):
        assert "[default" not in rows[flag], flag
    assert rows["--since"] == "--since DATE Published on or after DATE."
    assert rows["--limit"] == "--limit N At most N articles."


def test_inspect_takes_the_selection_options():
    found = sections(help_of("inspect"))
    assert [row.split()[0] for row in found["Selection"]] == [
        "--since",
        "--until",
        "--tag",
        "--limit",
        "--sort",
        "--reverse",
    ]


def test_shell_completion_is_on():
    top = help_of()
    assert "--install-completion" in top and "--show-completion" in top
    # Typer's switch for naming the shell instead of detecting it (it reads it when the app is made).
    env = {"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    shown = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--show-completion", "bash"], capture_output=True, text=True, env=env
    )
    assert shown.returncode == 0, shown.stderr
    assert "complete -o default -F _mainpy_completion main.py" in shown.stdout


@pytest.mark.parametrize(
    "words, offered",
    [
        ("newsexport export --pa", ["--paper", "--page-size"]),
        ("newsexport export --paper ", ["a4", "letter"]),
        ("newsexport export --group-by s", ["site"]),
        ("newsexport inspect --so", ["--sort"]),
    ],
)
def test_completion_offers_options_and_their_choices(words, offered):
    env = {**ENV, "_NEWSEXPORT_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(words.count(" "))}
    result = CliRunner().invoke(main.app, [], prog_name="newsexport", env=env)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == offered
