"""The ground floor: shipped data (registries, clause registry, schemas, rule pages) and the
code that loads it. Imports nothing of techfile above it."""
