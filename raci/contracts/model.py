"""What the reader makes of a contract: its parties and its rows, each row with where it is in the document."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Party:
    """A party the document names: the header of its column, or a name written in its cells."""

    header: str
    id: str
    kind: str  # client, msp, vendor
    kind_guessed: bool = True
    column: int | None = None  # 0-based column (grid), or row index (transposed); None when named in cells


@dataclass
class ContractRow:
    """One responsibility as the document states it, with the roles read from it (party id -> canonical role)."""

    file: str
    sheet: str | None
    row: int  # the line a person sees (Excel row, csv line)
    label: str  # as written
    column: str | None = None  # column letter, for a responsibility read from a column (transposed, process columns)
    section: str | None = None  # the section heading or domain cell the row sits under
    title: str = ""  # the table's title
    roles: dict[str, str] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)  # party header (or process column) -> text as written
    note: str = ""  # the row's notes column, and qualifiers written beside roles
    shared: bool = False  # the owner is given as shared ("Shared", "Both", "X and Y", several marks) without a split
    excluded: bool = False  # every party cell says not applicable / out of scope
    unclear: list[tuple[str, str]] = field(default_factory=list)  # (header, text) that reads as no role vocabulary
    costs: list[tuple[str, str]] = field(default_factory=list)  # (header, text): available at extra cost from that party
    ident: str = ""  # an id column's value (a control id, a requirement number)
    about: tuple[str, ...] = ()  # a cell of a resource x process table: its resource and its process
    topic: str = ""  # short descriptor cells beside a long label (a control or topic name)

    def source(self) -> dict:
        return {"file": self.file, "sheet": self.sheet, "row": self.row, "column": self.column, "label": self.label}

    def where(self) -> str:
        return place(self.file, self.sheet, self.row, self.column)


TABLE_DOCUMENTS = (".docx", ".docm", ".pdf", ".json", ".yaml", ".yml", ".xml")  # places read "table 2, row 7"


def place(file: str, sheet: str | None, row: int | None, column: str | None = None) -> str:
    """Where a row is, as a person looks for it: ``Sheet!12`` (``Sheet!D3`` for a cell) in a workbook,
    ``name.csv:12`` or ``matrix.md:123`` in text, ``sow.docx: table 2, row 7`` or ``crm.pdf: page 3, table 1,
    row 4`` in a document of tables."""
    if row is None:
        return Path(file).name
    if sheet and Path(file).suffix.lower() in TABLE_DOCUMENTS:
        return f"{Path(file).name}: {sheet}, row {row}" + (f", column {column}" if column else "")
    if sheet:
        return f"{sheet}!{column}{row}" if column else f"{sheet}!{row}"
    return f"{Path(file).name}:{row}" + (f" column {column}" if column else "")


@dataclass
class Document:
    """What the reader found in one file: the chosen table, its layout, its parties and its rows."""

    path: str
    kind: str  # xlsx, csv
    sheet: str | None
    header_row: int
    label_column: str
    orientation: str  # rows | columns
    mode: str  # grid | owner | names
    parties: list[Party]
    rows: list[ContractRow]
    notes: list[str] = field(default_factory=list)
    title: str = ""
    hidden: bool = False
    runner_up: str | None = None
    chosen: str = ""  # what was chosen, in words
    client: str | None = None  # the client's name, only from a clearly labelled cell

    @property
    def layout(self) -> str:
        """The kind of table, in one word, for reports."""
        return {"grid": "grid", "owner": "owner column", "names": "names in cells"}.get(self.mode, self.mode) + \
            (", transposed" if self.orientation == "columns" else "")
