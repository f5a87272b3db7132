"""The layout keeps its shape: small modules and short functions.

Import direction between packages is checked by import-linter (``lint-imports``, with the
contracts in pyproject.toml); these are the rules it cannot express.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from assetmap.config import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "assetmap"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
# A function may run longer when a comment in it says why it reads better long.
LONG_ON_PURPOSE = "# reads better long:"


def long_functions(source: str) -> list[tuple[str, int, int]]:
    """(name, first line, length) of each function over the limit that does not say why."""
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        body = lines[start - 1 : node.end_lineno or node.lineno]
        if len(body) > MAX_FUNCTION_LINES and not any(LONG_ON_PURPOSE in line for line in body):
            found.append((node.name, node.lineno, len(body)))
    return found


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_no_module_is_long(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, (
        f"{path.relative_to(PROJECT_ROOT)} has {lines} lines: is one concern hiding two? "
        f"Split it (limit {MAX_MODULE_LINES})."
    )


def test_no_function_is_long_without_saying_why() -> None:
    long = [
        f"{path.relative_to(PROJECT_ROOT)}:{line} {name} ({length} lines)"
        for path in _modules()
        for name, line, length in long_functions(path.read_text(encoding="utf-8"))
    ]
    assert long == [], (
        f"functions over {MAX_FUNCTION_LINES} lines: split them, or say why with a "
        f"'{LONG_ON_PURPOSE} …' comment: {long}"
    )


def test_the_function_rule_finds_a_long_function_and_accepts_one_that_says_why() -> None:
    statements = "    x = 1\n" * MAX_FUNCTION_LINES
    assert long_functions("def short():\n    return 1\n") == []
    assert long_functions(f"def long():\n{statements}") == [("long", 1, MAX_FUNCTION_LINES + 1)]
    assert long_functions(f"@cache\ndef long():\n{statements}") == [
        ("long", 2, MAX_FUNCTION_LINES + 2)
    ]
    assert long_functions(f"def said():\n    {LONG_ON_PURPOSE} one table\n{statements}") == []
