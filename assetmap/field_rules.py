"""Field rules: what a text value of each declared ``format`` may hold, and its tidy form.

One module for every write (API, forms, imports, accepted corrections, bulk loads):
``store.validation.clean_properties`` calls :func:`check_text` for each ``str``
field, so a value refused here is refused everywhere, with the same words.

Text is stored as typed — HTML in a name is kept verbatim (pages escape it) and a
cell starting with ``=`` stays as it is (CSV exports neutralise it). What is refused
is what no person means to type and what other systems fed by the register (ORUK,
GeoJSON, OGC, CSV) could be fooled by: control characters, text-direction
overrides, text that is only invisible characters, unbounded lengths, ids that are
not safe in a web address, links that are not http(s).

A rule takes the trimmed text and returns its stored form, or raises
:class:`FieldProblem` naming the problem and the fix.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable

from assetmap.activities.schedules import schedule_problem
from assetmap.layers import FieldFormat, FieldSpec
from assetmap.postcodes import normalise_postcode

__all__ = [
    "DEFAULT_MAX_LENGTH",
    "FORMAT_RULES",
    "CheckedText",
    "FieldProblem",
    "check_text",
    "checked_text",
    "split_list",
]


class FieldProblem(ValueError):
    """A value a field refuses: what is wrong with it, and how to put it right.

    ``kind`` lets a page say it in the reader's language: ``too_long`` (with ``limit``),
    ``control`` (a character nobody types), ``invisible``, or the format whose rule failed.
    """

    def __init__(self, problem: str, fix: str, kind: str = "format", limit: int = 0) -> None:
        super().__init__(problem)
        self.problem, self.fix, self.kind, self.limit = problem, fix, kind, limit


# A field's length limit when its declaration gives none (names and one-line text: 200).
DEFAULT_MAX_LENGTH: dict[str, int] = {
    "text": 200, "multiline": 2000, "id": 64, "email": 254, "url": 2000,
    "postcode": 16, "phone": 30, "facilities": 1000, "opening_hours": 500,
}

# C0/C1 controls (tab and newline are allowed back in multi-line text), line and paragraph
# separators, text-direction embeddings/overrides (U+202A–E) and isolates (U+2066–9),
# unpaired surrogates (they cannot be stored as UTF-8). One regex so a 100,000-row
# import checks at C speed.
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f"
_BIDI = "\u202a-\u202e\u2066-\u2069"
_FORBIDDEN_ONE_LINE = re.compile(f"[{_CONTROL}\t\n\u2028\u2029{_BIDI}\ud800-\udfff]")
_FORBIDDEN_MULTILINE = re.compile(f"[{_CONTROL}\u2028\u2029{_BIDI}\ud800-\udfff]")
# Anything a reader would see: not white space, not a zero-width or direction mark.
_VISIBLE = re.compile(r"[^\s\u00ad\u061c\u180e\u200b-\u200f\u2060-\u2064\ufeff]")

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_EMAIL_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
# Dotted labels of letters, digits and inner hyphens, ending in a top-level domain.
_HOST = re.compile(
    r"^((?!-)[A-Za-z0-9-]{1,63}(?<!-)\.)+((xn--|XN--)[A-Za-z0-9-]{2,59}|[A-Za-z]{2,63})$"
)
_PHONE = re.compile(r"^\+?[0-9 ()\-]+$")
_DROP_DIGITS = str.maketrans("", "", "0123456789")
_WHITESPACE = re.compile(r"\s")
# The network location of a URL: what follows "//" up to the path, query or fragment (as
# urllib.parse.urlsplit takes it, at a fraction of its cost on a 100,000-row import).
_NETLOC = re.compile(r"[^/?#]*")


def _describe(char: str) -> str:
    if char in "\n\r\u2028\u2029":
        return "a line break"
    if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        return (f"a text-direction control (U+{ord(char):04X}) that changes how the text "
                "reads on screen")
    if "\ud800" <= char <= "\udfff":
        return f"a broken character (an unpaired surrogate, U+{ord(char):04X})"
    if char == "\x00":
        return "a NUL character (U+0000)"
    return f"a control character (U+{ord(char):04X})"


def _hygiene(text: str, *, multiline: bool, limit: int) -> str:
    """Trimmed, NFC-normalised text with no character nobody means to type."""
    if len(text) > limit:
        raise FieldProblem(f"is {len(text):,} characters long (at most {limit:,})",
                           f"shorten it to {limit:,} characters or fewer", "too_long", limit)
    forbidden = _FORBIDDEN_MULTILINE if multiline else _FORBIDDEN_ONE_LINE
    found = forbidden.search(text)
    if found is not None:
        where = "" if multiline else ": this field is one line of plain text"
        raise FieldProblem(f"contains {_describe(found.group())}", f"remove it{where}", "control")
    if _VISIBLE.search(text) is None:
        raise FieldProblem("contains only invisible characters (zero-width or blank)",
                           "type the value in plain characters, or leave the field empty",
                           "invisible")
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _text(text: str, spec: FieldSpec) -> str:
    return text


def _identifier(text: str, spec: FieldSpec) -> str:
    if not _ID.match(text) or ".." in text:
        raise FieldProblem(
            "is not a usable id (ids appear in web addresses and file names)",
            "use at most 64 letters, digits, '-', '_' or '.', starting with a letter or "
            "digit and without '..', e.g. ashby-village-hall",
        )
    return text


@functools.lru_cache(maxsize=4096)  # a few hosts recur across a register (council, Facebook)
def _host_problem(host: str) -> str | None:
    try:
        ascii_host = host if host.isascii() else host.encode("idna").decode("ascii")
    except UnicodeError:
        return "has a host name that cannot be written in a web address"
    if len(ascii_host) > 253 or not _HOST.match(ascii_host):
        return f"has no valid host name ({host!r})"
    return None


def _url(text: str, spec: FieldSpec) -> str:
    example = "give the full address, e.g. https://www.example.org/"
    if _WHITESPACE.search(text):
        raise FieldProblem("contains spaces", "remove them (write a space as %20)")
    scheme, colon, rest = text.partition(":")
    if not colon or scheme.lower() not in ("http", "https") or not rest.startswith("//"):
        raise FieldProblem("is not a web address starting with https:// or http://", example)
    match = _NETLOC.match(rest, 2)
    netloc = match.group() if match else ""
    if "@" in netloc:
        raise FieldProblem("contains a user name or password before the host",
                           "give the address without it, e.g. https://www.example.org/")
    host, _, port = netloc.partition(":")
    if port and not (port.isdigit() and int(port) < 65536):
        raise FieldProblem(f"has a port that is not a number from 0 to 65535 ({port!r})", example)
    problem = _host_problem(host)
    if problem is not None:
        raise FieldProblem(problem, example)
    return text


def _email(text: str, spec: FieldSpec) -> str:
    fix = "give one address like bookings@example.org"
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain:
        raise FieldProblem("is not an email address (it has no @)", fix)
    if len(local) > 64 or not _EMAIL_LOCAL.match(local):
        raise FieldProblem("is not an email address (the part before @ is not valid)", fix)
    if not domain.isascii() or _host_problem(domain) is not None:
        raise FieldProblem("is not an email address (the part after @ is not a domain)", fix)
    return f"{local}@{domain.lower()}"


def _postcode(text: str, spec: FieldSpec) -> str:
    postcode = normalise_postcode(text)
    if postcode is None:
        raise FieldProblem("is not a full UK postcode",
                           "correct it (e.g. LE1 1AA) or leave it empty")
    return postcode


def _phone(text: str, spec: FieldSpec) -> str:
    fix = "use digits, spaces and + ( ) - only, e.g. 0116 496 0123 or +44 116 496 0123"
    if not _PHONE.match(text):
        raise FieldProblem("is not a telephone number", fix)
    digits = len(text) - len(text.translate(_DROP_DIGITS))
    if not 7 <= digits <= 15:
        raise FieldProblem(f"has {digits} digits (a telephone number has 7 to 15)", fix)
    return " ".join(text.split())


def split_list(text: str | None) -> list[str]:
    """A semicolon list's items, trimmed, without blanks or repeats, in order."""
    items = [item.strip() for item in (text or "").split(";")]
    return list(dict.fromkeys(item for item in items if item))


