"""The reader's marks in the window: the bar in the reading pane, the dialogs for tags and notes,
highlights, the saved-search panel, and the window's part that ties them to the marks store."""
