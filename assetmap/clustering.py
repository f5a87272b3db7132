"""Server-side point clustering for web maps, on a Web Mercator pixel grid.

At county zoom 100,000 assets cannot each be drawn (or clustered) in the
browser in good time, so the service groups them: at zoom ``z`` the world is
``256 * 2**z`` pixels wide and points sharing a ``cell_px`` square form one
cluster, placed at their mean position. The page asks again when the view
changes, and only for what is in view. Deterministic and vectorised (NumPy).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["Clusters", "PointGrid", "mercator", "unmercator"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
_MAX_LATITUDE = 85.05112878  # Web Mercator's limit


def mercator(lon: Floats, lat: Floats) -> tuple[Floats, Floats]:
    """Longitude/latitude (degrees) -> Web Mercator world coordinates in [0, 1]."""
    x = (np.asarray(lon, dtype=float) + 180.0) / 360.0
    phi = np.radians(np.clip(np.asarray(lat, dtype=float), -_MAX_LATITUDE, _MAX_LATITUDE))
    y = (1.0 - np.log(np.tan(phi) + 1.0 / np.cos(phi)) / np.pi) / 2.0
    return x, y


def unmercator(x: Floats, y: Floats) -> tuple[Floats, Floats]:
    """Web Mercator world coordinates in [0, 1] -> longitude/latitude (degrees)."""
    lon = np.asarray(x, dtype=float) * 360.0 - 180.0
    lat = np.degrees(np.arctan(np.sinh(np.pi * (1.0 - 2.0 * np.asarray(y, dtype=float)))))
    return lon, lat


@dataclass(frozen=True)
class Clusters:
    """One zoom level's groups in view: mean position, size, one member, members' extent."""

    lon: Floats
    lat: Floats
    count: Ints
    first: Ints  # index of one member (the point itself when count == 1)
    bounds: Floats  # (n, 4): west, south, east, north of the members
    cell: list[str]


class PointGrid:
    """Points of one layer (already filtered), ready to cluster at any zoom."""

    def __init__(
        self, lon: Floats, lat: Floats, cell_px: float = 64.0, margin_px: float = 24.0
    ) -> None:
        self.lon = np.asarray(lon, dtype=float)
        self.lat = np.asarray(lat, dtype=float)
        self.x, self.y = mercator(self.lon, self.lat)
        self.cell_px = cell_px
        # A group is drawn at its members' mean, kept this far inside its cell, so two
        # groups are never closer than 2 * margin_px: their markers never overlap and
        # each stays a big enough target (WCAG 2.5.8).
        self.margin_px = margin_px

    def __len__(self) -> int:
        return len(self.lon)

    def clusters(
        self, zoom: int, bbox: tuple[float, float, float, float] | None = None
    ) -> Clusters:
        """Groups at ``zoom`` whose members fall in ``bbox`` (lon/lat: W, S, E, N)."""
        keep = np.arange(len(self.lon))
        if bbox is not None:
            west, south, east, north = bbox
            inside = (
                (self.lon >= west) & (self.lon <= east) & (self.lat >= south) & (self.lat <= north)
            )
            keep = keep[inside]
        cells_per_side = 256.0 * 2.0**zoom / self.cell_px
        cx = np.floor(self.x[keep] * cells_per_side).astype(np.int64)
        cy = np.floor(self.y[keep] * cells_per_side).astype(np.int64)
        key = cx * (int(cells_per_side) + 1) + cy
        unique, group, count = np.unique(key, return_inverse=True, return_counts=True)
        n = len(unique)
        mean_x = np.bincount(group, weights=self.x[keep], minlength=n) / np.maximum(count, 1)
        mean_y = np.bincount(group, weights=self.y[keep], minlength=n) / np.maximum(count, 1)
        cell_x = np.floor(mean_x * cells_per_side)
        cell_y = np.floor(mean_y * cells_per_side)
        margin = self.margin_px / self.cell_px
        mean_x = np.clip(mean_x * cells_per_side, cell_x + margin, cell_x + 1 - margin)
        mean_y = np.clip(mean_y * cells_per_side, cell_y + margin, cell_y + 1 - margin)
        lon, lat = unmercator(mean_x / cells_per_side, mean_y / cells_per_side)
        first = np.full(n, -1, dtype=np.int64)
        # The lowest index of each group: scatter in reverse so the first member wins.
        first[group[::-1]] = keep[::-1]
        bounds = np.empty((n, 4))
        for column, (values, reducer) in enumerate(
            ((self.lon, np.minimum), (self.lat, np.minimum),
             (self.lon, np.maximum), (self.lat, np.maximum))
        ):
            start = np.inf if reducer is np.minimum else -np.inf
            out = np.full(n, start)
            reducer.at(out, group, values[keep])
            bounds[:, column] = out
        cells = [f"{zoom}/{k}" for k in unique.tolist()]
        # A lone point is drawn where it is.
        alone = count == 1
        lon[alone], lat[alone] = self.lon[first[alone]], self.lat[first[alone]]
        return Clusters(lon=lon, lat=lat, count=count.astype(np.int64), first=first,
                        bounds=bounds, cell=cells)
