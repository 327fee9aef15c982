"""Formats that differ from Django's for a language (FORMAT_MODULE_PATH): the rest stay Django's."""
