"""Boundary data shipped with spatialinno (built by build.py; see README.md)."""
