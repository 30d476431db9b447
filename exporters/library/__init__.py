"""The saved-articles library: an SQLite file of articles with their state, tags, images and deliveries.

>>> from exporters.library import open_library, Query
>>> with open_library("library.sqlite") as library:          # doctest: +SKIP
...     report = add_inputs(library, ["https://example.org/story"], tags=["climate"])
...     unread = library.find(Query(state="unread", tags=("climate",)))
...     articles = library.articles(unread)                   # model Articles, ready for any exporter
...     library.mark_sent([s.id for s in unread], "kindle")
"""

from exporters.library.add import AddReport, add_inputs, fetch_articles, reextract
from exporters.library.articles import Library, Saved, StoredArticle, open_library
from exporters.library.imports import ImportReport, import_file
from exporters.library.query import Query
from exporters.library.store import SCHEMA_VERSION, LibraryError, default_path, library_path

__all__ = [
    "Library",
    "StoredArticle",
    "Saved",
    "Query",
    "LibraryError",
    "open_library",
    "library_path",
    "default_path",
    "add_inputs",
    "AddReport",
    "import_file",
    "ImportReport",
    "fetch_articles",
    "reextract",
    "SCHEMA_VERSION",
]
