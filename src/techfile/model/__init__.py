"""The document model: documents, items, references and findings."""
