"""newsexport: turn saved news articles into EPUB collections, printable PDFs and feeds."""

__version__ = "0.1.0"
