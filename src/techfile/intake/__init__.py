"""Intake: find the files of a technical file, read them, and parse each one on its own."""
