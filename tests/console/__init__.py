"""The web console: sessions, pages, call log, seat maps, and the browser tests."""
