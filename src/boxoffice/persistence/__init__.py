"""SQLAlchemy 2.x storage: tables, mapping, repositories, unit of work."""
