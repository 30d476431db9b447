"""Which writing systems the installed fonts let the PDF exporter print, and which packages add the rest.

Only TrueType files (``.ttf``) count: reportlab cannot embed collections (``.ttc``) or CFF-based
OpenType fonts, so packages of those (``fonts-noto-cjk``, ``fonts-noto-color-emoji``) do not help.
This module asks fontconfig only; it does not import reportlab.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

__all__ = ["SCRIPTS", "Script", "ScriptCoverage", "installed_fonts", "script_coverage"]


@dataclass(frozen=True)
class Script:
    """A writing system: characters that stand for it, and the font packages that cover it."""

    name: str
    sample: str
    debian: str
    homebrew: str


#: The writing systems news is commonly in, each with a few characters typical of it.
SCRIPTS = (
    Script("Latin", "AzÉçŁőȘ", "fonts-dejavu-core", "font-dejavu"),
    Script("Greek", "ΑωΣλ", "fonts-dejavu-core", "font-dejavu"),
    Script("Cyrillic", "ЖяЁї", "fonts-dejavu-core", "font-dejavu"),
    Script("Armenian", "Աբգ", "fonts-dejavu-core", "font-dejavu"),
    Script("Georgian", "აბგ", "fonts-dejavu-core", "font-dejavu"),
    Script("Hebrew", "אבגש", "fonts-dejavu-core", "font-noto-sans-hebrew"),
    Script("Arabic", "ابتثی", "fonts-dejavu-core", "font-noto-sans-arabic"),
    Script("Devanagari", "कखगअ", "fonts-noto-core", "font-noto-sans-devanagari"),
    Script("Bengali", "অআকখ", "fonts-noto-core", "font-noto-sans-bengali"),
    Script("Tamil", "அஆகச", "fonts-noto-core", "font-noto-sans-tamil"),
    Script("Thai", "กขคง", "fonts-noto-core", "font-noto-sans-thai"),
    Script("Ethiopic", "ሀለሐመ", "fonts-noto-core", "font-noto-sans-ethiopic"),
    Script("Chinese", "中文的是", "fonts-droid-fallback", "font-noto-sans-sc"),
    Script("Japanese", "のアイ日", "fonts-droid-fallback", "font-noto-sans-jp"),
    Script("Korean", "한국어가", "fonts-droid-fallback", "font-noto-sans-kr"),
    Script("Emoji and symbols", "🌟⭐😀🚆", "fonts-symbola", "font-noto-emoji"),
)


@dataclass(frozen=True)
class ScriptCoverage:
    """One script and the installed TrueType families that print it (none when it would be placeholders)."""

    script: Script
    families: tuple[str, ...]


def installed_fonts() -> dict[Path, tuple[str, frozenset[int]]]:
    """Installed .ttf files with their family name and code points; FileNotFoundError without fontconfig."""
    if shutil.which("fc-list") is None:
        raise FileNotFoundError("fc-list")
    out = subprocess.run(
        ["fc-list", "--format", "%{file}\t%{family[0]}\t%{charset}\n"], capture_output=True, text=True, check=False
    ).stdout
    fonts: dict[Path, tuple[str, frozenset[int]]] = {}
    for line in sorted(out.splitlines()):
        file, _, rest = line.partition("\t")
        family, _, charset = rest.partition("\t")
        if not file.lower().endswith(".ttf"):
            continue
        points: set[int] = set()
        for part in charset.split():
            low, _, high = part.partition("-")
            points.update(range(int(low, 16), int(high or low, 16) + 1))
        fonts[Path(file)] = (family, frozenset(points))
    return fonts


def script_coverage(fonts: dict[Path, tuple[str, frozenset[int]]]) -> list[ScriptCoverage]:
    """For each of :data:`SCRIPTS`, the families that have all its sample characters, by name."""
    families: dict[str, set[int]] = {}
    for family, points in fonts.values():
        families.setdefault(family, set()).update(points)
    result = []
    for script in SCRIPTS:
        needed = {ord(c) for c in script.sample}
        result.append(ScriptCoverage(script, tuple(sorted(n for n, points in families.items() if needed <= points))))
    return result
