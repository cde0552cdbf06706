"""Glue for the places techfile runs: the GitHub Action (pre-commit needs none)."""
