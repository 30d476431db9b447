"""How well the copied-text reader keeps the story and drops the page's chrome, on copies built from the corpus.

Each corpus page's ``source.html`` is laid out as text the way a browser copies it
(``inscriptis``: one line per block, lists and tables laid out, scripts left out). The copy is
cut as a person selects it: from the headline (the line equal to the expected title, its last
appearance before the story; or the title put on top when the page does not show it) to a
few lines past the story's last line. Each line below the headline is labelled:

- story: it is the text of a block of ``expected.html`` (a line of preformatted text, a table
  row), or a run of at least four words of that text, or a shorter piece of it that continues
  the line before or after it (a block broken by ``<br>``); words are also compared without
  the spaces between them, as the layout spaces inline elements apart ("AA H" for
  "AA<sup>H</sup>"), and a numbered line by its text, as the layout numbers an ordered list;
  a line that is two table rows side by side (two tables nested in one row) is story too;
- chrome: anything else (navigation, share buttons, captions the expected text leaves out,
  related links, promos...).

A story line is kept, or a chrome line leaked, when the reader's body has it: an output line
equal to it, or for four words and more, output text containing it. A shorter line counts in
context, with the line before or after it, so the end of a hard-wrapped paragraph the reader
unwrapped is found and a short word that occurs anywhere is not. What the reader rewrites is
found in its new form: a numbered line as a list item without its number, a labelled photo
credit as an image's caption and credit, a byline as the article's authors (kept when story,
not leaked when chrome: it went to the metadata). The corpus is split into the same two
fixed halves as ``bench/html_reader_corpus.py``; figures are pooled over each half's lines
and averaged over its pages (a long page weighs less), and ``-v`` prints every page's. Titles
are also tried on selections begun a line or two above the headline, on the pages that show it.

    python bench/text_reader_corpus.py [-v]
    python bench/text_reader_corpus.py --past 50   # selections that run 50 lines past the story
    python bench/text_reader_corpus.py --page NAME   # each line of one copy: label and the reader's verdict
    python bench/text_reader_corpus.py --hostile 100000   # CPU time on copies of one shape repeated
"""

from __future__ import annotations

import json
import re
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from inscriptis import get_text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.html_reader_corpus import CORPUS, HALVES, half_of  # noqa: E402
from exporters.model import ArticleError, body_text  # noqa: E402
from exporters.readers.copied_text.bylines import byline_parts  # noqa: E402
from exporters.readers.copied_text.chrome import LIST_ITEM, labelled_credit  # noqa: E402
from exporters.readers.copied_text.reader import TextReader  # noqa: E402

#: Lines kept below the story's last line, as a person's selection overshoots it.
PAST_THE_END = 8
_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figcaption", "pre", "td", "th", "dd", "dt")
_WORD = re.compile(r"\w+")


def _norm(text: str) -> str:
    """Lowercased words joined by single spaces (punctuation and spacing do not count)."""
    return " ".join(_WORD.findall(text.lower()))


@dataclass
class CopiedPage:
    """A simulated browser copy of one corpus page, with each line below the title labelled."""

    name: str
    half: str
    title: str
    text: str
    lines: list[tuple[str, bool]]  # (line, is story)


@dataclass
class ExpectedStory:
    """The expected text and its blocks, normalised, and both again without spaces."""

    text: str
    blocks: set[str]
    compact_text: str
    compact_blocks: set[str]
    rows: set[str]


def expected_story(folder: Path) -> ExpectedStory:
    """The expected text (normalised) and the normalised text of each of its blocks."""
    root = lxml.html.fromstring((folder / "expected.html").read_text(encoding="utf-8"))
    blocks = {_norm(el.text_content()) for el in root.iter(*_BLOCKS)}
    # A copy lays out preformatted text line by line and a table row by row.
    blocks.update(_norm(line) for el in root.iter("pre") for line in el.text_content().split("\n"))
    rows = {_norm(" ".join(cell.text_content() for cell in row)) for row in root.iter("tr")} - {""}
    blocks = {b for b in blocks | rows if b}
    text = " " + _norm(root.text_content()) + " "
    return ExpectedStory(text, blocks, text.replace(" ", ""), {b.replace(" ", "") for b in blocks}, rows)


