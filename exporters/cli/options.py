"""Command-line options: the shared ones, and every exporter's option dataclass turned into Typer parameters.

Values are parsed here with messages of our own (``'abc' is not a whole number``), so a bad value
is a usage error (exit 2) that never shows the wording of the validation library underneath Typer.
Help is grouped in panels (``rich_help_panel``): the common options, the selection, then one
panel per exporter options class, named by format (the three feeds share one class: "Feeds").
"""

from __future__ import annotations

import dataclasses
import inspect
import types
import typing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from exporters.exporter import Exporter
from exporters.pipeline.dates import parse_date
from exporters.pipeline.localfile import MAX_INPUT_BYTES, FileRefused, check_regular_file
from exporters.pipeline.selection import Selection, SortKey

__all__ = [
    "SELECTION",
    "Inputs",
    "Strict",
    "Quiet",
    "PrivateNetwork",
    "AssetsDir",
    "Since",
    "Until",
    "Tags",
    "Limit",
    "Sort",
    "Reverse",
    "DEFAULT_SELECTION",
    "selection",
    "ExporterOption",
    "Panel",
    "exporter_options",
    "panels",
    "with_parameters",
]

#: Title of the help panel of the options that choose and order articles.
SELECTION = "Selection"
#: Defaults of the selection options: the pipeline's own, declared once in :class:`Selection`.
DEFAULT_SELECTION = Selection()


