"""PDF scripts through the CLI on a machine with DejaVu only: placeholders, one warning, right-to-left, `fonts`."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import replace
from pathlib import Path

import pypdf
import pytest
from conftest import corpus_articles
from typer.testing import CliRunner

from bench.corpus_jsonl import write_corpus_jsonl
from exporters.model import Article, Image
from exporters.pdf import fonts as pdffonts
from exporters.pdf.direction import visual_order
from exporters.pipeline.jsonform import articles_to_json

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
ARABIC = "مرحبا بالعالم هذه فقرة عربية قصيرة"
HEBREW = "שלום עולם זו פסקה בעברית"

pytestmark = pytest.mark.skipif(not DEJAVU.is_dir(), reason="needs DejaVu fonts in " + str(DEJAVU))


@pytest.fixture
def dejavu_only(tmp_path, monkeypatch):
    """fontconfig limited to the DejaVu folder, as on a fresh machine; font lookups start afresh."""
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig><dir>{DEJAVU}</dir><cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))
    pdffonts._installed_charsets.cache_clear()
    yield
    pdffonts._installed_charsets.cache_clear()


def run(*args: str):
    from main import app

    return CliRunner().invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "100"})


def markdown(path: Path, title: str, body: str, language: str = "en") -> Path:
    path.write_text(f"---\ntitle: {title}\nlang: {language}\ndate: 2024-05-01\n---\n\n{body}\n", encoding="utf-8")
    return path


def body_text(pdf: Path) -> str:
    """The text of the pages after the title page and contents, NFKC-normalised (shaped Arabic is
    extracted as presentation forms, which NFKC maps back to the letters)."""
    pages = pypdf.PdfReader(str(pdf)).pages[2:]
    return unicodedata.normalize("NFKC", "".join(page.extract_text() for page in pages))


def test_emoji_and_cjk_print_as_placeholders_with_one_warning_naming_them(tmp_path, dejavu_only):
    source = markdown(tmp_path / "stars.md", "Stars and ideographs", "Stars 🌟 shine over 日本 tonight, ⭐ rated.")
    out = tmp_path / "stars.pdf"
    result = run("export", str(source), "-o", str(out), "--title", "T")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Exporting 1 article (1 read, 0 duplicates merged, 0 left out by the selection)",
        "Warning: pdf: no installed font has glyphs for some characters, printed as □ in 1 article: "
        "'Stars and ideographs' (⭐ U+2B50 日 U+65E5 本 U+672C 🌟 U+1F31F); "
        "'newsexport fonts' says which font packages add them",
        f"Wrote {out} (pdf, 1 article, {out.stat().st_size:,} bytes)",
    ]
    assert "Stars □ shine over □□ tonight, □ rated." in body_text(out)


def test_arabic_paragraph_is_extracted_in_logical_order(tmp_path, dejavu_only):
    source = markdown(tmp_path / "ar.md", "عنوان عربي", ARABIC + "\n\n" + HEBREW, language="ar")
    out = tmp_path / "ar.pdf"
    assert run("export", str(source), "-o", str(out), "-q").exit_code == 0
    lines = body_text(out).splitlines()
    assert lines[0] == "عنوان عربي"
    assert lines[2:4] == [" " + ARABIC, " " + HEBREW]


def test_mixed_direction_lines_keep_each_word_readable(tmp_path, dejavu_only):
    body = "The word سلام means peace, and so does שלום.\n\nفي عام 2024 زار Alice القاهرة"
    source = markdown(tmp_path / "mixed.md", "Mixed directions", body)
    out = tmp_path / "mixed.pdf"
    assert run("export", str(source), "-o", str(out), "-q").exit_code == 0
    # Words are drawn left to right in visual order (the second line: القاهرة Alice زار 2024 عام في).
    # pypdf reads each right-to-left run backwards, into logical order, so every word comes out
    # readable; where runs of the two directions meet it puts the spaces as it finds them, and a
    # full stop shaped with its Hebrew word stays on the word's left.
    assert body_text(out).splitlines()[2:4] == [
        "The word  سلامmeans peace, and so does .שלום",
        "  القاهرةAlice  زار2024 في عام",
    ]


def test_visual_order_follows_the_bidi_algorithm():
    assert visual_order(["abc", "مرحبا", "عالم", "def"], rtl=False) == [0, 2, 1, 3]
    assert visual_order(["مرحبا", "abc", "def", "عالم"], rtl=True) == [3, 1, 2, 0]
    assert visual_order(["في", "في", "abc"], rtl=True) == [2, 1, 0]


def without_images(article: Article) -> Article:
    """The article without its images, which name remote hosts that a test must not reach."""
    return replace(article, image=None, body=tuple(b for b in article.body if not isinstance(b, Image)))


def test_corpus_pages_build_with_dejavu_only(tmp_path, dejavu_only):
    source = tmp_path / "corpus.json"
    source.write_text(articles_to_json([without_images(a) for a in corpus_articles(110)]), encoding="utf-8")
    out = tmp_path / "corpus.pdf"
    result = run("export", str(source), "-o", str(out), "--title", "Corpus")
    assert result.exit_code == 0, result.output
    summary, warning, wrote = result.output.splitlines()
    assert summary.startswith("Exporting 108 articles (")
    # Eight pages are in Chinese or Japanese, or carry an emoji: DejaVu has none of those glyphs.
    assert warning.startswith(
        "Warning: pdf: no installed font has glyphs for some characters, printed as □ in 8 articles: "
        "'Conversations with a Cryptid - Chapter 1 - AMournfulHowlInTheNight - 僕のヒーローアカデミア | Boku no Hero "
        "Academia' (の U+306E ア U+30A2 "
    )
    # Two of the 110 pages are the same article (one URL): the reader merges them.
    assert wrote == f"Wrote {out} (pdf, 108 articles, {out.stat().st_size:,} bytes)"
    assert len(pypdf.PdfReader(str(out)).outline) == 108


def test_fonts_command_lists_covered_and_missing_scripts(dejavu_only):
    result = run("fonts")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    files = len(list(DEJAVU.glob("*.ttf")))
    assert lines[0].startswith(f"TrueType fonts the PDF can embed: {files} files, ")
    assert "  Hebrew             DejaVu Sans" in lines
    assert "  Arabic             DejaVu Sans, DejaVu Sans Mono" in lines
    assert "  Japanese           missing: printed as □" in lines
    assert "  Debian/Ubuntu: sudo apt install fonts-noto-core fonts-droid-fallback fonts-symbola" in lines


def test_a_thousand_bench_articles_build_with_dejavu_only(tmp_path, dejavu_only):
    source = write_corpus_jsonl(tmp_path / "bench.jsonl", 1000)
    out = tmp_path / "bench.pdf"
    result = run("export", str(source), "-o", str(out), "--title", "Bench")
    assert result.exit_code == 0, result.output
    summary, warning, wrote = result.output.splitlines()
    # Pages the corpus holds twice (the same title and text) are merged, as in the 110-page test above.
    assert summary == "Exporting 982 articles (1,000 read, 18 duplicates merged, 0 left out by the selection)"
    # The first ten of the 73 articles (CJK pages, an emoji) with up to eight characters each, the rest counted.
    assert warning == (
        "Warning: pdf: no installed font has glyphs for some characters, printed as □ in 73 articles: "
        + ", ".join(
            [
                "'Conversations with a Cryptid - Chapter 1 - AMournfulHowlInTheNight - 僕のヒーローアカデミア | "
                "Boku no Hero Academia' (の U+306E ア U+30A2 カ U+30AB デ U+30C7 ヒ U+30D2 ミ U+30DF ロ U+30ED "
                "ー U+30FC and 1 more)",
                "'These Weeks in Firefox: Issue 85 – Firefox Nightly News' (🌟 U+1F31F)",
                "'宇航员在太空中喝酒会怎么样？后果很严重 _探索者 _光明网' (、 U+3001 。 U+3002 一 U+4E00 三 U+4E09 "
                "上 U+4E0A 下 U+4E0B 不 U+4E0D 与 U+4E0E and 659 more)",
                "'欲張りなイヌ ＜福娘童話集 きょうのイソップ童話＞' (\u3000 U+3000 、 U+3001 。 U+3002 々 U+3005 "
                "「 U+300C 」 U+300D ぁ U+3041 あ U+3042 and 208 more)",
                "'新竹尖石_美樹營地賞楓 (2) @ 史蒂文的家_藍天 :: 痞客邦 PIXNET ::' (、 U+3001 ㄜ U+311C ㄟ U+311F "
                "一 U+4E00 三 U+4E09 上 U+4E0A 下 U+4E0B 不 U+4E0D and 728 more)",
                "'List of films featuring time loops' (い U+3044 が U+304C け U+3051 だ U+3060 な U+306A 僕 U+50D5 "
                "街 U+8857)",
                "'トレンドマイクロ、公衆無線LANを安全に使うためのアプリ「フリーWi-Fiプロテクション」（CNET Japan） - "
                "Yahoo!ニュース' (、 U+3001 。 U+3002 「 U+300C 」 U+300D あ U+3042 い U+3044 う U+3046 え U+3048 "
                "and 226 more)",
                "'海外留学生看两会：出国前后关注点大不同_教育频道_中国青年网' (、 U+3001 。 U+3002 一 U+4E00 万 U+4E07 "
                "三 U+4E09 上 U+4E0A 下 U+4E0B 不 U+4E0D and 537 more)",
                "'Conversations with a Cryptid - Chapter 1 - AMournfulHowlInTheNight - 僕のヒーローアカデミア | "
                "Boku no Hero Academia (2)' (の U+306E ア U+30A2 カ U+30AB デ U+30C7 ヒ U+30D2 ミ U+30DF ロ U+30ED "
                "ー U+30FC and 1 more)",
                "'These Weeks in Firefox: Issue 85 – Firefox Nightly News (2)' (🌟 U+1F31F)",
            ]
        )
        + " and 63 more articles; 'newsexport fonts' says which font packages add them"
    )
    assert wrote == f"Wrote {out} (pdf, 982 articles, {out.stat().st_size:,} bytes)"
    # One outline entry per article, in input order, each an input title (the merged ones left out).
    outline = [item.title for item in pypdf.PdfReader(str(out)).outline]
    titles = iter(" ".join(json.loads(line)["title"].split()) for line in source.read_text().splitlines())
    assert len(outline) == 982
    assert all(title in titles for title in outline)
