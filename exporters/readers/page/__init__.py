"""Saved HTML pages: decoding, extraction of the main content, page metadata."""
