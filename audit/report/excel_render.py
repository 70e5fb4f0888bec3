"""A workbook described as data, and turned into ``.xlsx`` bytes: the two halves of
``report.xlsx`` (excel.py decides what the workbook holds; this module only writes it).

Why two halves: at a thousand institutions the workbook has about a million cells, and
XlsxWriter spends some 2.5 s on them (each cell a call, then its XML, then the zip). That
work needs nothing of the audit but the cells, so ``write.py`` can hand the plan to another
process and write the CSVs and research exports meanwhile. This module imports only
XlsxWriter, the standard library and ``gc_pause``, so that process starts in a fraction of
a second (``serve``).

A plan is the XlsxWriter calls themselves, recorded in order (``Recorder``) and replayed on
a real workbook (``render``): the same calls in the same order give the same bytes, in this
process or another. Cell formats travel as their keys (``Style``), made in the plan's order.
"""

from __future__ import annotations

import io
import pickle
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field

import xlsxwriter

from audit.gc_pause import gc_paused

__all__ = ["CELLS", "Recorder", "Style", "WorkbookPlan", "render", "serve"]

CELLS = "cells"  # the recorded call that writes a column of cells (see ``_cells``)
_OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
            "strings_to_numbers": False}  # strings stay strings: never formulas or links


@dataclass(frozen=True)
class Style:
    """A cell format by its key in ``WorkbookPlan.formats``."""

    key: str


class Recorder:
    """Stands for a worksheet or a chart: every public call made on it is kept, with its
    arguments, to be made again on the real object by ``render``."""

    def __init__(self, options: dict | None = None) -> None:
        self.options = options  # a chart's ``add_chart`` options
        self.calls: list[tuple[str, tuple]] = []

    def __getattr__(self, method: str):
        if method.startswith("_"):
            raise AttributeError(method)
        return lambda *args: self.calls.append((method, args))

    def __getstate__(self) -> dict:  # plain state: ``__getattr__`` would answer pickle
        return {"options": self.options, "calls": self.calls}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)


@dataclass
class WorkbookPlan:
    """Everything ``render`` needs: properties, formats (key -> XlsxWriter properties, made
    in this order) and the sheets (name -> its recorded calls), in workbook order."""

    properties: dict
    formats: dict[str, dict]
    sheets: dict[str, Recorder] = field(default_factory=dict)

    @classmethod
    def joined(cls, parts: Iterator[WorkbookPlan | tuple[str, Recorder]]) -> WorkbookPlan:
        """The whole plan from its parts as ``excel.excel_parts`` makes them: the plan
        without its sheets, then each sheet as ``(name, Recorder)``."""
        plan = next(parts)
        plan.sheets.update(parts)
        return plan

    def cells(self) -> int:
        """How many cells the plan writes (what the time to render follows)."""
        return sum(len(args[2]) if method == CELLS else 1
                   for sheet in self.sheets.values() for method, args in sheet.calls)


def render(plan: WorkbookPlan) -> bytes:
    """The workbook's bytes: the plan's calls made on XlsxWriter, in order (the cyclic
    collector paused: it would walk the million cells' objects and find nothing)."""
    with gc_paused():
        book = _Book(plan)
        for name, recorded in plan.sheets.items():
            book.add(name, recorded)
        return book.close()


def serve() -> None:
    """The other process's side (``python -m audit.report.excel_render``): on stdin, pickled
    one after the other, the plan without its sheets, each sheet as ``(name, Recorder)``
    and ``None``; each sheet is written as it comes, while the next is being made. On
    stdout, pickled, ``(True, bytes)`` or ``(False, the exception raised)``, so that an
    error reaches the caller as the same exception."""
    with gc_paused():
        try:
            book = _Book(pickle.load(sys.stdin.buffer))
            while (sheet := pickle.load(sys.stdin.buffer)) is not None:
                book.add(*sheet)
            answer = (True, book.close())
        except Exception as exc:  # sent back whole, raised again by the caller
            answer = (False, exc)
        sys.stdout.buffer.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
        sys.stdout.buffer.flush()


class _Book:
    """A workbook being written from a plan, one sheet at a time."""

    def __init__(self, plan: WorkbookPlan) -> None:
        self.buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.buffer, _OPTIONS)
        self.book.set_properties(plan.properties)
        self.formats = {key: self.book.add_format(props)
                        for key, props in plan.formats.items()}

    def add(self, name: str, recorded: Recorder) -> None:
        sheet = self.book.add_worksheet(name)
        for method, args in recorded.calls:
            if method == CELLS:
                _cells(sheet, self.formats, *args)
            else:
                getattr(sheet, method)(*(self._real(arg) for arg in args))

    def close(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()

    def _real(self, value):
        """A recorded argument as XlsxWriter takes it: a format, a chart, or itself."""
        if isinstance(value, Style):
            return self.formats[value.key]
        if isinstance(value, Recorder):
            chart = self.book.add_chart(value.options)
            for method, args in value.calls:
                getattr(chart, method)(*args)
            return chart
        return value


def _cells(sheet, formats: dict, col: int, first: int, values: list, kind: str,
           style: Style | list[Style | None] | None) -> None:
    """A column's cells from row ``first`` down, each one call of ``write_<kind>``; a
    ``None`` value is an empty cell. ``style``: one format, or one per row."""
    write = getattr(sheet, f"write_{kind}")
    if isinstance(style, list):
        styles = [None if s is None else formats[s.key] for s in style]
        for row, value, cell_format in zip(range(first, first + len(values)), values, styles,
                                           strict=True):
            if value is not None:
                write(row, col, value, cell_format)
    else:
        cell_format = None if style is None else formats[style.key]
        for row, value in enumerate(values, start=first):
            if value is not None:
                write(row, col, value, cell_format)


if __name__ == "__main__":
    # The plan names the classes of this module under its package name: serve from there.
    from audit.report.excel_render import serve as _serve

    _serve()
