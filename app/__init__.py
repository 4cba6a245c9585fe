"""Baozhi Reader (报纸阅读器): read, search and export plain-text Chinese newspaper pages offline."""

__version__ = "0.1.0"
