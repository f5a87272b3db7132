"""What the officers' record pages share (audit log, history, archive, stale list): action
names in words, links to a record's history, GOV.UK pagination and date inputs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from urllib.parse import quote

__all__ = [
    "ACTION_LABELS",
    "DateField",
    "PageLink",
    "date_field",
    "history_url",
    "page_links",
]

# Audit actions as an officer would say them.
ACTION_LABELS = {
    "create": "Added",
    "change": "Changed",
    "move": "Moved",
    "close": "Closed",
    "delete": "Deleted",
    "import": "Imported",
    "correction": "Correction accepted",
    "rename": "ID changed",
    "purge": "Contact details removed",
    "restore": "Restored",
}


def history_url(layer: str, feature_id: str) -> str:
    return f"/records/{quote(layer, safe='')}/{quote(feature_id, safe='')}/history"


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: an ellipsis
    url: str
    current: bool = False


def page_links(page: int, pages: int, url: Callable[[int], str]) -> list[PageLink]:
    """GOV.UK pagination: first, last, and the pages around this one, gaps as ellipses."""
    shown = sorted({1, pages, page - 1, page, page + 1} & set(range(1, pages + 1)))
    links: list[PageLink] = []
    for number in shown:
        if links and links[-1].number is not None and number - links[-1].number > 1:
            links.append(PageLink(None, ""))
        links.append(PageLink(number, url(number), number == page))
    return links


@dataclass(frozen=True)
class DateField:
    """A GOV.UK date input (day, month, year) as typed, and what was wrong with it."""

    name: str
    day: str = ""
    month: str = ""
    year: str = ""
    value: dt.date | None = None
    error: str | None = None
    # Which part to mark (and focus from the error summary): day, month or year.
    wrong: tuple[str, ...] = ()

    @property
    def given(self) -> bool:
        return bool(self.day or self.month or self.year)


def date_field(query: Mapping[str, str], name: str, label: str) -> DateField:
    """Read ``{name}-day``, ``-month``, ``-year``; an error in GOV.UK words when wrong."""
    day, month, year = ((query.get(f"{name}-{p}") or "").strip()[:4]
                        for p in ("day", "month", "year"))
    typed = DateField(name, day, month, year)
    if not typed.given:
        return typed
    missing = tuple(p for p, v in (("day", day), ("month", month), ("year", year)) if not v)
    if missing:
        return replace(typed, error=f"{label} must include a {' and '.join(missing)}",
                       wrong=missing)
    try:
        value = dt.date(int(year), int(month), int(day))
    except ValueError:
        return replace(typed, error=f"{label} must be a real date", wrong=("day", "month", "year"))
    if int(year) < 1000:
        return replace(typed, error=f"{label} must include a 4-digit year", wrong=("year",))
    return replace(typed, value=value)
