"""Helpers for the hardening tests (issue 8): subprocess workers and fault injection."""
