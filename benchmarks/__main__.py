"""`python -m benchmarks generate | run | list`."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from benchmarks.common import SCALES, Context, print_table, write_json


def shown(path: Path) -> str:
    """A path relative to the working directory when it is inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    gen = sub.add_parser("generate", help="write a synthetic graph and its manifest")
    gen.add_argument("--scale", choices=SCALES, default="S")
    gen.add_argument("--seed", type=int, default=None, help="default: the scale's fixed seed")
    gen.add_argument("--out", type=Path, default=None, help="directory (default benchmarks/data)")
    gen.add_argument("--format", choices=("nq", "ttl"), default="nq")

    run = sub.add_parser("run", help="run figures (default: all) and print their tables")
    run.add_argument("--scale", choices=SCALES, default="S")
    run.add_argument("--figure", action="append", default=[], metavar="NAME",
                     help="run only this figure (repeatable)")
    run.add_argument("--repeat", type=int, default=5, help="measured runs per measurement")
    run.add_argument("--data", type=Path, default=None, help="data directory (default benchmarks/data)")
    run.add_argument("--out", type=Path, default=None, help="JSON directory (default benchmarks/out)")

    sub.add_parser("list", help="list the figures")
    args = parser.parse_args(argv)

    if args.command == "generate":
        from benchmarks.generate import generate
        started = time.perf_counter()
        result = generate(args.scale, seed=args.seed, out_dir=args.out, fmt=args.format)
        print(f"{shown(result.data_file)}: {result.triples:,} triples in {time.perf_counter() - started:.1f} s; "
              f"manifest {shown(result.manifest_file)}")
        return 0

    from benchmarks.figures import discover
    figures = discover()
    if args.command == "list":
        for name, module in figures.items():
            print(f"{name:<16} {module.DESCRIPTION}")
        return 0

    unknown = [f for f in args.figure if f not in figures]
    if unknown:
        print(f"unknown figure(s): {', '.join(unknown)}; known: {', '.join(figures)}", file=sys.stderr)
        return 2
    selected = args.figure or list(figures)
    try:
        ctx = Context(args.scale, repeat=args.repeat, data_dir=args.data, out_dir=args.out,
                      figures=selected)
    except FileNotFoundError as e:
        print(e, file=sys.stderr)
        return 2
    try:
        for name in selected:
            module = figures[name]
            started = time.perf_counter()
            rows = module.run(ctx)
            meta = {"description": module.DESCRIPTION, "repeat": ctx.repeat}
            print_table(f"{name} (scale {args.scale}): {module.DESCRIPTION}", rows)
            path = write_json(name, args.scale, rows, meta, ctx.out_dir)
            print(f"\n{shown(path)} ({time.perf_counter() - started:.1f} s)")
    finally:
        ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
