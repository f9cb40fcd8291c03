"""Labelled near-duplicate benchmark for arabic-dedupe (see README.md)."""
