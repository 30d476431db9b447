"""The feeds through the command line: summaries, order, paging and merging, checked by parsing the files."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import feedparser
import lxml.html
from conftest import SAMPLES
from feed_checks import FEED_URL, RULES, SITE, A, cli, entries_of
from lxml import etree
from typer.testing import CliRunner

from exporters.model import body_text
from exporters.readers import read_inputs
from main import app


def test_cli_rss_without_a_link_fails_naming_the_flag_and_writes_nothing(tmp_path):
    out = tmp_path / "feed.rss"
    result = cli("export", str(SAMPLES / "harbour-notes.rss"), "-o", str(out))
    assert result.exit_code == 1
    assert f"Error: {out}: rss: the channel needs a link: pass --site-url (or --feed-url)" in result.stderr
    assert not out.exists()


def test_cli_merge_twice_changes_nothing(tmp_path):
    out = tmp_path / "feed.atom"
    common = ["-o", str(out), "--site-url", SITE, "--feed-url", FEED_URL, "--author", "Desk", "-q"]
    assert cli("export", str(SAMPLES / "city-notes.json"), *common).exit_code == 0
    first = out.read_bytes()
    merge = [
        "export",
        str(SAMPLES / "harbour-notes.rss"),
        str(SAMPLES / "city-notes.json"),
        *common,
        "--merge",
        str(out),
    ]
    result = cli(*merge)
    assert result.exit_code == 0, result.stderr
    merged = out.read_bytes()
    assert entries_of("atom", first) == entries_of("atom", merged)[-2:]
    assert len(entries_of("atom", merged)) == 4
    assert cli(*merge).exit_code == 0
    assert out.read_bytes() == merged


# -- summaries, order and paging through the command line ---------------------------------------------
SAMPLE_SITE = ["--site-url", SITE, "--author", "Desk", "-q"]
#: The samples by date, newest first; the one undated article (copied text) comes last.
NEWEST_FIRST = [
    "Fish market gets a new roof — and solar panels",
    "Ferry timetable changes for the winter season",
    "River buses return to the Dnipro in Kyiv",
    "Athens turns a tram depot into a public library",
    "Lyon café owners test a four-day week",
    "Night trains return to the Alps — and travellers are booking early",
    "Russia and U.S. military leaders hold rare call over Moscow's role in Syria",
]
#: The fish market article's summary arrives as HTML (<p>, <blockquote>) from the sample feed.
FISH_SUMMARY = (
    "The 1960s fish market will close for three weeks in January while its roof is replaced. The new roof "
    "carries 240 solar panels, enough to run the ice plant on sunny days. We pay more for ice than for anything "
    "except fuel. Traders will sell from a temporary hall on the north quay…"
)


def export_samples(tmp_path, *extra: str) -> dict[str, bytes]:
    outputs = [tmp_path / name for name in ("feed.rss", "feed.atom", "feed.json")]
    result = cli("export", str(SAMPLES), *(a for out in outputs for a in ("-o", str(out))), *SAMPLE_SITE, *extra)
    assert result.exit_code == 0, result.stderr
    return {out.suffix[1:]: out.read_bytes() for out in outputs}


def summaries(feeds: dict[str, bytes]) -> dict[str, dict[str, str]]:
    """Each feed's summaries by entry title, as a reader shows them: HTML parsed to text where the format says HTML."""
    rss = {
        e.title: lxml.html.fragment_fromstring(e.summary, create_parent="p").text_content()
        for e in feedparser.parse(feeds["rss"]).entries
    }
    atom_root = etree.fromstring(feeds["atom"])
    atom = {}
    for entry in atom_root.iterfind(A + "entry"):
        [summary] = entry.findall(A + "summary")
        assert summary.get("type") == "text" and len(summary) == 0
        atom[entry.findtext(A + "title")] = summary.text
    jsonfeed = {i["title"]: i["summary"] for i in json.loads(feeds["json"])["items"]}
    return {"rss": rss, "atom": atom, "json": jsonfeed}


def test_cli_summaries_are_plain_text_of_the_articles_first_words(tmp_path):
    feeds = export_samples(tmp_path)
    by_format = summaries(feeds)
    assert by_format["rss"] == by_format["atom"] == by_format["json"]
    fish = by_format["rss"]["Fish market gets a new roof — and solar panels"]
    assert fish == FISH_SUMMARY
    assert not [text for texts in by_format.values() for text in texts.values() if "<" in text or "&" in text]
    [fish_article] = [a for a in read_inputs([str(SAMPLES)]).articles if a.title.startswith("Fish market")]
    body = " ".join(body_text(fish_article.body).split())
    # The body's first words (the feed gave them as HTML), cut before a word.
    assert body.startswith(fish[:-1]) and body[len(fish) - 1] == " "


