"""The EPUB exporter: chapters, package, images and the generated cover."""
