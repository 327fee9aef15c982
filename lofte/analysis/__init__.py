"""Löfte's numerical core: pure functions over arrays, no Django anywhere in here."""
