"""Benchmark what the field rules (issue 15) cost every write, beside the floor.

Run from the repository root::

    .venv/bin/python benchmarks/bench_field_rules.py [--rows 100000]

Prints, for the same rows of typical asset values (every text field filled), in one run:

* the floor: converting each value to its declared type (what ``clean_properties`` did
  before the field rules);
* the field rules alone (``field_rules.check_text`` on every text field);
* ``clean_properties`` as every write runs it now (rules, types, choices, required).

No target of its own: the bulk import target (100,000 rows in ≤ 10 s, issue 15) includes
this, so the figures say how much of that budget the rules take.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

from assetmap.config import PROJECT_ROOT
from assetmap.field_rules import check_text
from assetmap.layers import LayerSpec, load_catalog
from assetmap.store.validation import clean_properties, convert_value


def _rows(n: int) -> list[dict[str, Any]]:
    return [{"id": f"A{i:06d}", "name": f"Village Hall {i}", "category": "village_hall",
             "status": "open", "address": f"{i} Main Street\nAshby", "postcode": "le1 1aa",
             "opening_times": "Mo-Fr 09:00-17:00", "accessibility": "step_free;parking",
             "email": f"hall{i}@example.org", "website": f"https://hall{i}.example.org/",
             "phone": "0116 496 0123", "last_verified": "2025-01-01"} for i in range(n)]


def _floor(layer: LayerSpec, rows: list[dict[str, Any]]) -> None:
    for row in rows:
        for spec in layer.fields:
            if spec.name in row and spec.format != "facilities":
                convert_value(spec, row[spec.name])


def _rules(layer: LayerSpec, rows: list[dict[str, Any]]) -> None:
    checks = [(spec, layer.format_of(spec)) for spec in layer.fields]
    for row in rows:
        for spec, format_ in checks:
            if format_ is not None and spec.name in row:
                check_text(spec, row[spec.name], format_)


def _whole(layer: LayerSpec, rows: list[dict[str, Any]]) -> None:
    for row in rows:
        clean_properties(layer, row)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    layer = load_catalog(PROJECT_ROOT / "layers")["assets"]
    rows = _rows(args.rows)
    steps: list[tuple[str, Callable[[LayerSpec, list[dict[str, Any]]], None]]] = [
        ("floor: type conversion only", _floor),
        ("field rules alone", _rules),
        ("clean_properties (rules + types + choices)", _whole),
    ]
    print(f"{args.rows:,} asset rows, {len(layer.fields)} fields each")
    for label, step in steps:
        started = time.perf_counter()
        step(layer, rows)
        seconds = time.perf_counter() - started
        print(f"  {label:<45} {seconds:6.2f} s  ({seconds / args.rows * 1e6:5.1f} µs a row)")


if __name__ == "__main__":
    main()
