"""``newsexport check BOOK --device NAME`` on books the test exports and then doctors, and ``--device`` on export."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import zipfile

import pytest
from conftest import SAMPLES
from PIL import Image
from typer.testing import CliRunner

import main
from exporters.epub.devices import DEVICES, check_book

ENV = {"NO_COLOR": "1", "COLUMNS": "100", "TERM": "dumb"}


def cli(*args: str):
    return CliRunner().invoke(main.app, list(args), env=ENV)


@pytest.fixture(scope="module")
def sample_book(tmp_path_factory):
    book = tmp_path_factory.mktemp("book") / "samples.epub"
    result = cli("export", str(SAMPLES), "-o", str(book), "-q")
    assert result.exit_code == 0, result.output
    return book


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def doctor(source, target, *, add=(), opf=lambda text: text):
    """A copy of the EPUB ``source`` with files added (``(name, media type, bytes)``, listed in the manifest)
    and the package document passed through ``opf``."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "EPUB/content.opf":
                text = data.decode("utf-8")
                items = "".join(
                    f'<item id="extra{n}" href="{name}" media-type="{media_type}"/>'
                    for n, (name, media_type, _) in enumerate(add)
                )
                data = opf(text.replace("</manifest>", items + "</manifest>")).encode("utf-8")
            new.writestr(info, data)
        for name, _, data in add:
            new.writestr(f"EPUB/{name}", data)
    return target


def test_the_exported_samples_are_clean_for_every_device(sample_book):
    for device in DEVICES:
        result = cli("check", str(sample_book), "--device", device)
        assert (result.exit_code, result.stdout) == (0, f"{sample_book}: nothing {device} would choke on\n")


def test_kindle_reports_the_missing_language_and_webp_and_svg_images(sample_book, tmp_path):
    webp = io.BytesIO()
    Image.new("RGB", (40, 30)).save(webp, "WEBP")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    book = doctor(
        sample_book,
        tmp_path / "doctored.epub",
        add=[("images/photo.webp", "image/webp", webp.getvalue()), ("images/chart.svg", "image/svg+xml", svg)],
        opf=lambda text: re.sub(r"<dc:language>[^<]*</dc:language>", "", text),
    )
    result = cli("check", str(book), "--device", "kindle")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{book}: the book has no language (dc:language)",
        f"{book}: images/photo.webp: image/webp images are not shown by kindle",
        f"{book}: images/chart.svg: image/svg+xml images are not shown by kindle",
    ]
    # Kobo shows SVG, not WebP.
    result = cli("check", str(book), "--device", "kobo")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{book}: the book has no language (dc:language)",
        f"{book}: images/photo.webp: image/webp images are not shown by kobo",
    ]


def test_kobo_reports_css_its_renderer_ignores_and_kindle_does_not(sample_book, tmp_path):
    css = b"/* min() in a comment is not used */\n:root { --gap: 1em; }\np { margin: clamp(1em, 2vw, 2em); }\n"
    book = doctor(sample_book, tmp_path / "css.epub", add=[("style/extra.css", "text/css", css)])
    result = cli("check", str(book), "--device", "kobo")
    assert (result.exit_code, result.stdout) == (
        1,
        f"{book}: style/extra.css: uses CSS custom properties, clamp(), which kobo ignores\n",
    )
    assert cli("check", str(book), "--device", "kindle").exit_code == 0


def test_an_image_far_larger_than_the_screen_and_a_missing_manifest_file(sample_book, tmp_path):
    book = doctor(
        sample_book,
        tmp_path / "wide.epub",
        add=[("images/wide.png", "image/png", png(5000, 100))],
        opf=lambda text: text.replace(
            "</manifest>", '<item id="gone" href="images/gone.jpg" media-type="image/jpeg"/></manifest>'
        ),
    )
    result = cli("check", str(book), "--device", "ereader")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{book}: images/wide.png: 5000x100 pixels, far larger than the 1072x1448 screen",
        f"{book}: images/gone.jpg: listed in the manifest but not in the book",
    ]
    # The tablet's screen is 2048 wide: 5000 is over twice that too, the 800 px samples are not.
    assert f"{book}: images/wide.png: 5000x100 pixels" in cli("check", str(book), "--device", "tablet").stdout


def test_a_book_over_the_devices_size_limit(sample_book):
    size = sample_book.stat().st_size
    small_kindle = dataclasses.replace(DEVICES["kindle"], max_bytes=100_000)
    assert size > 100_000
    assert check_book(sample_book, small_kindle) == [f"the book is {size / 1e6:.1f} MB, over the 0.1 MB kindle accepts"]


def test_bad_usage_exits_2_with_one_line(sample_book, tmp_path):
    result = cli("check", str(sample_book), "--device", "nook")
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: --device must be one of kindle, kobo, remarkable, ereader, tablet, not 'nook'\n",
    )
    result = cli("check", str(sample_book))
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: pass --device (one of kindle, kobo, remarkable, ereader, tablet)\n",
    )
    missing = tmp_path / "missing.epub"
    result = cli("check", str(missing), "--device", "kobo")
    assert (result.exit_code, result.stderr, result.stdout) == (2, f"Error: {missing}: no such file\n", "")


def test_a_file_that_is_not_an_epub_is_a_problem(tmp_path):
    page = tmp_path / "page.epub"
    page.write_text("<html></html>", encoding="utf-8")
    result = cli("check", str(page), "--device", "kobo")
    assert (result.exit_code, result.stdout) == (
        1,
        f"{page}: not a readable EPUB (BadZipFile: File is not a zip file)\n",
    )


# -- --device on export -------------------------------------------------------------------------------
@pytest.fixture
def big_photo_article(tmp_path):
    """The night-train sample with its picture replaced by a 3000x1500 colour one."""
    folder = tmp_path / "in"
    (folder / "images").mkdir(parents=True)
    shutil.copy(SAMPLES / "night-trains-alps.md", folder)
    (folder / "images" / "night-train.png").write_bytes(png(3000, 1500))
    return folder / "night-trains-alps.md"


def article_images(book) -> list[Image.Image]:
    with zipfile.ZipFile(book) as epub:
        names = [n for n in epub.namelist() if n.startswith("EPUB/images/") and "cover" not in n]
        images = [Image.open(io.BytesIO(epub.read(n))) for n in names]
    assert images
    return images


@pytest.mark.parametrize(
    ("flags", "width", "modes"),
    [
        ((), 1200, {"RGB"}),
        (("--device", "kobo"), 1264, {"RGB"}),
        (("--device", "kobo", "--max-image-width", "800"), 800, {"RGB"}),
        (("--device", "remarkable"), 1404, {"L"}),
    ],
)
def test_export_device_defaults_and_explicit_options_win(big_photo_article, tmp_path, flags, width, modes):
    book = tmp_path / "out.epub"
    result = cli("export", str(big_photo_article), "-o", str(book), "-q", *flags)
    assert result.exit_code == 0, result.output
    images = article_images(book)
    assert {image.size[0] for image in images} == {width}
    assert {image.mode for image in images} == modes
