"""Presentation: GeoJSON, HTML maps, slide images, GIS exports, reports."""
