"""The ``fonts`` command: which scripts the installed fonts let a PDF print, and what to install for the rest."""

from __future__ import annotations

import typer

from exporters.cli.app import app, fail
from exporters.pdf.coverage import installed_fonts, script_coverage


@app.command("fonts")
def fonts_command() -> None:
    """Say which writing systems the installed TrueType fonts cover in a PDF, and which packages add the rest."""
    try:
        fonts = installed_fonts()
    except FileNotFoundError:
        raise fail(
            "fontconfig's fc-list is not installed; install fontconfig (Debian: apt install fontconfig)"
        ) from None
    families = sorted({family for family, _ in fonts.values()})
    typer.echo(f"TrueType fonts the PDF can embed: {len(fonts)} files, {len(families)} families")
    missing = []
    for row in script_coverage(fonts):
        if not row.families:
            missing.append(row.script)
            typer.echo(f"  {row.script.name:<18} missing: printed as \u25a1")
        else:
            more = f" and {len(row.families) - 3} more" if len(row.families) > 3 else ""
            typer.echo(f"  {row.script.name:<18} {', '.join(row.families[:3])}{more}")
    if missing:
        typer.echo("To add the missing scripts:")
        debian = " ".join(dict.fromkeys(s.debian for s in missing))
        homebrew = " ".join(dict.fromkeys(s.homebrew for s in missing))
        typer.echo(f"  Debian/Ubuntu: sudo apt install {debian}")
        typer.echo(f"  macOS (Homebrew): brew install --cask {homebrew}")
    typer.echo(
        "Only .ttf files are used: reportlab cannot embed .ttc collections or CFF .otf fonts "
        "(so fonts-noto-cjk and fonts-noto-color-emoji do not help)."
    )
