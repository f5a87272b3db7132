"""Invented English place names and venue details for the synthetic sample county.

Every name comes from one seeded :class:`random.Random`, so the same seed gives the
same names. Names are built from Old-English-style elements ("Ash" + "by",
"Great ...", "... on the Wolds"); real Leicestershire district and main-town names
are refused so that nobody mistakes the sample for real data.
"""

from __future__ import annotations

import functools
import random
import re
import unicodedata

__all__ = ["NameBook", "accessibility", "opening_times", "phone", "slug"]

_FIRST = (
    "Ab", "Ald", "Alder", "Ash", "Aston", "Bag", "Bar", "Barrow", "Bel", "Bil", "Bir", "Black",
    "Bot", "Brad", "Bram", "Brent", "Brook", "Bur", "Burn", "Cal", "Cas", "Chad", "Chal", "Cher",
    "Clay", "Cold", "Cos", "Cot", "Cran", "Crox", "Dal", "Dis", "Dun", "Ed", "El", "Ever", "Fen",
    "Fox", "Frisk", "Gad", "Gar", "Glen", "Gold", "Hal", "Ham", "Har", "Hath", "Hem", "Hol",
    "Hun", "Illing", "Ket", "Kib", "Kil", "Kirk", "Knap", "Lang", "Lax", "Lea", "Lid", "Lyd",
    "Mark", "Med", "Mill", "Mor", "Nar", "Nor", "Oak", "Os", "Ot", "Pack", "Peck", "Quen",
    "Rad", "Rat", "Red", "Ring", "Ros", "Rother", "Sad", "Sap", "Scal", "Seag", "Shel", "Sib",
    "Skef", "Sprox", "Stan", "Stap", "Stret", "Sut", "Swin", "Thed", "Thorn", "Thur", "Twy",
    "Ull", "Wal", "Wel", "Whet", "Wid", "Wil", "Wim", "Wing", "Wol", "Wyke", "Wym", "Yel",
)
_SECOND = (
    "by", "by", "by", "thorpe", "thorpe", "ton", "ton", "ton", "ham", "ley", "worth", "field",
    "ford", "well", "wick", "stead", "borough", "bury", "cote", "den", "don", "hurst", "ing",
    "ingham", "ington", "low", "more", "stone", "stow", "wood", "combe", "over", "sey", "hall",
    "bourne", "dale", "ridge", "brook",
)
_QUALIFIERS = ("Great", "Little", "Long", "Upper", "Nether", "Church", "Kings", "East", "West",
               "North", "South", "Old")
_AFFIXES = ("on the Hill", "on the Wolds", "in the Vale", "Magna", "Parva", "Folville",
            "Bassett", "Lacy", "Beauchamp", "Malory", "Peverel", "Marmion", "Verdon", "Heath")
_DISTRICT_FORMS = ("{a} Vale", "{a} and {b}", "{a} Wolds", "{a} Forest", "North {a}",
                   "South {a}", "Vale of {a}", "{a} Valley", "{a} Heath", "{a} Downs")
_REAL = frozenset(
    name.lower() for name in (
        "Leicester", "Leicestershire", "Blaby", "Charnwood", "Harborough", "Hinckley",
        "Bosworth", "Hinckley and Bosworth", "Melton", "North West Leicestershire", "Oadby",
        "Wigston", "Oadby and Wigston", "Loughborough", "Coalville", "Lutterworth",
        "Shepshed", "Syston", "Rutland", "Ashby de la Zouch", "Ashby Woulds",
        "Market Harborough", "Melton Mowbray", "Birstall", "Anstey", "Braunstone", "Enderby",
        "Narborough", "Measham", "Ibstock", "Castle Donington", "Kegworth", "Earl Shilton",
        "Burbage",
    )
)
_NEIGHBOURHOODS = ("Park", "Fields", "Green", "Meadows", "Heights", "Grange", "Hill", "Brook",
                   "Gate", "Moor")
_STREET_WORDS = ("Church", "Main", "High", "Station", "Mill", "School", "Park", "Chapel",
                 "Manor", "Green", "Victoria", "Albert", "King", "Queen", "Oak", "Elm",
                 "Meadow", "Brook", "Orchard", "Windmill", "Spring", "Hall", "Cross", "Bridge",
                 "Forge", "Sheepwash", "Pinfold", "Vicarage", "Rectory", "Wharf")
_STREET_KINDS = ("Street", "Road", "Lane", "Close", "Avenue", "Way", "Drive", "Gardens",
                 "Crescent", "Walk", "Row", "Hill")
_SAINTS = ("St Mary's", "St Peter's", "St Andrew's", "St John's", "St Michael's", "St Helen's",
           "St Margaret's", "St James's", "St Nicholas's", "St Luke's", "All Saints",
           "Holy Trinity", "St Botolph's", "St Wilfrid's", "St Leonard's", "St Bartholomew's",
           "St Guthlac's", "St Edith's", "St Denys's", "St Giles's")
