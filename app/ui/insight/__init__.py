"""The archive seen whole: the timeline, who appears with whom, and a dossier for a name (issue 20)."""