def is_story(line: str, story: ExpectedStory) -> bool:
    """Whether a copied line belongs to the expected story.

    Words are also compared without the spaces between them: a layout puts a space where an
    inline element starts ("AA<sup>H</sup>" is copied "AA H"), the expected text does not.
    """
    # The layout numbers the items of an ordered list; the expected text has no numbers.
    item = LIST_ITEM.match(line)
    if item and item.group("number") and is_story(item.group("text"), story):
        return True
    key = _norm(line)
    if not key:
        return False
    compact = key.replace(" ", "")
    if key in story.blocks or compact in story.compact_blocks:
        return True
    if len(key.split()) >= 4 and (f" {key} " in story.text or compact in story.compact_text):
        return True
    return _rows_side_by_side(key, story)


#: Lines of at most this many words are tried as two table rows laid out side by side.
_SIDE_BY_SIDE_WORDS = 30


def _rows_side_by_side(key: str, story: ExpectedStory) -> bool:
    """Whether a line is two rows of the expected text's tables, laid out side by side (tables nested in one row)."""
    words = key.split()
    if len(words) > _SIDE_BY_SIDE_WORDS:
        return False
    return any(
        " ".join(words[:cut]) in story.rows and " ".join(words[cut:]) in story.rows for cut in range(1, len(words))
    )


def _continues_story(lines: list[str], n: int, story: ExpectedStory) -> bool:
    """Whether a line of fewer than four words is story text together with the line before or after it.

    A block broken by ``<br>`` (a table cell, an address, a verse) is copied as several lines, and
    its short pieces are no block of their own.
    """
    key = _norm(lines[n])
    if not key or len(key.split()) >= 4:
        return False
    pairs = [f"{_norm(lines[n - 1])} {key}"] if n else []
    pairs += [f"{key} {_norm(lines[n + 1])}"] if n + 1 < len(lines) else []
    return any(len(pair.split()) >= 4 and f" {pair} " in story.text for pair in pairs)


def copy_of(folder: Path, above: int = 0) -> CopiedPage | None:
    """The page as a person would copy it, or None when the corpus gives it no title.

    With ``above``, the selection begins that many lines above the headline (a section's name, a
    date, a menu), on pages that show their headline; None on the others.
    """
    meta = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
    title = " ".join((meta.get("title") or "").split())
    if not title:
        return None
    story = expected_story(folder)
    raw = [
        " ".join(line.split()) for line in get_text((folder / "source.html").read_text(encoding="utf-8")).split("\n")
    ]
    labels = [bool(line) and is_story(line, story) for line in raw]
    first = next((n for n, ok in enumerate(labels) if ok), 0)
    last = max((n for n, ok in enumerate(labels) if ok), default=len(raw) - 1)
    heads = [n for n in range(first + 1) if _norm(raw[n]) == _norm(title)]
    start = heads[-1] + 1 if heads else first
    selected = raw[start : last + 1 + PAST_THE_END]
    # Blank lines are kept as the browser puts them: they separate paragraphs in the copy.
    text = title + "\n\n" + "\n".join(selected).strip("\n") + "\n"
    if above:
        if not heads:
            return None
        text = "\n".join([line for line in raw[: heads[-1]] if line][-above:] + [raw[heads[-1]]]) + "\n" + text
    # Lines of punctuation alone (rules, bullets) are neither story nor chrome.
    kept = [line for line in selected if _norm(line)]
    lines = [(line, is_story(line, story) or _continues_story(kept, n, story)) for n, line in enumerate(kept)]
    return CopiedPage(folder.name, half_of(folder.name), title, text, lines)


def titles_from_above(above: int, corpus: Path = CORPUS) -> tuple[int, int]:
    """Exact titles (words compared, not quote marks) when selections begin ``above`` lines over the headline."""
    reader = TextReader()
    pages = [page for page in (copy_of(folder, above) for folder in sorted(corpus.iterdir())) if page]
    exact = 0
    for page in pages:
        try:
            exact += _norm(reader.read(page.text.encode("utf-8"), page.name)[0].title) == _norm(page.title)
        except ArticleError:
            pass
    return exact, len(pages)


@dataclass
class PageScore:
    """One page's line counts."""

    name: str
    half: str
    story: int
    kept: int
    chrome: int
    leaked: int
    title_ok: bool
    seconds: float
    error: str = ""


