"""What the window remembers and how it looks and speaks: the settings file, the theme, the
interface language."""
