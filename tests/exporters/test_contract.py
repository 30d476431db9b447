"""The contract every registered exporter keeps, plugins included: one ``render`` giving the
main file's pieces and its companion files, the same bytes every time, output that parses."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import fields, is_dataclass, replace

import pypdf
import pytest
from conftest import SAMPLES
from lxml import etree

from exporters.exporter import ExportError, Rendered
from exporters.model import Collection
from exporters.pipeline.gather import gather, make_collection
from exporters.registry import default_registry

PLUGIN = '''
from exporters.exporter import Exporter, Rendered


class TitlesExporter(Exporter):
    """A third-party format: one title a line."""

    name = "titles"
    extensions = (".titles",)
    media_type = "text/plain"
    description = "Titles, one a line"

    def render(self, collection, output_name, progress):
        progress(len(collection.articles), len(collection.articles))
        return Rendered([(a.title + "\\n").encode() for a in collection.articles])
'''
# What the feed formats need to know about the site they are published on; other formats ignore it.
PUBLISHING = {"site_url": "https://example.org/", "feed_url": "https://example.org/feed", "description": "Samples"}
XHTML = "{http://www.w3.org/1999/xhtml}"


def _registry_with_plugin(tmp_path_factory):
    """The default registry, seeing a plugin installed the way pip installs one: a module and its entry point."""
    root = tmp_path_factory.mktemp("site")
    (root / "titles_plugin.py").write_text(PLUGIN, encoding="utf-8")
    info = root / "titles_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: titles-plugin\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(
        "[newsexport.exporters]\ntitles = titles_plugin:TitlesExporter\n", encoding="utf-8"
    )
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.syspath_prepend(str(root))
    try:
        return default_registry()
    finally:
        monkeypatch.undo()


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    return _registry_with_plugin(tmp_path_factory)


@pytest.fixture(scope="module")
def samples() -> Collection:
    gathered = gather([str(SAMPLES)])
    assert gathered.problems == []
    return make_collection(gathered.articles, title="Samples", authors=("Sample Author",))


def test_every_format_is_registered_through_the_entry_point_group_plugins_included(registry):
    assert [cls.name for cls in registry.exporters()] == ["atom", "epub", "jsonfeed", "pdf", "rss", "titles"]


def _titles_in(media_type: str, data: bytes) -> list[str]:
    """The article titles a reader of the format finds in the file, parsed as that format."""
    if media_type == "application/epub+zip":
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            assert book.namelist()[0] == "mimetype" and book.read("mimetype") == b"application/epub+zip"
            nav = etree.fromstring(book.read("EPUB/nav.xhtml"))
        toc = nav.find(f".//{XHTML}nav")
        return [a.text for a in toc.iter(f"{XHTML}a")]
    if media_type == "application/pdf":
        return [item.title for item in pypdf.PdfReader(io.BytesIO(data)).outline if not isinstance(item, list)]
    if media_type == "application/rss+xml":
        return [item.findtext("title") for item in etree.fromstring(data).iter("item")]
    if media_type == "application/atom+xml":
        return [e.findtext("{http://www.w3.org/2005/Atom}title") for e in etree.fromstring(data).iter("{*}entry")]
    if media_type == "application/feed+json":
        return [item["title"] for item in json.loads(data)["items"]]
    if media_type == "text/plain":
        return data.decode("utf-8").splitlines()
    raise AssertionError(f"the contract test cannot parse {media_type}: add a parser for it")


def _formats(registry):
    return [cls.name for cls in registry.exporters()]


@pytest.mark.parametrize("name", ["atom", "epub", "jsonfeed", "pdf", "rss", "titles"])
def test_output_parses_as_its_format_with_every_article_once(name, registry, samples):
    cls = registry.get(name)
    assert cls.extensions and cls.description and cls.media_type != "application/octet-stream"
    assert is_dataclass(cls.options_class) and all(f.metadata.get("help") for f in fields(cls.options_class))
    rendered = cls.with_options(PUBLISHING).render(samples, "out" + cls.extensions[0], lambda done, total: None)
    assert isinstance(rendered, Rendered) and dict(rendered.companions) == {}
    assert rendered.pieces and all(isinstance(piece, bytes) for piece in rendered.pieces)
    titles = _titles_in(cls.media_type, rendered.data)
    assert sorted(titles) == sorted(a.title for a in samples.articles)


@pytest.mark.parametrize("name", ["atom", "epub", "jsonfeed", "pdf", "rss", "titles"])
def test_the_same_collection_gives_the_same_bytes(name, registry, samples):
    cls = registry.get(name)
    first = cls.with_options(PUBLISHING).export(samples)
    assert first == cls.with_options(PUBLISHING).export(replace(samples))
    assert first == cls.with_options(PUBLISHING).render(samples, "-", lambda done, total: None).data


@pytest.mark.parametrize("name", ["atom", "epub", "jsonfeed", "pdf", "rss", "titles"])
def test_an_empty_collection_is_refused_in_one_line(name, registry):
    with pytest.raises(ExportError, match=f"^{name}: no articles to export$"):
        registry.get(name)().export(Collection(articles=()))


@pytest.mark.parametrize("name", ["atom", "jsonfeed", "rss"])
def test_companion_files_come_beside_the_main_file_never_inside_it(name, registry, samples):
    cls = registry.get(name)
    output = "out" + cls.extensions[0]
    rendered = cls.with_options({**PUBLISHING, "page_size": 3}).render(samples, output, lambda done, total: None)
    files = rendered.files(output)
    assert list(files)[-1] == output and len(files) == 1 + len(rendered.companions) == 3  # 7 entries, pages of 3
    pages = [_titles_in(cls.media_type, data) for data in files.values()]
    assert sorted(t for page in pages for t in page) == sorted(a.title for a in samples.articles)
    assert len(pages[-1]) == 3  # the subscription document holds the newest page
