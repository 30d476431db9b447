"""Saved-page extraction measured on the shared readability corpus, tuning and held-out halves apart.

One pass over the corpus per session (the scores are cached); the figures of both halves, and
bare trafilatura's beside them, are printed in the terminal summary and carried in every
assertion message. The held-out half is what the targets are judged on: rules are tuned on
the other half, and a gap between the two would show a rule that only fits its own pages.
"""

from __future__ import annotations

from functools import cache

import pytest
from conftest import CORPUS

from bench.html_reader_corpus import (
    CorpusScore,
    byline_matches,
    half_of,
    measure_corpus,
    shingle_f1,
    token_f1,
    trafilatura_extractor,
)

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")

TITLE_TARGET = 0.95
F1_TARGET = 0.96
#: The held-out half may trail the tuning half by at most this much body F1.
GAP = 0.02
# Not targets of the issue: floors so byline and date extraction cannot silently regress.
BYLINE_FLOOR = 0.90
DATE_FLOOR = 0.95


@cache
def corpus_scores() -> tuple[CorpusScore, CorpusScore]:
    """The reader's and bare trafilatura's scores over every corpus page, computed once."""
    return measure_corpus(), measure_corpus(trafilatura_extractor)


def _figures(ours: CorpusScore, theirs: CorpusScore) -> str:
    return "\n".join(
        f"{label:17} {half:8} {score.half(half).summary()}"
        for label, score in (("HTML reader", ours), ("bare trafilatura", theirs))
        for half in ("tuning", "held-out")
    )


@pytest.fixture(scope="module")
def scores(request) -> tuple[CorpusScore, CorpusScore]:
    result = corpus_scores()
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        # Shown whether or not output capture is on (xdist workers have no terminal: nothing shown).
        with capture.global_and_fixture_disabled():
            reporter.write_line("\nSaved pages of the corpus:\n" + _figures(*result))
    return result


@pytest.fixture(scope="module")
def held_out(scores) -> CorpusScore:
    return scores[0].half("held-out")


def test_corpus_pages_are_all_read_in_two_fixed_halves(scores):
    ours, _ = scores
    assert len(ours.pages) == 110
    assert [(p.name, p.error) for p in ours.pages if p.error] == []
    assert (len(ours.half("tuning").pages), len(ours.half("held-out").pages)) == (56, 54)


def test_held_out_title_exact_meets_target(scores, held_out):
    assert held_out.title_rate >= TITLE_TARGET, _figures(*scores)


def test_held_out_body_f1_meets_target_and_beats_bare_trafilatura(scores, held_out):
    ours, theirs = scores
    assert held_out.mean_f1 >= F1_TARGET, _figures(*scores)
    for half in ("tuning", "held-out"):
        assert ours.half(half).mean_f1 >= theirs.half(half).mean_f1, _figures(*scores)


def test_held_out_half_is_within_the_gap_of_the_tuning_half(scores, held_out):
    assert scores[0].half("tuning").mean_f1 - held_out.mean_f1 <= GAP, _figures(*scores)


def test_bylines_and_dates_found_where_the_page_states_them(scores):
    ours, _ = scores
    assert (ours.bylines, ours.dates) == (61, 28)
    assert ours.byline_rate >= BYLINE_FLOOR, _figures(*scores)
    assert ours.date_rate >= DATE_FLOOR, _figures(*scores)


def test_metric_definitions():
    # Words are lowercased \w+ runs; each CJK character is a token of its own.
    assert token_f1("Hello, world", "hello world") == 1.0
    assert token_f1("宇航员", "宇航") == pytest.approx(0.8)
    assert token_f1("", "") == 1.0 and token_f1("a", "") == 0.0
    # Shingles see order: the same words swapped around share no 4-word run.
    assert token_f1("a b c d e f", "d e f a b c") == 1.0
    assert shingle_f1("a b c d e f", "d e f a b c") == 0.0
    assert byline_matches(("John C. Welch",), "By John C Welch, March 2015")
    assert not byline_matches((), "By someone")
    assert not byline_matches(("Ann Lee", "Bo Chen"), "By Ann Lee")


def test_halves_are_fixed_by_the_folder_name():
    assert half_of("any-page") == half_of("any-page")
    assert {half_of(f"page-{n}") for n in range(20)} == {"tuning", "held-out"}
