"""The article list beside the reading pane: its model, sort orders, shown rows, painting, the panel
that holds them, and the notice of remembered sources that are missing."""
