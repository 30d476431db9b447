"""HTML in and out: sanitising (nh3), HTML to model blocks, lazily converted bodies, blocks to XHTML."""
