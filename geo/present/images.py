"""Slide images: kept as an import path; the renderer lives in :mod:`geo.present.image`."""

from geo.present.image import ImageFormat, render_image, render_images

__all__ = ["ImageFormat", "render_image", "render_images"]
