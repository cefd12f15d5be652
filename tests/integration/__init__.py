"""Repositories and unit of work on SQLite and PostgreSQL."""
