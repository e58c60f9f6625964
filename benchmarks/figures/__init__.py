"""Benchmark figures, one module each, found automatically.

A figure module defines `NAME` (short, used on the command line and in file names),
`DESCRIPTION` (one line: what is measured against which baseline) and
`run(ctx: benchmarks.common.Context) -> list[benchmarks.common.Row]`.
Adding a figure is adding a module here; nothing else needs editing.
"""
from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def discover() -> dict[str, ModuleType]:
    """Every figure module in this package, by NAME, in name order."""
    found = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        missing = [a for a in ("NAME", "DESCRIPTION", "run") if not hasattr(module, a)]
        if missing:
            raise AttributeError(f"benchmark figure {module.__name__} lacks {', '.join(missing)}")
        if module.NAME in found:
            raise ValueError(f"two benchmark figures are named {module.NAME!r}")
        found[module.NAME] = module
    return dict(sorted(found.items()))
