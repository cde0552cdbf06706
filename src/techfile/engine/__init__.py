"""The engine: selection, severity, ownership and suppression around the rules."""
