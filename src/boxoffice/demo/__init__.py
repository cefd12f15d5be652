"""The demo catalog, shipped as package data."""
