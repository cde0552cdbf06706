"""Ground-floor helpers that import only the standard library and nothing from techfile."""
