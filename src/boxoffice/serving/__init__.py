"""Serving over HTTP: gunicorn supervises uvicorn worker processes running the WSGI app."""
