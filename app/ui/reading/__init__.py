"""The reading pane: the article set as a newspaper would, its fonts, and printing."""
