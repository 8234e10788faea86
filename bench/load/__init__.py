"""Side-by-side load benchmark: the sandbox against a bare Starlette app serving the same bytes.

Run `python -m bench.load --help`; docs/benchmarks.md has the method.
"""
