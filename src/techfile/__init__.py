"""techfile: a linter for EU MDR technical files kept as docs-as-code."""

__version__ = "0.2.0"
