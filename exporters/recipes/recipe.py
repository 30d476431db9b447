"""A recipe: one TOML file saying where articles come from and what to make of them.

Loading checks everything before any network access: an unknown key or a bad value is a
:class:`RecipeError` naming the file, the line and the key.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from string import Formatter
from typing import Any

from exporters.html.sanitize import safe_url
from exporters.pipeline.localfile import MAX_LIST_BYTES, read_regular_file
from exporters.recipes.values import kind_of, type_problem

__all__ = ["Recipe", "Source", "Output", "Delivery", "Smtp", "RecipeError", "load_recipe", "expand_path"]


class RecipeError(ValueError):
    """A recipe that cannot be used: ``FILE:LINE: KEY: problem``."""


@dataclass(frozen=True)
class Source:
    """Where articles come from: exactly one of a feed URL, an OPML file, a URL list, local files or the library."""

    kind: str  # "feed", "opml", "urls", "files" or "library"
    value: str  # the URL or the path (absolute); "" for the library; for files, the paths one a line
    max_articles: int | None = None
    oldest_days: float | None = None
    full_text: str = "auto"  # "auto", "always" or "never"
    tags: tuple[str, ...] = ()
    #: For a library source: the selection (unread, starred, archived, tag, site).
    query: tuple[tuple[str, Any], ...] = ()

    @property
    def paths(self) -> list[str]:
        """The local files the source reads: its files, or its OPML or URL list; none for a feed or the library."""
        if self.kind == "files":
            return self.value.split("\n")
        return [self.value] if self.kind in ("opml", "urls") else []


@dataclass(frozen=True)
class Output:
    """A file the recipe writes: a path template and the format's options by their field names."""

    path: str
    options: tuple[tuple[str, Any], ...] = ()
    line: int = 0
    #: Feeds only: the URL the run's EPUB is published under (its file name appended) for the newest entry's enclosure.
    enclosure_base_url: str | None = None

    def target(self, when: datetime, run: int) -> Path:
        """The output's path for the run started at ``when``, numbered ``run``."""
        return Path(render_template(self.path, when, run))


@dataclass(frozen=True)
class Smtp:
    """How to reach the mail server; the password is read from the environment variable it names."""

    host: str
    port: int = 587
    starttls: bool = True
    ssl: bool = False
    user: str = ""
    password_env: str = ""
    sender: str = ""


@dataclass(frozen=True)
class Delivery:
    """Where each book goes after it is written."""

    email: str
    smtp: Smtp


@dataclass(frozen=True)
class Recipe:
    """A loaded, checked recipe."""

    path: Path
    title: str
    sources: tuple[Source, ...]
    outputs: tuple[Output, ...]
    library: Path | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None
    delivery: Delivery | None = None
    #: The name the library records deliveries under (the file's stem unless ``name`` is given).
    name: str = ""

    def title_for(self, when: datetime, run: int) -> str:
        """The collection title for the run started at ``when``, numbered ``run``."""
        return render_template(self.title, when, run)


_TOP = {"title", "library", "name", "author", "lang", "source", "output", "deliver"}
_SOURCE_KINDS = ("feed", "opml", "urls", "files", "library")
_SOURCE_OPTIONS = {"max_articles", "oldest_days", "full_text", "tags"}
_LIBRARY_QUERY = {"unread": bool, "starred": bool, "archived": bool, "tag": str, "site": str}
_SMTP = {"host": str, "port": int, "starttls": bool, "ssl": bool, "user": str, "password_env": str, "from": str}
_FULL_TEXT = ("auto", "always", "never")
_ENCLOSURE_BASE = "enclosure_base_url"
#: ``oldest_days`` is at most a century (inf, nan and 1e300 are no age); a ``{run}`` is at most this wide.
_OLDEST_DAYS = 36_500
_RUN_WIDTH = 20
#: The strftime directives every platform's C library knows.
_STRFTIME = set("aAbBcdfHIjmMpSUwWxXyYzZGuV%")