_CHAPELS = ("Methodist", "Baptist", "United Reformed", "Congregational", "Quaker Meeting House")
_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")  # as OSM opening_hours writes them
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_FACILITIES = ("step_free", "accessible_toilet", "hearing_loop", "parking", "baby_change")


class NameBook:
    """Unique invented names drawn from one seeded random stream."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[str] = set()  # membership only, never iterated: order stays seeded

    def _claim(self, name: str, longest: int = 26) -> bool:
        key = name.lower()
        if key in self._used or key in _REAL or len(name) > longest:
            return False
        self._used.add(key)
        return True

    def _base(self) -> str:
        first, second = self._rng.choice(_FIRST), self._rng.choice(_SECOND)
        if first[-1] == second[0]:  # "Hallley" -> "Halley"
            second = second[1:]
        return first + second

    def place(self, market: bool = False) -> str:
        """A new village or town name such as "Ashby", "Great Thurford" or "Cotton on the Wolds"."""
        while True:
            base, roll = self._base(), self._rng.random()
            if market and roll < 0.2:
                name = f"Market {base}"
            elif roll < 0.72:
                name = base
            elif roll < 0.88:
                name = f"{self._rng.choice(_QUALIFIERS)} {base}"
            else:
                name = f"{base} {self._rng.choice(_AFFIXES)}"
            if self._claim(name):
                return name

    def district(self, seat: str | None = None) -> str:
        """A district name, sometimes built on its main town ("Thurford Vale")."""
        while True:
            form = self._rng.choice(_DISTRICT_FORMS)
            a = seat if seat and self._rng.random() < 0.5 and " " not in seat else self._base()
            name = form.format(a=a, b=self._base())
            if self._claim(name):
                return name

    def neighbourhood(self, town: str) -> str:
        """A part of a town such as "Thurford Brook Fields" (unique across the county)."""
        while True:
            name = f"{town} {self._base()} {self._rng.choice(_NEIGHBOURHOODS)}"
            if self._claim(name, longest=len(town) + 20):
                return name

    def street(self, place: str) -> str:
        rng = self._rng
        if rng.random() < 0.12:
            return f"{self._base()} Road"
        if rng.random() < 0.1:
            return "Market Place" if rng.random() < 0.5 else "The Green"
        return f"{rng.choice(_STREET_WORDS)} {rng.choice(_STREET_KINDS)}"

    def church(self, place: str) -> str:
        """A church or chapel name: "St Mary's" or "Thurford Methodist"."""
        if self._rng.random() < 0.75:
            return self._rng.choice(_SAINTS)
        return f"{place} {self._rng.choice(_CHAPELS)}"


def opening_times(rng: random.Random, kind: str) -> str:
    """Opening hours in OpenStreetMap syntax, e.g. "Mo-Fr 09:00-17:00; Sa 09:00-12:00"."""
    if kind == "council_library":
        return "Mo-Fr 09:00-17:00; Sa 09:00-13:00; PH off"
    if kind == "community_cafe":
        start, end = rng.choice(((8, 16), (9, 15), (10, 14)))
        days = rng.choice(("Mo-Sa", "Tu-Sa", "Mo-Su", "We,Fr,Sa"))
        return f"{days} {start:02d}:00-{end:02d}:00"
    if rng.random() < 0.3:
        return 'unknown "by arrangement"'  # open state unknown: not "open now"
    slots = []
    for day in sorted(rng.sample(range(7), rng.randint(1, 4))):
        start = rng.choice((9, 10, 13, 14, 18))
        slots.append(f"{_DAYS[day]} {start:02d}:00-{start + rng.choice((2, 3, 4)):02d}:00")
    return "; ".join(slots)


def accessibility(rng: random.Random) -> str:
    """Semicolon-separated facilities, in a fixed order: "step_free;hearing_loop"."""
    chosen = [f for f, p in zip(_FACILITIES, (0.85, 0.6, 0.35, 0.6, 0.3), strict=True)
              if rng.random() < p]
    return ";".join(chosen or ["step_free"])


def phone(rng: random.Random) -> str:
    """A number from Ofcom's ranges reserved for drama, so it can never ring anyone."""
    roll = rng.random()
    if roll < 0.5:
        return f"0116 496 0{rng.randrange(1000):03d}"
    if roll < 0.75:
        return f"01632 960{rng.randrange(1000):03d}"
    return f"07700 900{rng.randrange(1000):03d}"


@functools.lru_cache(maxsize=65_536)
def slug(text: str) -> str:
    """``"St Mary's Church Hall"`` -> ``"st-marys-church-hall"`` (ASCII only)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", ascii_text.lower().replace("'", "")).strip("-")
