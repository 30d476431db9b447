"""The exporter registry, and the contract every registered exporter must keep."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import pytest
from conftest import ROOT, SAMPLES

from exporters.exporter import Exporter, ExportError
from exporters.model import Collection
from exporters.pipeline.gather import gather, make_collection
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
        "from exporters.exporter import Exporter\n"
        "class TxtExporter(Exporter):\n"
        "    name = 'txt'\n    extensions = ('.txt',)\n"
        "    def render(self, collection, progress):\n"
        "        return '\\n'.join(a.title for a in collection.articles).encode()\n",
    )
    assert registry.for_path("a.txt").name == "txt"
    with pytest.raises(
        RegistryError, match="entry point 'text' names plugin_mod:TxtExporter, whose format name is 'txt'"
    ):
        registry.load("text", "plugin_mod:TxtExporter")


# -- the contract every registered exporter keeps ---------------------------------------------------
@pytest.fixture(scope="module")
def sample_collection() -> Collection:
    gathered = gather([str(SAMPLES)])
    assert gathered.problems == []
    return make_collection(gathered.articles, title="Samples", authors=("Sample Author",))


# What the feed formats need to know about the site they are published on; other formats ignore it.
PUBLISHING = {"site_url": "https://example.org/", "feed_url": "https://example.org/feed", "description": "Samples"}


@pytest.mark.parametrize("name", BUILTIN)
def test_contract_output_is_nonempty_and_deterministic(name, sample_collection):
    cls = REGISTRY.get(name)
    assert cls.extensions and cls.description and cls.media_type != "application/octet-stream"
    first = cls.with_options(PUBLISHING).export(sample_collection)
    second = cls.with_options(PUBLISHING).export(replace(sample_collection))
    assert len(first) > 500
    assert first == second


@pytest.mark.parametrize("name", BUILTIN)
def test_contract_pieces_join_to_the_files_and_the_file_to_the_export(name, sample_collection):
    cls = REGISTRY.get(name)
    output = "out" + cls.extensions[0]
    options = {**PUBLISHING, "feed_url": "https://example.org/" + output}
    pieces = cls.with_options(options).export_pieces(sample_collection, output)
    files = cls.with_options(options).export_files(sample_collection, output)
    assert list(pieces) == list(files) == [output]
    assert all(isinstance(piece, bytes) for piece in pieces[output])
    assert b"".join(pieces[output]) == files[output] == cls.with_options(options).export(sample_collection)
    if name in ("rss", "atom", "jsonfeed"):
        # Feeds hand over metadata and entries unjoined: never the whole document as one more copy.
        assert len(pieces[output]) > len(sample_collection.articles)


@pytest.mark.parametrize("name", BUILTIN)
def test_contract_refuses_an_empty_collection(name):
    with pytest.raises(ExportError, match=f"^{name}: no articles to export$"):
        REGISTRY.get(name)().export(Collection(articles=()))