def load_recipe(path: Path, *, output_fields: Any = None) -> Recipe:
    """Read and check the recipe at ``path``.

    ``output_fields(path)`` answers, for an output path, the set of option names its format
    takes (or raises ``ValueError`` with a message when the path names no format); without it
    output options are not checked.
    """
    try:
        text = read_regular_file(path, MAX_LIST_BYTES).decode("utf-8").removeprefix("\ufeff")  # editors' BOM
    except (OSError, UnicodeDecodeError) as exc:
        raise RecipeError(f"{path}: cannot read the recipe ({getattr(exc, 'strerror', None) or exc})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RecipeError(f"{path}: not valid TOML ({exc})") from None
    return _Checker(path, text, output_fields).recipe(data)


def render_template(template: str, when: datetime, run: int) -> str:
    """``template`` with ``{date:STRFTIME}`` and ``{run}`` filled in."""
    out = []
    for literal, name, spec, _ in Formatter().parse(template):
        out.append(literal)
        if name == "date":
            out.append(when.strftime(spec or "%Y-%m-%d"))
        elif name == "run":
            out.append(format(run, spec or ""))
    return "".join(out)


def expand_path(value: str, base: Path) -> Path:
    """A path from a recipe: ``~`` expanded, relative paths taken from the recipe's folder."""
    path = Path(value).expanduser()
    return Path(os.path.normpath(path if path.is_absolute() else base / path))


class _Checker:
    """Checks the parsed TOML against the recipe's shape, naming the line of each problem."""

    def __init__(self, path: Path, text: str, output_fields: Any):
        self.path, self.lines, self.output_fields = path, text.splitlines(), output_fields

    def fail(self, key: str, problem: str, table: str | None = None, index: int = 0) -> RecipeError:
        line = self.line_of(key.split(".")[-1], table, index)
        return RecipeError(f"{self.path}:{line}: {key}: {problem}")

    def line_of(self, key: str, table: str | None, index: int) -> int:
        """The line where ``key`` is set: in the ``index``-th ``[table]``/``[[table]]``, or at the top."""
        header = re.compile(r"^\s*\[\[?\s*([\w.\"' -]+?)\s*\]\]?\s*(#.*)?$")
        assignment = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=|[{{,]\s*{re.escape(key)}\s*=")
        current, seen, start = None, -1, None
        for number, line in enumerate(self.lines, 1):
            match = header.match(line)
            if match:
                current = match.group(1).strip()
                if current == table:
                    seen += 1
                    if seen == index:
                        start = number
                continue
            in_place = current == table and (table is None or seen == index)
            if in_place and assignment.search(line):
                return number
        if start is not None:
            return start
        return 1

    def recipe(self, data: dict[str, Any]) -> Recipe:
        self.unknown(data, _TOP, None)
        base = self.path.parent
        title = self.string(data, "title", None, default="{date:%d %B %Y}")
        self.template("title", title, None)
        library = data.get("library")
        if library is not None and not isinstance(library, str):
            raise self.fail("library", "must be a path (a string)")
        authors = data.get("author", ())
        if isinstance(authors, str):
            authors = (authors,)
        if not isinstance(authors, (list, tuple)) or not all(isinstance(a, str) for a in authors):
            raise self.fail("author", "must be a name or a list of names")
        sources = data.get("source")
        if not sources:
            raise RecipeError(f"{self.path}:1: source: the recipe has no [[source]]: say where articles come from")
        if not isinstance(sources, list):
            raise self.fail("source", "must be an array of tables ([[source]])")
        outputs = data.get("output")
        if not outputs:
            raise RecipeError(f"{self.path}:1: output: the recipe has no [[output]]: say what to write")
        if not isinstance(outputs, list):
            raise self.fail("output", "must be an array of tables ([[output]])")
        delivery = self.delivery(data["deliver"]) if "deliver" in data else None
        checked = tuple(self.output(o, n) for n, o in enumerate(outputs))
        first_of: dict[str, int] = {}
        for n, output in enumerate(checked):
            if first_of.setdefault(output.path, output.line) != output.line:
                raise self.fail(
                    "output.path", f"the same file as the output on line {first_of[output.path]}", "output", n
                )
        return Recipe(
            path=self.path,
            title=title,
            sources=tuple(self.source(s, n, base) for n, s in enumerate(sources)),
            outputs=checked,
            library=expand_path(library, base) if library else None,
            authors=tuple(authors),
            language=self.string(data, "lang", None, default=None),
            delivery=delivery,
            name=self.string(data, "name", None, default=self.path.stem),
        )

    def unknown(self, table: dict[str, Any], known: set[str], name: str | None, index: int = 0) -> None:
        for key in table:
            if key not in known:
                where = f"{name}.{key}" if name else key
                raise self.fail(where, f"unknown key (known: {', '.join(sorted(known))})", name, index)

    def string(self, table: dict, key: str, name: str | None, index: int = 0, *, default: Any = "") -> Any:
        value = table.get(key, default)
        if value is not default and not isinstance(value, str):
            raise self.fail(f"{name}.{key}" if name else key, f"must be a string, not {kind_of(value)}", name, index)
        return value

    def template(self, key: str, value: str, name: str | None, index: int = 0) -> None:
        try:
            fields = list(Formatter().parse(value))
        except ValueError as exc:
            raise self.fail(key, f"bad template {value!r} ({exc})", name, index) from None
        for _, field_name, spec, conversion in fields:
            if field_name is None:
                continue
            if field_name not in ("date", "run") or conversion:
                raise self.fail(
                    key, f"unknown placeholder {{{field_name}}} (use {{date:%Y-%m-%d}} or {{run}})", name, index
                )
            if field_name == "date":
                directives = re.findall(r"%(.?)", spec or "")
                bad = [d for d in directives if d not in _STRFTIME]
                if bad:
                    raise self.fail(key, f"bad strftime pattern {spec!r} (unknown directive %{bad[0]})", name, index)
                # The locale's date and time ("11/14/23", "Tue Nov 14 ...") would make folders of a file name.
                shown = [d for d in directives if d in "cxX"]
                if key == "output.path" and shown:
                    problem = f"%{shown[0]} is the locale's date or time, which may hold '/': use %Y-%m-%d or %H%M"
                    raise self.fail(key, problem, name, index)
            elif spec:
                # A width of millions ("{run:>999999999}") is no file name: refuse it before formatting it.
                widths = [int(w) for w in re.findall(r"\d+", spec)]
                try:
                    if any(w > _RUN_WIDTH for w in widths):
                        raise ValueError(spec)
                    format(1, spec)
                except ValueError:
                    raise self.fail(key, f"bad format {spec!r} for {{run}}", name, index) from None

    def source(self, table: Any, index: int, base: Path) -> Source:
        name = "source"
        if not isinstance(table, dict):
            raise self.fail(name, "each source must be a table", name, index)
        kinds = [kind for kind in _SOURCE_KINDS if kind in table]
        self.unknown(table, set(_SOURCE_KINDS) | _SOURCE_OPTIONS, name, index)
        if len(kinds) != 1:
            problem = "names no" if not kinds else f"names {len(kinds)} of"
            raise self.fail(
                name, f"source {index + 1} {problem} {', '.join(_SOURCE_KINDS)}: give exactly one", name, index
            )
        kind = kinds[0]
        value = ""
        query: tuple[tuple[str, Any], ...] = ()
        if kind == "library":
            selection = table["library"]
            if selection is True:
                selection = {}
            if not isinstance(selection, dict):
                raise self.fail("source.library", "must be true or a table such as { unread = true }", name, index)
            for key, wanted in selection.items():
                if key not in _LIBRARY_QUERY:
                    raise self.fail(
                        f"source.library.{key}",
                        f"unknown key (known: {', '.join(sorted(_LIBRARY_QUERY))})",
                        name,
                        index,
                    )
                if wrong := type_problem(wanted, _LIBRARY_QUERY[key]):
                    raise self.fail(
                        f"source.library.{key}",
                        f"{wrong}, not {kind_of(wanted)}",
                        name,
                        index,
                    )
            query = tuple(sorted(selection.items()))
        elif kind == "files":
            raw_paths = table["files"]
            raw_paths = [raw_paths] if isinstance(raw_paths, str) else raw_paths
            if not isinstance(raw_paths, list) or not raw_paths or not all(isinstance(x, str) and x for x in raw_paths):
                raise self.fail("source.files", "must be a path or a list of paths (files or folders)", name, index)
            value = "\n".join(str(expand_path(x, base)) for x in raw_paths)
        else:
            raw = self.string(table, kind, name, index)
            if not raw.strip():
                raise self.fail(f"source.{kind}", "is empty", name, index)
            if kind == "feed":
                if not raw.lower().startswith(("http://", "https://")):
                    raise self.fail("source.feed", f"{raw!r} is not an http(s) URL", name, index)
                value = raw
            else:
                value = str(expand_path(raw, base))
        limit = table.get("max_articles")
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
            raise self.fail("source.max_articles", "must be a whole number of at least 1", name, index)
        days = table.get("oldest_days")
        if days is not None and (
            isinstance(days, bool) or not isinstance(days, (int, float)) or not 0 < days <= _OLDEST_DAYS
        ):
            raise self.fail(
                "source.oldest_days", f"must be a number of days above 0, at most {_OLDEST_DAYS:,}", name, index
            )
        full_text = table.get("full_text", "auto")
        if isinstance(full_text, bool):
            full_text = "always" if full_text else "never"
        if full_text not in _FULL_TEXT:
            raise self.fail("source.full_text", f"must be one of {', '.join(_FULL_TEXT)}", name, index)
        tags = table.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
            raise self.fail("source.tags", "must be a list of strings", name, index)
        return Source(kind, value, limit, days, full_text, tuple(t.strip() for t in tags), query)

    def output(self, table: Any, index: int) -> Output:
        name = "output"
        if not isinstance(table, dict):
            raise self.fail(name, "each output must be a table", name, index)
        path = table.get("path")
        if not isinstance(path, str) or not path.strip():
            raise self.fail("output.path", "every output needs a path (a string)", name, index)
        self.template("output.path", path, name, index)
        options = {k: v for k, v in table.items() if k not in ("path", _ENCLOSURE_BASE)}
        if self.output_fields is not None:
            try:
                hints = self.output_fields(path)
            except ValueError as exc:
                raise self.fail("output.path", str(exc), name, index) from None
            fields = set(hints)
            for key, value in options.items():
                # In a recipe, merge is a switch: the run merges into the output's own file.
                hint = bool if key == "merge" else hints.get(key) if isinstance(hints, dict) else None
                problem = type_problem(value, hint)
                if problem:
                    raise self.fail(f"output.{key}", problem, name, index)
            # A recipe-only key of feeds (the formats that take an enclosure): the run fills in the file.
            recipe_keys = {"path", _ENCLOSURE_BASE} if "enclosure_url" in fields else {"path"}
            self.unknown({k: v for k, v in table.items() if k != "path"}, fields | recipe_keys, name, index)
        base_url = table.get(_ENCLOSURE_BASE)
        if base_url is not None and not (
            isinstance(base_url, str) and base_url.startswith(("http://", "https://")) and safe_url(base_url)
        ):
            raise self.fail(f"output.{_ENCLOSURE_BASE}", "must be an absolute http(s) URL (a string)", name, index)
        base = self.path.parent
        expanded = expand_path(path, base)
        return Output(
            str(expanded), tuple(sorted(options.items())), self.line_of("path", name, index), base_url or None
        )

    def delivery(self, table: Any) -> Delivery:
        name = "deliver"
        if not isinstance(table, dict):
            raise self.fail(name, "must be a table ([deliver])")
        self.unknown(table, {"email", "smtp"}, name)
        email = self.string(table, "email", name)
        if "@" not in email:
            raise self.fail("deliver.email", "must be an e-mail address", name)
        smtp = table.get("smtp")
        if not isinstance(smtp, dict):
            raise self.fail("deliver.smtp", 'must be a table such as { host = "smtp.example.org" }', name)
        if "password" in smtp:
            raise self.fail("deliver.smtp.password", "never put a password in the recipe: use password_env", name)
        for key, value in smtp.items():
            if key not in _SMTP:
                raise self.fail(f"deliver.smtp.{key}", f"unknown key (known: {', '.join(sorted(_SMTP))})", name)
            if wrong := type_problem(value, _SMTP[key]):
                raise self.fail(f"deliver.smtp.{key}", f"{wrong}, not {kind_of(value)}", name)
        if "port" in smtp and not 1 <= smtp["port"] <= 65535:
            raise self.fail("deliver.smtp.port", f"must be a port number from 1 to 65535, not {smtp['port']}", name)
        if not smtp.get("host"):
            raise self.fail("deliver.smtp", "needs a host", name)
        return Delivery(
            email,
            Smtp(
                host=smtp["host"],
                port=smtp.get("port", 465 if smtp.get("ssl") else 587),
                starttls=smtp.get("starttls", not smtp.get("ssl", False)),
                ssl=smtp.get("ssl", False),
                user=smtp.get("user", ""),
                password_env=smtp.get("password_env", ""),
                sender=smtp.get("from", smtp.get("user", "")) or "newsexport@localhost",
            ),
        )
