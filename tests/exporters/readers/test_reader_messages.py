"""What a reader says about a value it cannot take: in the user's terms, naming the input, never Python's wording."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import main
from exporters.readers import read_input

ENV = {"NO_COLOR": "1", "COLUMNS": "100", "TERM": "dumb", "SOURCE_DATE_EPOCH": "1700000000"}
BODY = "Enough words in this body to count as the text of a short article."
SKIPPED = "Error: no articles to export (all inputs were skipped)"


def export(*args: str, stdin: bytes | None = None):
    result = CliRunner().invoke(main.app, ["export", *args], env=ENV, input=stdin)
    assert "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_stdin_of_no_known_kind_is_named_as_dash(tmp_path):
    result = export("-", "-o", str(tmp_path / "o.epub"), stdin=bytes(range(1, 256)) * 8)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Warning: skipped -: unknown input kind (expected one of .atom, .htm, .html, .json, .jsonl, .markdown, .md, "
        ".mdown, .mkd, .ndjson, .rdf, .rss, .text, .txt, .xhtml)",
        SKIPPED,
    ]


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("0000-01-01", "not a date: '0000-01-01'"),
        ("2024-13-01", "not a date: '2024-13-01'"),
        ("2024-01-01T00:00:00+25:00", "not a date: '2024-01-01T00:00:00+25:00' (timezone offset out of range)"),
    ],
)
def test_an_impossible_yaml_date_is_named_in_the_front_matter(tmp_path, value, problem):
    path = tmp_path / "a.md"
    path.write_text(f"---\ntitle: T\ndate: {value}\n---\n{BODY}\n", encoding="utf-8")
    result = export(str(path), "-o", str(tmp_path / "o.epub"))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"Warning: skipped {path}: front matter: {problem}", SKIPPED]


def test_a_possible_yaml_date_is_still_a_date(tmp_path):
    path = tmp_path / "a.md"
    path.write_text(f"---\ntitle: T\ndate: 2024-02-29\n---\n{BODY}\n", encoding="utf-8")
    [article] = read_input(str(path))
    assert article.published.isoformat() == "2024-02-29T00:00:00+00:00"


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        (
            "huge.json",
            '{"title": "T", "content_text": "x", "n": ' + "7" * 5000 + "}",
            "number too long (over 4,300 digits)",
        ),
        ("deep.json", '{"title": "T", "n": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
        (
            "huge.jsonl",
            '{"title": "T", "text": "x"}\n{"n": ' + "7" * 5000 + "}\n",
            "line 2: number too long (over 4,300 digits)",
        ),
        ("deep.jsonl", '{"title": "T", "text": "x"}\n\n' + "[" * 100_000 + "\n", "line 3: nested too deeply"),
    ],
    ids=["long-number", "deep", "long-number-line", "deep-line"],
)
def test_json_numbers_too_long_and_nesting_too_deep_are_said_plainly(tmp_path, name, text, problem):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = export(str(path), "-o", str(tmp_path / "o.epub"))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"Warning: skipped {path}: {problem}", SKIPPED]


def test_a_page_whose_json_ld_nests_too_deeply_is_read_without_it(tmp_path):
    path = tmp_path / "page.html"
    deep = "[" * 100_000 + "]" * 100_000
    path.write_text(
        f'<html><head><title>Harbour</title><script type="application/ld+json">{{"@type": "NewsArticle", "x": {deep}}}'
        f"</script></head><body><article><h1>Harbour</h1><p>{BODY * 5}</p></article></body></html>",
        encoding="utf-8",
    )
    [article] = read_input(str(path))
    assert article.title == "Harbour"
