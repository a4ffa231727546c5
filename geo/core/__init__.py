"""Pure core: values in, shapely geometries and plain results out. No I/O here."""