@dataclass
class ReaderOutput:
    """What the reader made of a copy: its body's lines and text (normalised), and the byline lines it read."""

    lines: set[str]
    text: str
    authors: tuple[str, ...]

    @classmethod
    def of(cls, body: str, authors: tuple[str, ...]) -> ReaderOutput:
        return cls({_norm(line) for line in body.split("\n")}, " " + _norm(body) + " ", authors)

    def has(self, lines: list[tuple[str, bool]], n: int) -> bool | None:
        """Whether the output has copy line ``n``: as a line, as a run of four words or more, or in context.

        A line of fewer than four words is looked for together with the line before or after it, so a
        short line the reader joined to its neighbour (the end of a hard-wrapped paragraph) counts, and a
        short word that merely occurs somewhere in the output does not. None for a byline whose people
        became the article's authors: it went to the metadata, which keeps a story line and leaks no chrome.
        """
        key = _norm(lines[n][0])
        if key in self.lines or (len(key.split()) >= 4 and f" {key} " in self.text):
            return True
        # A photo credit the reader made an image's credit loses its label ("Photo by", "Credit").
        credit = labelled_credit(lines[n][0])
        if credit and all(
            _norm(part) in self.lines for part in (credit.group("caption"), credit.group("credit")) if _norm(part)
        ):
            return True
        # A numbered line the reader made a list item keeps its number in the list, not in the item's text.
        item = LIST_ITEM.match(lines[n][0])
        if item and item.group("number") and (text := _norm(item.group("text"))) and text in self.lines:
            return True
        if self.authors and byline_parts(lines[n][0]) and all(_norm(a) in key for a in self.authors):
            return None
        if len(key.split()) >= 4:
            return False
        around = [_norm(lines[m][0]) for m in (n - 1, n + 1) if 0 <= m < len(lines)]
        pairs = ([f"{around[0]} {key}"] if n > 0 else []) + ([f"{key} {around[-1]}"] if n + 1 < len(lines) else [])
        return any(len(pair.split()) >= 4 and f" {pair} " in self.text for pair in pairs)


def score_page(page: CopiedPage, reader: TextReader) -> PageScore:
    """Count the story lines the reader kept and the chrome lines it let through."""
    start = time.perf_counter()
    try:
        article = reader.read(page.text.encode("utf-8"), page.name)[0]
        output, title, error = ReaderOutput.of(body_text(article.body), article.authors), article.title, ""
    except ArticleError as exc:
        output, title, error = ReaderOutput.of("", ()), "", str(exc)
    seconds = time.perf_counter() - start
    found = [output.has(page.lines, n) for n in range(len(page.lines))]
    story = [has is not False for has, (_, ok) in zip(found, page.lines) if ok]
    chrome = [has is True for has, (_, ok) in zip(found, page.lines) if not ok]
    return PageScore(
        page.name,
        page.half,
        story=len(story),
        kept=sum(story),
        chrome=len(chrome),
        leaked=sum(chrome),
        title_ok=title == page.title,
        seconds=seconds,
        error=error,
    )


def summary(scores: list[PageScore]) -> str:
    """Pooled kept and leaked shares, and exact titles, over some pages."""
    story, kept = sum(s.story for s in scores), sum(s.kept for s in scores)
    chrome, leaked = sum(s.chrome for s in scores), sum(s.leaked for s in scores)
    titles = sum(s.title_ok for s in scores)
    page_kept = sum(s.kept / s.story for s in scores if s.story) / max(1, sum(1 for s in scores if s.story))
    page_leaked = sum(s.leaked / s.chrome for s in scores if s.chrome) / max(1, sum(1 for s in scores if s.chrome))
    return (
        f"story lines kept {kept / max(story, 1):6.1%} ({kept}/{story}; per page {page_kept:6.1%}), "
        f"chrome lines leaked {leaked / max(chrome, 1):6.1%} ({leaked}/{chrome}; per page {page_leaked:6.1%}), "
        f"titles exact {titles}/{len(scores)}"
    )


def measure(corpus: Path = CORPUS) -> list[PageScore]:
    """Every titled corpus page's scores, in folder order."""
    reader = TextReader()
    pages = [copy_of(folder) for folder in sorted(p for p in corpus.iterdir() if p.is_dir())]
    return [score_page(page, reader) for page in pages if page is not None]


