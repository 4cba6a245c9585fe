"""Exporting from the window: the dialog and the run that writes the files off the GUI thread."""
