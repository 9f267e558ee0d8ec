"""A fake HF Daily Papers server for tests and the benchmark: a real local HTTP server (werkzeug)
that replays recorded days and injects faults per date (`fake_server`, `faults`, `fault_app`,
`hostile_bodies`), plus helpers to make many realistic days (`fixture_days`) and a fake clock.

werkzeug is a dev/bench dependency, not a runtime one: import this package only from tests and
the benchmark.
"""
