"""Data access: gazetteer, zone sets, catalogues, the per-user data directory."""
