"""Use cases, one function per contract verb; each owns its transaction."""