def _facilities(text: str, spec: FieldSpec) -> str:
    items = split_list(text)
    if spec.choices is not None:
        unknown = [item for item in items if item not in spec.choices]
        if unknown:
            raise FieldProblem(
                f"lists {', '.join(map(repr, unknown))}, not among the known values",
                f"use any of {', '.join(spec.choices)}, separated by ';'",
            )
    return ";".join(items)


def _opening_hours(text: str, spec: FieldSpec) -> str:
    problem = schedule_problem(text)
    if problem is not None:
        raise FieldProblem(problem, "use OpenStreetMap opening_hours syntax, e.g. "
                                    "Tu 10:00-12:00 or Mo[1] 14:00-16:00")
    return text


# Declared format -> its rule. A format added to ``layers.FieldFormat`` adds its rule here.
FORMAT_RULES: dict[str, Callable[[str, FieldSpec], str]] = {
    "text": _text, "multiline": _text, "id": _identifier, "email": _email, "url": _url,
    "postcode": _postcode, "phone": _phone, "facilities": _facilities,
    "opening_hours": _opening_hours,
}


class CheckedText(str):
    """Text :func:`checked_text` has passed for ``spec``: the next check of the same write
    (the layer's schema check, then the store's) takes it as it is, and stores a plain str.
    Only :func:`checked_text` makes one, after the check."""

    __slots__ = ("rule", "spec")
    spec: FieldSpec
    rule: str  # the format whose rule it passed


def checked_text(spec: FieldSpec, value: str, format_: FieldFormat | None = None
                 ) -> CheckedText | None:
    """:func:`check_text`, its answer marked as checked for ``spec`` and ``format_``."""
    text = check_text(spec, value, format_)
    if text is None:
        return None
    marked = CheckedText(text)
    marked.spec, marked.rule = spec, format_ or spec.format or "text"
    return marked


def check_text(spec: FieldSpec, value: str, format_: FieldFormat | None = None) -> str | None:
    """The stored form of ``value`` for ``spec``, ``None`` when blank; :class:`FieldProblem`
    when refused. ``format_`` overrides the declared one (the layer's id field is ``id``)."""
    kind = format_ or spec.format or "text"
    text = value.strip()
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text:
        return None
    limit = spec.max_length or DEFAULT_MAX_LENGTH[kind]
    if text.isascii() and text.isprintable():
        # The usual case, checked at C speed: no control, direction or invisible character,
        # nothing to normalise; only the length is left to check.
        if len(text) > limit:
            _hygiene(text, multiline=False, limit=limit)  # raises "too long"
    else:
        text = _hygiene(text, multiline=kind == "multiline", limit=limit)
    rule = FORMAT_RULES[kind]
    if rule is _text:
        return text
    try:
        return rule(text, spec) or None
    except FieldProblem as exc:
        exc.kind = kind if exc.kind == "format" else exc.kind
        raise
