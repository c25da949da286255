"""Pydantic schema families per resource: `…Create` (what a client sends) and `…Public` (what it gets back)."""
