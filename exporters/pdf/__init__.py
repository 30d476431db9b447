"""The PDF exporter: options, the reportlab book, its layout and fonts (reportlab is imported only when rendering)."""
