"""Text helpers shared by readers and exporters: clean, one-line and XML-safe text."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["clean_text", "cut_words", "one_line", "strip_control"]


# Control characters break XML outputs (lxml refuses them) and mean nothing in prose.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]")


def strip_control(text: str) -> str:
    """``text`` without the control characters and non-characters that XML outputs refuse."""
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


def one_line(text: str | None) -> str:
    """Clean text on one line: whitespace runs collapsed to single spaces, edges trimmed."""
    # str.split is several times faster than a \s+ regex on long text.
    return " ".join(clean_text(text or "").split())


def clean_text(text: str) -> str:
    """Normalise text for the model: NFC, no control characters, non-breaking spaces kept as spaces."""
    # The checks first: most text is already NFC and clean, and checking is cheaper than rewriting.
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return strip_control(text).replace("\u00a0", " ").replace("\u202f", " ")


def cut_words(text: str, limit: int) -> str:
    """``text`` if at most ``limit`` characters, else cut at the last word boundary before it, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit].rstrip(" ,;:.") + "…"
