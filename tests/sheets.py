"""Finding a rendered workbook's cells as a person does: by the activity's id and the column's header."""

from __future__ import annotations


def matrix_cell(ws, activity: str, header: str):
    """The Matrix cell of ``activity`` under ``header``; the row is found by the ID column (the first column before
    format 3)."""
    headers = [c.value for c in ws[1]]
    key = headers.index("ID") if "ID" in headers else 0  # format 3 puts the ID column after the notes
    for row in ws.iter_rows(min_row=2):
        if row[key].value == activity:
            return row[headers.index(header)]
    raise AssertionError(activity)
