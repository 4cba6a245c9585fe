"""Everything PySide6: the reading window and its parts. The only package that imports Qt."""
