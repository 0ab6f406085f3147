"""Markers for tests that need real services (placeholder; replaced by the infrastructure work)."""
