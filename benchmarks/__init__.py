"""The benchmark suite of qfgraph: a seeded generator of realistic graphs at several scales,
and figures that measure each feature beside its baseline in the same run.

`python -m benchmarks generate --scale M`, then `python -m benchmarks run --scale M`.
"""