# -- parsing values ----------------------------------------------------------------------------------
def whole_number(value: str) -> int:
    """An integer option value; anything else is a usage error."""
    try:
        return int(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a whole number") from None


def positive_number(value: str) -> int:
    """An integer of at least 1."""
    number = whole_number(value)
    if number < 1:
        raise typer.BadParameter(f"must be at least 1, not {number}")
    return number


def decimal_number(value: str) -> float:
    """A number option value, e.g. ``10.5``."""
    try:
        return float(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a number") from None


def date_value(value: str) -> datetime:
    """A date or date-time option value."""
    try:
        parsed = parse_date(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise typer.BadParameter(f"{value!r} is not a date (use YYYY-MM-DD or ISO 8601)")
    return parsed


def file_path(value: str) -> Path:
    """A file an exporter reads (``--cover``, ``--css``, ``--merge``): refused here when it is there but no
    regular file, or over the largest input, since reading a FIFO or a device would never end.

    A missing file is left to the exporter, which names what the file was for; each exporter
    also applies its own, smaller limit when it reads the file."""
    path = Path(value)
    try:
        check_regular_file(path, MAX_INPUT_BYTES)
    except FileNotFoundError:
        pass
    except FileRefused as exc:
        raise typer.BadParameter(f"{value}: {exc.strerror}") from None
    except OSError as exc:
        raise typer.BadParameter(f"{value}: cannot read ({exc.strerror or exc})") from None
    return path


def one_of(choices: Sequence[str]) -> Callable[[str], str]:
    """A parser accepting only ``choices`` (their case folded), naming them all when it refuses."""
    by_folded = {choice.casefold(): choice for choice in choices}

    def parse(value: str) -> str:
        try:
            return by_folded[value.casefold()]
        except KeyError:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(choices)}") from None

    return parse


def choices_metavar(choices: Iterable[str]) -> str:
    return f"[{'|'.join(choices)}]"


# -- options shared by commands that read articles ---------------------------------------------------
Inputs = Annotated[
    list[str], typer.Argument(metavar="INPUT...", help="Files, directories (read recursively), URLs, or - for stdin.")
]
Strict = Annotated[bool, typer.Option("--strict", help="Stop at the first input that cannot be read.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary on stderr.")]
PrivateNetwork = Annotated[
    bool,
    typer.Option("--allow-private-network", help="Let content fetch images and pages from private addresses."),
]
AssetsDir = Annotated[
    Path | None,
    typer.Option(
        "--assets-dir", file_okay=False, exists=True, metavar="DIR", help="A folder local images may also come from."
    ),
]
Since = Annotated[
    datetime | None,
    typer.Option(
        "--since", parser=date_value, metavar="DATE", rich_help_panel=SELECTION, help="Published on or after DATE."
    ),
]
Until = Annotated[
    datetime | None,
    typer.Option(
        "--until", parser=date_value, metavar="DATE", rich_help_panel=SELECTION, help="Published on or before DATE."
    ),
]
Tags = Annotated[
    list[str] | None,
    typer.Option("--tag", metavar="TAG", rich_help_panel=SELECTION, help="Tagged TAG; repeat for any of several."),
]
Limit = Annotated[
    int | None,
    typer.Option("--limit", parser=positive_number, metavar="N", rich_help_panel=SELECTION, help="At most N articles."),
]
_SORT_KEYS: tuple[str, ...] = typing.get_args(SortKey)
Sort = Annotated[
    SortKey | None,
    typer.Option(
        "--sort",
        parser=one_of(_SORT_KEYS),
        metavar=choices_metavar(_SORT_KEYS),
        rich_help_panel=SELECTION,
        help="Order (default: as read; feeds: newest first).",
    ),
]
Reverse = Annotated[bool, typer.Option("--reverse", rich_help_panel=SELECTION, help="Reverse the order.")]


def selection(
    since: datetime | None, until: datetime | None, tags: list[str] | None, limit: int | None, sort: Any, reverse: bool
) -> Selection:
    """The :class:`Selection` the selection options ask for."""
    return Selection(since=since, until=until, tags=tuple(tags or ()), sort=sort, reverse=reverse, limit=limit)


# -- exporter options ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ExporterOption:
    """One exporter option field as a command-line flag; a name several exporters declare is one flag."""

    name: str
    flag: str
    help: str
    metavar: str
    #: The field's default as help shows it; None where there is none to show (None, False).
    default: str | None
    #: The formats whose options have this field, sorted.
    formats: tuple[str, ...]
    #: The help panel it is listed in: the panel of the first options class declaring it.
    panel: str
    parameter: inspect.Parameter


@dataclass(frozen=True)
class Panel:
    """The options of one exporter options class and the formats sharing it."""

    title: str
    formats: tuple[str, ...]
    options: tuple[ExporterOption, ...]


def _panel_title(classes: list[type[Exporter]]) -> str:
    if len(classes) == 1:
        return classes[0].name.upper()
    packages = {cls.__module__.rsplit(".", 1)[0] for cls in classes}
    if len(packages) == 1:  # exporters.feeds.rss, .atom, .jsonfeed -> "Feeds"
        return packages.pop().rsplit(".", 1)[-1].capitalize()
    return ", ".join(cls.name for cls in classes)


def _option_classes(exporters: Iterable[type[Exporter]]) -> list[tuple[str, type, list[type[Exporter]]]]:
    """Each options class with its title and the exporters using it: one format's first, shared ones after."""
    by_class: dict[type, list[type[Exporter]]] = {}
    for cls in exporters:
        by_class.setdefault(cls.options_class, []).append(cls)
    found = [(_panel_title(users), options, users) for options, users in by_class.items()]
    return sorted(found, key=lambda item: (len(item[2]), item[0]))


def _plain_type(annotation: Any) -> Any:
    """``int`` for ``int | None``."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _shown_default(value: Any) -> str | None:
    if value is None or value is False or value is dataclasses.MISSING:
        return None
    return f"{value:g}" if isinstance(value, float) else str(value)


def _parameter(name: str, annotation: Any, field: dataclasses.Field, panel: str, help_text: str) -> inspect.Parameter:
    """A keyword parameter with default None, so the CLI can tell a flag the user gave from one left out."""
    flag = "--" + name.replace("_", "-")
    choices: tuple[str, ...] = tuple(field.metadata.get("choices") or ())
    metavar = field.metadata.get("metavar")
    kind = _plain_type(annotation)
    info: dict[str, Any] = {"help": help_text, "rich_help_panel": panel}
    if kind is bool:
        flags = (f"{flag}/--no-{flag[2:]}",) if field.default is True else (flag,)
        option = typer.Option(*flags, **info)
    elif choices:
        kind = Literal[choices]  # completion offers the choices
        option = typer.Option(flag, parser=one_of(choices), metavar=metavar or choices_metavar(choices), **info)
    elif kind is int:
        option = typer.Option(flag, parser=whole_number, metavar=metavar or "N", **info)
    elif kind is float:
        option = typer.Option(flag, parser=decimal_number, metavar=metavar or "NUM", **info)
    elif kind is Path:
        option = typer.Option(flag, parser=file_path, metavar=metavar or "FILE", **info)
    else:
        option = typer.Option(flag, metavar=metavar or "TEXT", **info)
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=Annotated[kind | None, option]
    )


def exporter_options(exporters: Iterable[type[Exporter]]) -> list[ExporterOption]:
    """One option per field name over every exporter's options class, in panel order."""
    exporters = list(exporters)
    owners: dict[str, list[str]] = {}
    for cls in exporters:
        for field in dataclasses.fields(cls.options_class):
            owners.setdefault(field.name, []).append(cls.name)
    options: dict[str, ExporterOption] = {}
    for title, options_class, users in _option_classes(exporters):
        hints = typing.get_type_hints(options_class)
        own = {cls.name for cls in users}
        for field in dataclasses.fields(options_class):
            if field.name in options:
                continue
            formats = tuple(sorted(owners[field.name]))
            help_text = field.metadata.get("help", "")
            if not own.issuperset(formats):  # declared by another panel's formats too
                help_text += f" ({', '.join(formats)})"
            default = _shown_default(field.default)
            shown = f"{help_text}  [default: {default}]" if default is not None else help_text
            parameter = _parameter(field.name, hints[field.name], field, title, shown)
            meta = typing.get_args(parameter.annotation)[1]
            options[field.name] = ExporterOption(
                name=field.name,
                flag="--" + field.name.replace("_", "-"),
                help=help_text,
                metavar="" if meta.metavar is None else meta.metavar,
                default=default,
                formats=formats,
                panel=title,
                parameter=parameter,
            )
    return list(options.values())


def panels(exporters: Iterable[type[Exporter]]) -> list[Panel]:
    """The exporter options grouped by options class, as ``formats`` lists them (a shared option in each)."""
    exporters = list(exporters)
    options = exporter_options(exporters)
    found = []
    for title, _, users in _option_classes(exporters):
        formats = {cls.name for cls in users}
        found.append(Panel(title, tuple(sorted(formats)), tuple(o for o in options if formats & set(o.formats))))
    return found


def with_parameters(
    function: Callable[..., None],
    extra: Iterable[inspect.Parameter],
    adjust: Callable[[list[inspect.Parameter]], list[inspect.Parameter]] = list,
) -> Callable[..., None]:
    """``function`` (taking ``**options``) as a command whose signature also declares ``extra``.

    ``adjust`` may rework the function's own parameters first (``export --from-library`` makes
    the inputs optional and adds its options).
    """
    signature = inspect.signature(function, eval_str=True)
    fixed = adjust([p for p in signature.parameters.values() if p.kind is not inspect.Parameter.VAR_KEYWORD])
    taken = {p.name for p in fixed}
    parameters = fixed + [p for p in extra if p.name not in taken]

    def command(**kwargs: Any) -> None:
        function(**kwargs)

    command.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in parameters}
    command.__doc__ = function.__doc__
    command.__name__ = function.__name__
    return command
