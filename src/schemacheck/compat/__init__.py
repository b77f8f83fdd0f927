"""Compatibility engines: pair old and new elements of one format and run the selected rules."""
