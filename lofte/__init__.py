"""Löfte: plan, carry out and publicly follow up a citizen promise for local safety."""

__version__ = "0.1.0"
