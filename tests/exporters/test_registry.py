"""The exporter registry, and the contract every registered exporter must keep."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT

from exporters.exporter import Exporter
from exporters.registry import (
    Registry,
    RegistryError,
    UnavailableFormat,
    UnknownFormat,
    default_registry,
)

REGISTRY = default_registry()
BUILTIN = ["atom", "epub", "jsonfeed", "pdf", "rss"]


class _Fake(Exporter):
    name = "fake"
    extensions = (".fake", ".fake.xml")


class _OtherFake(Exporter):
    name = "fake"


class _FakeXml(Exporter):
    name = "fakexml"
    extensions = (".xml",)


def test_every_builtin_is_registered_and_available():
    assert [cls.name for cls in REGISTRY.exporters()] == BUILTIN


def test_registering_a_taken_name_is_an_error():
    registry = Registry()
    registry.register(_Fake)
    registry.register(_Fake)  # the same class again (built-in seen through its entry point) is fine
    with pytest.raises(RegistryError, match="format 'fake' is registered twice: .*_Fake and .*_OtherFake"):
        registry.register(_OtherFake)


def test_unknown_name_lists_the_valid_ones():
    with pytest.raises(UnknownFormat) as info:
        REGISTRY.get("docx")
    assert str(info.value) == "unknown format 'docx'; valid formats: atom, epub, jsonfeed, pdf, rss"


def test_format_from_path_prefers_the_longest_extension():
    registry = Registry()
    registry.register(_Fake)
    registry.register(_FakeXml)
    assert registry.for_path("out/feed.fake.xml") is _Fake
    assert registry.for_path("OUT.XML") is _FakeXml
    with pytest.raises(UnknownFormat, match="cannot tell the format of 'x.doc'"):
        registry.for_path("x.doc")


def plugin_registry(tmp_path, monkeypatch, name: str, target: str, source: str) -> Registry:
    """A registry that loaded ``name`` from ``target``, a module written with ``source`` on the import path."""
    (tmp_path / (target.split(":")[0] + ".py")).write_text(source, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    registry = Registry()
    registry.load(name, target)
    return registry


def test_missing_dependency_says_what_to_install(tmp_path, monkeypatch):
    registry = plugin_registry(
        tmp_path, monkeypatch, "odt", "needs_missing:OdtExporter", "import surely_not_installed_pkg\n"
    )
    with pytest.raises(
        UnavailableFormat,
        match="format 'odt' needs the 'surely_not_installed_pkg' package: pip install surely_not_installed_pkg",
    ):
        registry.get("odt")
    assert registry.names() == ["odt"]


def test_declared_lazy_dependency_that_is_missing_says_what_to_install(tmp_path, monkeypatch):
    registry = plugin_registry(
        tmp_path,
        monkeypatch,
        "odt",
        "lazy_mod:OdtExporter",
        "from exporters.exporter import Exporter\n"
        "class OdtExporter(Exporter):\n"
        "    name = 'odt'\n    extensions = ('.odt',)\n    requires = ('surely_not_installed_pkg',)\n",
    )
    with pytest.raises(
        UnavailableFormat,
        match="^format 'odt' needs the 'surely_not_installed_pkg' package: pip install surely_not_installed_pkg$",
    ):
        registry.get("odt")
    assert registry.exporters() == []


def test_heavy_dependencies_are_not_imported_at_start_up():
    # Each is imported by the run that needs it: a PDF, a fetch, a progress bar, an odd date, a saved page.
    code = (
        "import sys, main; from exporters.registry import default_registry; default_registry(); "
        "print(sorted(m for m in ('reportlab', 'httpx', 'rich', 'dateutil', 'urllib.request') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "[]"


def test_plugin_module_is_loaded_like_a_builtin(tmp_path, monkeypatch):
    registry = plugin_registry(
        tmp_path,
        monkeypatch,
        "txt",
        "plugin_mod:TxtExporter",
        "from exporters.exporter import Exporter, Rendered\n"
        "class TxtExporter(Exporter):\n"
        "    name = 'txt'\n    extensions = ('.txt',)\n"
        "    def render(self, collection, output_name, progress):\n"
        "        return Rendered(['\\n'.join(a.title for a in collection.articles).encode()])\n",
    )
    assert registry.for_path("a.txt").name == "txt"
    with pytest.raises(
        RegistryError, match="entry point 'text' names plugin_mod:TxtExporter, whose format name is 'txt'"
    ):
        registry.load("text", "plugin_mod:TxtExporter")
