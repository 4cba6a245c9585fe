"""Seeing the archive (Qt-free): when a topic was in the paper, who stands beside whom, and a
dossier for any name.

- :mod:`.timeline` counts articles per day, week, month or year, for the library, a search or
  several searches side by side; articles without a full date are counted apart, never guessed.
- :mod:`.network` counts the people, places and organisations named together in articles and
  lays the network out.
- :mod:`.dossier` gathers everything the archive says of one name: its mentions over time, every
  sentence that names it (a concordance), the names most often beside it, its spellings.
- :mod:`.facts` reads each article's date and names once per library (:class:`ArchiveFacts`)
  and then answers timelines and networks for any set of article ids quickly (100k articles).

Counting and layout live here, with tests; drawing is the window's (``app/ui/insight``).
"""
