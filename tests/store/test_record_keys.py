"""Distinct keys newest first from a scan in chunks (store/record_keys.py)."""

from __future__ import annotations

from assetmap.store.record_keys import keys_newest_first


def test_keys_come_in_order_of_their_newest_row_across_chunks() -> None:
    rows = [(i, f"c{(i - 1) // 1000}") for i in range(5000, 0, -1)]  # 5 keys of 1,000 rows
    asked: list[tuple[int | None, int]] = []

    def chunk(below: int | None, size: int) -> list[tuple[int, str]]:
        asked.append((below, size))
        return [r for r in rows if below is None or r[0] < below][:size]

    assert keys_newest_first(chunk, 3, 0) == ["c4", "c3", "c2"]
    assert [size for _, size in asked] == [500, 1000, 2000]  # on past the first chunks
    assert asked[1][0] == 4501  # below the last id read
    assert keys_newest_first(chunk, 10, 4) == ["c0"]
    assert keys_newest_first(lambda below, size: [], 5, 0) == []
