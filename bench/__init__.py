"""Benchmarks of the API on synthetic data (`make bench`; see bench/README.md)."""
