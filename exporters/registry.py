"""Finds exporters by name or file extension; built-ins and plugins register the same way.

Every format, built-in or plugin, is an entry point in the ``newsexport.exporters`` group naming
an :class:`~exporters.exporter.Exporter` subclass (the built-ins are declared in
``pyproject.toml``): that group is the one list of formats.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import PurePath

from exporters.exporter import Exporter

__all__ = ["Registry", "RegistryError", "UnknownFormat", "UnavailableFormat", "ENTRY_POINT_GROUP", "default_registry"]

ENTRY_POINT_GROUP = "newsexport.exporters"


class RegistryError(Exception):
    """A registration conflict or a lookup that cannot be answered."""


class UnknownFormat(RegistryError):
    """No exporter has that name or extension; the message lists the valid ones."""


class UnavailableFormat(RegistryError):
    """The exporter exists but a dependency it needs is not installed."""


@dataclass(frozen=True)
class _Unavailable:
    name: str
    target: str
    reason: str


class Registry:
    """Exporter classes by name; registering a taken name is an error, never a silent override."""

    def __init__(self) -> None:
        self._exporters: dict[str, type[Exporter]] = {}
        self._unavailable: dict[str, _Unavailable] = {}

    def register(self, exporter: type[Exporter]) -> type[Exporter]:
        """Add an exporter class; raises :class:`RegistryError` when its name is taken."""
        if not exporter.name:
            raise RegistryError(f"{exporter.__qualname__} has no name")
        taken = self._exporters.get(exporter.name)
        if taken is not None and taken is not exporter:
            raise RegistryError(
                f"format {exporter.name!r} is registered twice: "
                f"{taken.__module__}.{taken.__qualname__} and {exporter.__module__}.{exporter.__qualname__}"
            )
        self._exporters[exporter.name] = exporter
        self._unavailable.pop(exporter.name, None)
        return exporter

    def load(self, name: str, target: str) -> None:
        """Import ``module:Class`` and register it; a missing dependency is remembered, not raised."""
        module_name, _, attr = target.partition(":")
        try:
            cls = getattr(importlib.import_module(module_name), attr)
        except ModuleNotFoundError as exc:
            missing = exc.name or str(exc)
            if module_name == missing or module_name.startswith(missing + "."):
                self._mark_unavailable(
                    name, target, f"format {name!r} is declared as {target}, which cannot be imported"
                )
            else:
                self._mark_unavailable(name, target, _needs_package(name, missing))
            return
        if cls.name != name:
            raise RegistryError(f"entry point {name!r} names {target}, whose format name is {cls.name!r}")
        # Packages the exporter imports only when rendering are looked up, not imported.
        lacking = next((package for package in cls.requires if importlib.util.find_spec(package) is None), None)
        if lacking is not None:
            self._mark_unavailable(name, target, _needs_package(name, lacking))
            return
        self.register(cls)

    def _mark_unavailable(self, name: str, target: str, reason: str) -> None:
        """Remember why ``name`` cannot be used, unless another declaration already provides it."""
        if name not in self._exporters:
            self._unavailable[name] = _Unavailable(name, target, reason)

    def names(self) -> list[str]:
        """Every known format name, available or not, sorted."""
        return sorted({*self._exporters, *self._unavailable})

    def exporters(self) -> list[type[Exporter]]:
        """The available exporter classes, sorted by name."""
        return [self._exporters[n] for n in sorted(self._exporters)]

    def get(self, name: str) -> type[Exporter]:
        """The exporter called ``name``; unknown or unavailable names raise with a helpful message."""
        if name in self._exporters:
            return self._exporters[name]
        if name in self._unavailable:
            raise UnavailableFormat(self._unavailable[name].reason)
        raise UnknownFormat(f"unknown format {name!r}; valid formats: {', '.join(self.names())}")

    def for_path(self, path: str) -> type[Exporter]:
        """The exporter whose extensions match ``path`` (the longest matching extension wins)."""
        lower = PurePath(path).name.lower()
        matches = [(len(ext), cls) for cls in self.exporters() for ext in cls.extensions if lower.endswith(ext)]
        if not matches:
            known = sorted(ext for cls in self.exporters() for ext in cls.extensions)
            raise UnknownFormat(
                f"cannot tell the format of {path!r} from its extension; use -t FORMAT "
                f"(formats: {', '.join(self.names())}; extensions: {', '.join(known)})"
            )
        return max(matches, key=lambda m: m[0])[1]


def _needs_package(name: str, package: str) -> str:
    return f"format {name!r} needs the {package!r} package: pip install {package}"


def default_registry() -> Registry:
    """Built-in exporters plus every plugin installed under the ``newsexport.exporters`` group."""
    registry = Registry()
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        registry.load(ep.name, ep.value)
    return registry
