"""The code's own habits, checked by the suite: lint and format (ruff), types (mypy), no import circle."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import ROOT

MODULES = sorted(
    ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
    for path in (ROOT / "exporters").rglob("*.py")
)


def _run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)


def test_every_module_imports_on_its_own():
    # A fresh interpreter per module: an import circle shows only when its module is imported first.
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda name: (name, _run(sys.executable, "-c", f"import {name}")), MODULES))
    failed = {name: result.stderr.strip().splitlines()[-1] for name, result in results if result.returncode}
    assert len(MODULES) > 40 and failed == {}


@pytest.mark.parametrize(
    "command",
    [("ruff", "check", "--no-cache", "."), ("ruff", "format", "--check", "--no-cache", "."), ("mypy",)],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_code_is_clean(command):
    result = _run(sys.executable, "-m", *command)
    assert result.returncode == 0, result.stdout + result.stderr
