"""Saving inputs into the library (``add``), fetching the text of imported links, extracting pages again."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from exporters.library.articles import Library, StoredArticle
from exporters.library.fetch import Page, read_pages
from exporters.model import ArticleError
from exporters.readers import expand_inputs
from exporters.readers.url import is_url

__all__ = ["AddReport", "add_inputs", "fetch_articles", "reextract"]

#: Called after each input with (inputs done, inputs in all).
Progress = Callable[[int, int], None]


@dataclass
class AddReport:
    """What an ``add`` (or a fetch) did: ids added and updated, one message per failed input or image."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def add_inputs(
    library: Library,
    inputs: Iterable[str],
    *,
    tags: Sequence[str] = (),
    starred: bool | None = None,
    jobs: int = 4,
    images: bool = True,
    progress: Progress | None = None,
) -> AddReport:
    """Read URLs, files and folders (through the readers) and save every article, each in its own transaction.

    URLs are fetched ``jobs`` at a time (at most two at once per host); the same canonical URL
    saved again updates its article. A failing input is reported in ``failed`` and the rest are saved.
    """
    report = AddReport()
    names: list[str] = []
    for name in inputs:
        try:
            names.extend(expand_inputs([name]))
        except ArticleError as exc:
            report.failed.append(str(exc))
    for done, page in enumerate(read_pages(names, jobs=jobs, images=images), 1):
        _save_page(library, page, report, tags=tags, starred=starred)
        if progress:
            progress(done, len(names))
    return report


def _save_page(library: Library, page: Page, report: AddReport, *, tags: Sequence[str], starred: bool | None) -> None:
    if page.error:
        report.failed.append(page.error)
        return
    report.warnings.extend(page.warnings)
    single = len(page.articles) == 1
    # A page whose canonical URL differs from the one asked for updates the article saved under the
    # asked one (an imported link), rather than saving a second copy.
    key = library.id_for_url(page.name) if single and is_url(page.name) else None
    for article in page.articles:
        saved = library.save(
            article,
            key=key,
            html=page.html if single else None,
            assets=page.assets,
            tags=tags,
            starred=starred,
            origin=page.name,
        )
        (report.added if saved.status == "added" else report.updated).append(saved.id)


def fetch_articles(
    library: Library, stored: Sequence[StoredArticle], *, jobs: int = 4, images: bool = True, progress=None
) -> AddReport:
    """Fetch and extract the pages of stored articles (imports that carried only a URL), keeping their state and tags."""
    report = AddReport()
    by_url = {s.url: s for s in stored if s.url}
    for done, page in enumerate(read_pages(list(by_url), jobs=jobs, images=images, typed=False), 1):
        if page.error:
            report.failed.append(page.error)
        else:
            report.warnings.extend(page.warnings)
            _replace(library, by_url[page.name], page, report)
        if progress:
            progress(done, len(by_url))
    return report


def _replace(library: Library, stored: StoredArticle, page: Page, report: AddReport) -> None:
    """Save a page's article over the stored one, keeping its state and tags."""
    library.save(page.articles[0], html=page.html, assets=page.assets, origin=stored.origin, key=stored.id)
    report.updated.append(stored.id)


def reextract(library: Library, stored: Sequence[StoredArticle], progress=None) -> AddReport:
    """Extract again, from the HTML kept when they were added, the articles that have it (no network)."""
    from exporters.readers.page.extract import HtmlReader, read_html_page

    report = AddReport()
    for done, item in enumerate(stored, 1):
        html = library.original_html(item)
        if html is None:
            continue
        try:
            if is_url(item.origin):
                article = read_html_page(html, item.origin, url=item.url)
            else:
                article = HtmlReader().read(html, item.origin)[0]
        except ArticleError as exc:
            report.failed.append(str(exc))
            continue
        library.save(article, html=html, origin=item.origin, key=item.id)
        report.updated.append(item.id)
        if progress:
            progress(done, len(stored))
    return report
