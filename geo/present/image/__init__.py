"""Slide images of a map (PNG, SVG, PDF) drawn with matplotlib.

The projection is azimuthal equidistant centred on the launch site (``content.focus``):
distances and bearings from the site are true, so range rings are true circles. Every
lon/lat geometry is first intersected with a disk around the site (built by the same exact
geodesic code as the ranges, so the disk is exact in any position), then projected vertex by
vertex. A region that does not contain the antipode maps to one region of the plane; the
extra edges that lon/lat polygons carry (cuts at 180°, closures over a pole) come in pairs
that cancel when filling, and are never stroked: outlines are drawn from the real boundary
only. This is why rings across the antimeridian or around a pole draw without streaks or
inverted fills.

Modules: ``frame`` (projection and view), ``draw`` (features on an axes), ``legend``,
``labels`` (names placed by :mod:`geo.present.layout`), ``inset`` (impact detail view),
``features`` (drawing order) and ``render`` (the figure, saved to every format at once).
"""

from geo.present.image.render import ImageFormat, render_image, render_images

__all__ = ["ImageFormat", "render_image", "render_images"]
