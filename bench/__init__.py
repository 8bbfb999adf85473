"""Benchmarks: they build data, serve the portal for real and print measured figures."""
