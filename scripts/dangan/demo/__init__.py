"""Synthetic demo data (`dangan generate`, the benchmarks and the tests): nothing in production imports it."""
