"""How command help is laid out: options in their panels, arguments by their metavar."""

from __future__ import annotations

from typing import Any

from typer.core import TyperCommand

__all__ = ["PanelledCommand"]


class PanelledCommand(TyperCommand):
    """A command whose plain help lists options in their panels (``rich_help_panel``), as rich help would.

    The app keeps ``rich_markup_mode=None``: rich help would also draw usage errors as boxes, and
    every error here is one plain ``Error: ...`` line.
    """

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        """The usage line's pieces: ``[OPTIONS] INPUT...`` rather than Typer's ``{inputs}...``."""
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                pieces.append(_argument_term(param) if param.required else f"[{_argument_term(param)}]")
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        """One section per panel, in the order their first option is declared, help in one column."""
        sections: dict[str, list[tuple[str, str]]] = {}
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                title = "Arguments"
                record = None if param.hidden else (_argument_term(param), param.help or "")  # type: ignore[attr-defined]
            else:
                title = getattr(param, "rich_help_panel", None) or "Options"
                record = param.get_help_record(ctx)
            if record is not None:
                sections.setdefault(title, []).append(record)
        width = max((len(term) for rows in sections.values() for term, _ in rows if len(term) <= 32), default=0)
        for title, rows in sections.items():
            # Padding the first term lines every panel's help up in one column.
            rows = [(rows[0][0].ljust(width), rows[0][1]), *rows[1:]]
            with formatter.section(title):
                formatter.write_dl(rows, col_max=width)


def _argument_term(param: Any) -> str:
    """``INPUT...``: an argument by its metavar, without Typer's braces and ``<list[str]>`` type."""
    name = param.metavar or param.name.upper()
    return name if name.endswith("...") or param.nargs == 1 else f"{name}..."
