"""The JSON shapes of the audit log's changes and of archived records (``routes/audit.py``,
``routes/history.py``, ``routes/archive.py``); times ISO 8601 in UTC, values in words."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

import geopandas as gpd
from shapely.geometry import mapping

from assetmap.crs import METRIC_CRS, to_web
from assetmap.register.archive import ArchivedRecord
from assetmap.register.history import Change, ChangePage

__all__ = [
    "ArchivePage",
    "ArchivedOut",
    "ChangeOut",
    "ChangesPage",
    "FieldOut",
    "archived_out",
    "change_out",
    "changes_page",
]


class FieldOut(BaseModel):
    field: str
    label: str
    before: str
    after: str
    summary: str | None = None


class ChangeOut(BaseModel):
    change_id: str
    at: str
    when: str
    actor: str
    action: str
    layer: str
    feature_id: str
    name: str | None
    fields: list[FieldOut]
    notes: dict[str, Any]


class ChangesPage(BaseModel):
    changes: list[ChangeOut]
    total: int
    page: int
    pages: int
    per_page: int


class ArchivedOut(BaseModel):
    archive_id: int
    layer: str
    feature_id: str
    name: str | None
    archived_at: str
    archived_by: str
    change_id: str
    restore: str  # where to POST to bring it back
    feature: dict[str, Any]  # GeoJSON, EPSG:4326


class ArchivePage(BaseModel):
    items: list[ArchivedOut]
    total: int
    limit: int
    offset: int


def change_out(change: Change) -> ChangeOut:
    return ChangeOut(
        change_id=change.change_id, at=change.at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        when=change.when, actor=change.actor, action=change.action, layer=change.layer,
        feature_id=change.feature_id, name=change.name,
        fields=[FieldOut(field=f.field, label=f.label, before=f.before, after=f.after,
                         summary=f.summary) for f in change.fields],
        notes=dict(change.notes),
    )


def changes_page(page: ChangePage) -> ChangesPage:
    return ChangesPage(changes=[change_out(c) for c in page.changes], total=page.total,
                       page=page.page, pages=page.pages, per_page=page.per_page)


def _geometry(record: ArchivedRecord) -> dict[str, Any] | None:
    if record.geometry is None:
        return None
    web = to_web(gpd.GeoSeries([record.geometry], crs=METRIC_CRS), "archived record")
    return dict(mapping(web.iloc[0]))


def archived_out(record: ArchivedRecord) -> ArchivedOut:
    return ArchivedOut(
        archive_id=record.id, layer=record.layer, feature_id=record.feature_id,
        name=record.name, archived_at=record.archived_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        archived_by=record.archived_by, change_id=record.change_id,
        restore=f"/api/archive/{record.id}/restore",
        feature={"type": "Feature", "id": record.feature_id, "properties": record.properties,
                 "geometry": _geometry(record)},
    )
