"""A bounded fuzz run in the suite: mutants of every sample never end in a traceback (see bench/fuzz.py)."""

from __future__ import annotations

from bench.fuzz import fuzz, samples


def test_mutated_samples_end_in_exit_0_1_or_2_without_traceback():
    rounds = 12
    runs, problems = fuzz(seed=13, per_sample=rounds)
    assert runs == 2 * rounds * len(samples())
    assert problems == []
