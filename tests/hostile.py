"""The hostile values issue 15 found stored by the officer API, to try on every write path.

Each is (field, value, words the refusal must contain). Every path (the API, the officer
forms, a CSV import, a suggested correction and its acceptance) refuses each of them.
"""

from __future__ import annotations

HOSTILE_VALUES: list[tuple[str, str, str]] = [
    ("website", "javascript:alert(document.cookie)", "https:// or http://"),
    ("email", "pat@@example", "not an email address"),
    ("id", "../../etc/passwd", "not a usable id"),
    ("id", "a/b", "not a usable id"),
    ("name", "Ashby\x00Hall", "NUL character"),
    ("name", "\u202eLLAH YBHSA", "text-direction control (U+202E)"),
    ("name", "\u200b\u200b\u200d", "only invisible characters"),
    ("name", "x" * 1_000_000, "1,000,000 characters long (at most 200)"),
]

# What a resident may suggest of those (ids and 1 MB bodies are refused before the rules).
SUGGESTIBLE = [(f, v, says) for f, v, says in HOSTILE_VALUES if f != "id" and len(v) < 1000]


def hostile_id(field: str, value: str) -> str:
    """A pytest id that names the case without printing a megabyte."""
    shown = value if len(value) <= 20 else f"{value[:8]}...{len(value):,} chars"
    return f"{field}={shown.encode('unicode_escape').decode()}"
