"""Core state under the vendors: clock, ids, namespaces, fixtures, settings and wire helpers."""
