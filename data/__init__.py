"""Shipped data (installed as the package ``geo._data``); see README.md here for provenance."""