def test_cli_summary_of_an_article_without_one_is_its_first_words_cut_at_a_word(tmp_path):
    words = [f"word{n}" for n in range(100)]
    (tmp_path / "long.md").write_text(
        "---\ntitle: Long\ndate: 2024-01-01T00:00:00Z\nurl: https://x.example/long\n---\n\n" + " ".join(words) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "feed.json"
    assert cli("export", str(tmp_path / "long.md"), "-o", str(out), *SAMPLE_SITE).exit_code == 0
    [item] = json.loads(out.read_bytes())["items"]
    summary = item["summary"]
    assert summary.endswith("…") and len(summary) <= 281
    kept = summary[:-1].split(" ")
    assert kept == words[: len(kept)]  # whole words only, the first ones
    assert len(" ".join(words[: len(kept) + 1])) > 280  # and as many as fit


def titles(feeds: dict[str, bytes]) -> dict[str, list[str]]:
    return {
        "rss": [e.title for e in feedparser.parse(feeds["rss"]).entries],
        "atom": [e.findtext(A + "title") for e in etree.fromstring(feeds["atom"]).iterfind(A + "entry")],
        "json": [i["title"] for i in json.loads(feeds["json"])["items"]],
    }


def test_cli_feeds_list_the_newest_first_and_sort_input_keeps_the_input_order(tmp_path):
    assert titles(export_samples(tmp_path)) == {name: NEWEST_FIRST for name in ("rss", "atom", "json")}
    result = cli("inspect", str(SAMPLES))
    input_order = [line.split(". ", 1)[1] for line in result.stdout.splitlines() if re.match(r"\d+\. ", line)]
    assert sorted(input_order) == sorted(NEWEST_FIRST) and input_order != NEWEST_FIRST
    as_given = titles(export_samples(tmp_path, "--sort", "input"))
    assert as_given == {name: input_order for name in ("rss", "atom", "json")}
    oldest_first = titles(export_samples(tmp_path, "--sort", "date"))
    assert oldest_first["rss"] == NEWEST_FIRST[-2::-1] + NEWEST_FIRST[-1:]  # as asked: oldest first, undated last


def test_cli_undated_article_gets_the_build_time_as_atom_updated(tmp_path):
    out = tmp_path / "feed.atom"
    result = CliRunner().invoke(
        app,
        ["export", str(SAMPLES / "cbc-russia-us-syria-call.txt"), "-o", str(out), *SAMPLE_SITE],
        env={"NO_COLOR": "1", "COLUMNS": "100", "SOURCE_DATE_EPOCH": "1700000000"},
    )
    assert result.exit_code == 0, result.stderr
    [entry] = etree.fromstring(out.read_bytes()).iterfind(A + "entry")
    assert entry.find(A + "published") is None
    assert datetime.fromisoformat(entry.findtext(A + "updated")) == datetime.fromtimestamp(1700000000, UTC)


def test_cli_page_size_puts_the_newest_page_in_the_feed_and_older_pages_in_archives(tmp_path):
    export_samples(tmp_path, "--page-size", "3")
    rss = {p.name: p.read_bytes() for p in sorted(tmp_path.glob("feed*.rss"))}
    assert list(rss) == ["feed-archive-1.rss", "feed-archive-2.rss", "feed.rss"]
    pages = {name: [e.title for e in feedparser.parse(data).entries] for name, data in rss.items()}
    assert pages["feed.rss"] == NEWEST_FIRST[:3]
    assert pages["feed-archive-2.rss"] == NEWEST_FIRST[3:4]
    assert pages["feed-archive-1.rss"] == NEWEST_FIRST[4:]
    for name, data in rss.items():
        RULES["rss"](data, len(pages[name]))
    atom = etree.fromstring((tmp_path / "feed.atom").read_bytes())
    assert [e.findtext(A + "title") for e in atom.iterfind(A + "entry")] == NEWEST_FIRST[:3]
    assert json.loads((tmp_path / "feed.json").read_bytes())["next_url"] == SITE + "feed-archive-2.json"
