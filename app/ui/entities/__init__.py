"""Entities in the window: their colours and marks, the legend, the entity dock and the list
narrowed to one name."""