def show_page(name: str, corpus: Path = CORPUS) -> None:
    """Print one page's copy line by line: its label (story or chrome) and whether the reader's body has it."""
    page = copy_of(corpus / name)
    if page is None:
        sys.exit(f"{name}: no such titled corpus page")
    try:
        article = TextReader().read(page.text.encode("utf-8"), page.name)[0]
        output, title = ReaderOutput.of(body_text(article.body), article.authors), article.title
    except ArticleError as exc:
        output, title = ReaderOutput.of("", ()), f"error: {exc}"
    print(f"{page.name} ({page.half}); title {'ok' if title == page.title else '--'}: {title}")
    marks: dict[tuple[bool, bool | None], str] = {
        (True, True): "story  kept   ",
        (True, False): "story  DROPPED",
        (False, True): "chrome LEAKED ",
    }
    marks |= {(True, None): "story  byline ", (False, None): "chrome byline "}
    for n, (line, story) in enumerate(page.lines):
        print(f"{marks.get((story, output.has(page.lines, n)), 'chrome dropped')} | {line[:150]}")


def hostile_copies(lines: int) -> dict[str, str]:
    """Copies made of one shape of chrome or story repeated about ``lines`` times, to time the reader's passes.

    Each shape makes one rule do the most work it can (a list of links as long as the copy, a slideshow
    of thousands of slides): a pass that looks at every line again for every line shows here.
    """
    n = lines // 4
    sentence = "This is a paragraph of story text that ends with a full stop here."
    shapes = {
        "labels": "\n".join(f"Label number {k}" for k in range(lines)),
        "link list": "\n".join(f"* Item {k}" for k in range(lines)),
        "slideshow": "\n\n".join(
            f"* {k}/{n} Slide\n\nA caption describing what the photo shows.\n\nGetty" for k in range(1, n)
        ),
        "dated teasers": "\n\n".join(f"Headline {k}\n{1 + k % 28} March 2019 at 13:{k % 60:02d}" for k in range(n)),
        "broken lines": "\n".join("a long line of text broken in the middle of a sentence, and" for _ in range(lines)),
        "headings": "\n\n".join(f"Section {k}\nSubsection title {k}\n\n{sentence}" for k in range(n)),
        "comments": "\n\n".join(f"Comments\n\n{sentence}\n\nReply" for _ in range(n)),
        "code": "\n".join(f"x_{k} = f({k});" for k in range(lines)),
    }
    return {name: f"Title\n\n{sentence}\n\n{body}\n" for name, body in shapes.items()}


def time_hostile_copies(lines: int) -> None:
    """Print the reader's time on each hostile copy."""
    reader = TextReader()
    for name, text in hostile_copies(lines).items():
        start = time.process_time()
        reader.read(text.encode("utf-8"), name)
        print(f"{name:14} {len(text) / 2**20:5.1f} MB: {time.process_time() - start:6.2f} s CPU")


def main() -> None:
    """Print each half's figures, then (with -v) every page's, with time and memory; --page NAME shows one page."""
    if "--page" in sys.argv:
        show_page(sys.argv[sys.argv.index("--page") + 1])
        return
    if "--hostile" in sys.argv:
        time_hostile_copies(int(sys.argv[sys.argv.index("--hostile") + 1]))
        return
    if "--past" in sys.argv:  # a selection that overshoots the story by more lines
        global PAST_THE_END
        PAST_THE_END = int(sys.argv[sys.argv.index("--past") + 1])
    scores = measure()
    elapsed = sum(s.seconds for s in scores)
    print(
        f"{len(scores)} simulated browser copies of corpus pages (inscriptis), headline to {PAST_THE_END} lines past the story"
    )
    for half in HALVES:
        print(f"TextReader {half:8} {summary([s for s in scores if s.half == half])}")
    raw = sum(s.chrome for s in scores) / max(1, sum(s.chrome + s.story for s in scores))
    print(f"chrome share of the copies' lines: {raw:.1%}")
    for above in (1, 2):
        exact, pages = titles_from_above(above)
        print(f"selection begun {above} line(s) above the headline: titles exact {exact}/{pages}")
    if "-v" in sys.argv:
        print(f"\n{'page':42} {'half':8} {'story':>5} {'kept':>6} {'chrome':>6} {'leaked':>6} title")
        for s in scores:
            print(
                f"{s.name:42} {s.half:8} {s.story:5} {s.kept / max(s.story, 1):6.0%} {s.chrome:6} "
                f"{s.leaked / max(s.chrome, 1):6.0%} {'ok' if s.title_ok else '--'} {s.error}"
            )
    print(
        f"reader time: {1000 * elapsed / len(scores):.2f} ms/page; "
        f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )


if __name__ == "__main__":
    main()
