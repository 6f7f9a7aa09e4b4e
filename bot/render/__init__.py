"""Renderers turn the core's neutral replies into one platform's format."""
