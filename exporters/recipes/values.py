"""The types a recipe's values must have, in the words its error messages use.

One place answers "is this TOML value of that type?" for the recipe's own keys (the SMTP
settings, a library source's selection) and for an output's options, whose types are those of
the format's options class.
"""

from __future__ import annotations

import math
from pathlib import Path
from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin

__all__ = ["type_problem", "kind_of"]

#: How a message names each type a value must have.
_NAMES: dict[Any, str] = {bool: "true or false", int: "a whole number", float: "a number", str: "a string"}


def type_problem(value: Any, hint: Any) -> str | None:
    """What is wrong with ``value`` for a key of type ``hint`` ("must be ..."), or None.

    ``hint`` is a type or an annotation (``int | None``, ``Literal["a", "b"]``, ``Path``); a
    type not named here is not checked. true and false are no numbers, and a number must be finite.
    """
    args = [a for a in get_args(hint) if a is not type(None)]
    if get_origin(hint) in (Union, UnionType) and len(args) == 1:
        hint, args = args[0], list(get_args(args[0]))
    if hint is Path:
        hint = str
    if get_origin(hint) is Literal:
        return None if value in args else f"must be one of {', '.join(map(str, args))}"
    if hint not in _NAMES:
        return None
    if hint is bool:
        fits = isinstance(value, bool)
    elif hint is int:
        fits = isinstance(value, int) and not isinstance(value, bool)
    elif hint is float:
        fits = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    else:
        fits = isinstance(value, hint)
    return None if fits else f"must be {_NAMES[hint]}"


def kind_of(value: Any) -> str:
    """What a TOML value is, for a message: "a string", "a number", "a table"..."""
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)
