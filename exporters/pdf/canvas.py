"""reportlab's canvas, fenced in: build-time stamps, compact pages and links, numbers drawn after layout.

Everything here reaches into reportlab internals (the document's time stamp and signature,
page streams, annotations); the rest of the PDF exporter uses reportlab's public API only.
"""

from __future__ import annotations

import hashlib
import time
import zlib
from datetime import datetime

from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFObject, PDFStream, PDFString
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

__all__ = ["BookCanvas", "define_number_form"]


class BookCanvas(Canvas):
    """A canvas that deflates each page's content stream as soon as the page is closed.

    reportlab keeps every page's operators as text until ``save``; a thousand-article book
    would hold tens of megabytes of them. The bytes are what reportlab would write anyway.
    """

    def stamp(self, generated: datetime) -> None:
        """Take the file's dates and ID from ``generated``.

        reportlab takes both from ``SOURCE_DATE_EPOCH`` or the clock when the canvas is made;
        the exporter's contract is that only ``collection.generated`` decides them.
        """
        seconds = int(generated.timestamp())
        stamp = self._doc._timeStamp
        stamp.t, stamp.lt = seconds, time.gmtime(seconds)
        stamp.YMDhms, stamp.dhh, stamp.dmm, stamp.tzname = tuple(stamp.lt)[:6], 0, 0, "UTC"
        self._doc.signature = hashlib.md5(b"a reportlab document" + ascii(seconds).encode(), usedforsecurity=False)

    def showPage(self):
        """Close the page as reportlab does, then keep its content compressed."""
        super().showPage()
        page = self._doc.Pages.pages[-1]
        if page.stream and page.compression:
            stream = _PageStream(
                PDFDictionary({"Filter": PDFArray([PDFName("FlateDecode")])}), zlib.compress(page.stream.encode("utf8"))
            )
            page.Contents, page.stream = stream, None

    def pdf_pieces(self) -> list[bytes]:
        """The file's bytes as :meth:`getpdfdata` makes them, in the pieces it would join at its end.

        Joined, the file would be held twice at the moment memory peaks. reportlab's signing
        hook is handed the pieces just before the join; this takes them, leaving nothing to join.
        """
        taker = _TakePieces()
        self._doc._digiSigs = [taker]
        rest = self.getpdfdata()
        return [*taker.pieces, rest] if rest else taker.pieces

    def linkURL(self, url, rect, relative=0, thickness=0, color=None, dashArray=None, kind="URI", **kw):
        """A web link, kept as its URL and rectangle until the file is written (reportlab's built
        annotation costs about 1.8 KB, and a thousand articles hold tens of thousands of links)."""
        if kind != "URI" or color is not None or dashArray or kw:
            return super().linkURL(url, rect, relative, thickness, color, dashArray, kind, **kw)
        self._addAnnotation(_WebLink(url, tuple(self._absRect(rect, relative)), thickness))
        return None


class _PageStream(PDFStream):
    """A page's deflated content, dropped once formatted into the file (whose bytes then hold it)."""

    def format(self, document):
        data = super().format(document)
        self.content = None
        return data


class _TakePieces:
    """Stands as reportlab's last "signature" to take the formatted file's pieces before they are joined."""

    def __init__(self) -> None:
        self.pieces: list[bytes] = []

    def sign(self, file) -> None:
        self.pieces, file.strings = file.strings, []


class _WebLink(PDFObject):
    """A link annotation to a URL, formatted the way reportlab's ``linkURL`` builds it."""

    __slots__ = ("url", "rect", "thickness")

    def __init__(self, url: str, rect: tuple[float, ...], thickness: float):
        self.url, self.rect, self.thickness = url, rect, thickness

    def format(self, document):
        """The annotation dictionary, built only now."""
        action = PDFDictionary({"Type": PDFName("Action"), "S": PDFName("URI"), "URI": PDFString(self.url)})
        annotation = PDFDictionary(
            {
                "Type": PDFName("Annot"),
                "Subtype": PDFName("Link"),
                "Rect": PDFArray(list(self.rect)),
                "A": action,
                "Border": PDFArray([0, 0, self.thickness or 0]),
            }
        )
        return annotation.format(document)


def define_number_form(canv: Canvas, name: str, text: str, font: str, size: float, align_right: bool) -> None:
    """Define the form XObject ``name`` drawing ``text``: a number known only after layout, drawn before it."""
    width = stringWidth(text, font, size)
    canv.beginForm(
        name, lowerx=-width if align_right else 0, lowery=-size, upperx=0 if align_right else width, uppery=size
    )
    canv.setFont(font, size)
    canv.setFillGray(0.3 if not align_right else 0)
    (canv.drawRightString if align_right else canv.drawString)(0, 0, text)
    canv.endForm()
