"""Wenjuanxing (问卷星): 下载答卷数据 > 按文本下载 (.xlsx or .csv).

One header row: ``序号`` (response number), ``提交答卷时间`` (submitted at), ``所用时间`` (time
taken), ``来源`` / ``来源详情`` (channel), ``来自IP`` (IP address and place, withheld), then one
column per question numbered ``1、``, ``2、``... An unanswered question reads ``(跳过)``
(skipped) or ``(空)`` (empty): both count as no answer. ``序号`` identifies each response.
"""

from __future__ import annotations

from typing import ClassVar

from ._tabular import TabularImporter, one_header_table
from .plan import Table
from .records import normalise_header

__all__ = ["WenjuanxingImporter"]

_BLANK = frozenset({"(跳过)", "(空)", "（跳过）", "（空）"})


class WenjuanxingImporter(TabularImporter):
    """Import a Wenjuanxing (问卷星) text download (source ``survey``)."""

    name: ClassVar[str] = "wenjuanxing"
    label: ClassVar[str] = "Wenjuanxing"

    def sniff(self, rows: list[list[str]]) -> bool:
        """``序号`` with ``提交答卷时间`` or ``所用时间``."""
        if not rows:
            return False
        headers = {normalise_header(h) for h in rows[0]}
        return "序号" in headers and bool({"提交答卷时间", "所用时间"} & headers)

    def table(self, rows: list[list[str]]) -> Table:
        """One header row; ``(跳过)`` and ``(空)`` are blank."""
        t = one_header_table(rows)
        t.blank_values = _BLANK
        return t
