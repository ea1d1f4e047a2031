"""Shared web parts the apps build on: the htmx request type and form fields (no app imports)."""
