"""Searching from the window: the search box, the library's search (index or scan, off the GUI
thread), the marks of a query's words, and the indexing progress."""
