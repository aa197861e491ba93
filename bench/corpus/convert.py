"""Turn the real matrices published as Markdown or AsciiDoc tables into csv, as a person exporting them would.

Usage: python bench/corpus/convert.py            (rewrites every csv listed in TARGETS)

Rules, so the csv stays a faithful copy of what the page says:
  * cell text is kept exactly as written: inline markup (``**RA**``, ``<b>``), footnote markers (``(3)``, ``^[1]^``),
    non-breaking spaces and odd spellings all stay; only the ASCII spaces and tabs that pad a cell are trimmed;
  * AsciiDoc's ``{nbsp}`` attribute is written as the character it stands for (U+00A0), other attributes stay as written;
  * every table of the page goes into the same csv, in page order, each preceded by the heading line(s) above it
    (one heading per row, without the ``#`` marks) and followed by one blank row;
  * the Markdown separator line under a table's header (``| --- | --- |``) is dropped; every other table line is kept,
    section rows, filler cells written ``---`` and repeated header rows included;
  * YAML front matter is skipped;
  * prose, lists and footnote paragraphs outside tables are left out.
The original documents sit beside the csv files, byte for byte as published (see SOURCES.md).
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[2] / "shared" / "contracts-real"  # the published originals kept outside the project

# original document -> csv written from it
TARGETS = {
    "rosa-policy-responsibilities.adoc": "rosa-policy-responsibilities.csv",
    "msp-mssp-raci-manufacturing.md": "msp-mssp-raci-manufacturing.csv",
    "cloudtemple-iaas-raci.en.md": "cloudtemple-iaas-raci.en.csv",
    SHARED / "aws-mobilize-responsibility-distribution.md": "aws-mobilize-responsibility-distribution.csv",
}

PAD = " \t"
SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
ATX = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
SETEXT = re.compile(r"^(=+|-+)\s*$")


def split_pipe_row(line: str) -> list[str]:
    """Cells of one Markdown table line: outer pipes removed, split on unescaped pipes, padding trimmed."""
    body = line.strip(PAD + "\r\n")
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    cells = re.split(r"(?<!\\)\|", body)
    return [cell.strip(PAD) for cell in cells]


def markdown_tables(text: str) -> list[tuple[list[str], list[list[str]]]]:
    """(headings since the previous table, rows) for every pipe table, in page order."""
    lines = text.splitlines()
    groups: list[tuple[list[str], list[list[str]]]] = []
    headings: list[str] = []
    i = 0
    if lines and lines[0].strip() == "---":  # YAML front matter
        i = next((k for k in range(1, len(lines)) if lines[k].strip() == "---"), 0) + 1
    while i < len(lines):
        line = lines[i]
        atx = ATX.match(line)
        if atx:
            headings.append(atx.group(2))
            i += 1
            continue
        if (i + 1 < len(lines) and line.strip(PAD) and not line.lstrip(PAD).startswith("|")
                and SETEXT.match(lines[i + 1]) and "|" not in lines[i + 1]):
            headings.append(line.strip(PAD))
            i += 2
            continue
        if line.lstrip(PAD).startswith("|") and i + 1 < len(lines) and SEPARATOR.match(lines[i + 1].strip(PAD)):
            rows = [split_pipe_row(line)]
            i += 2
            while i < len(lines) and lines[i].lstrip(PAD).startswith("|"):
                rows.append(split_pipe_row(lines[i]))
                i += 1
            groups.append((headings, rows))
            headings = []
            continue
        i += 1
    return groups


def adoc_tables(text: str) -> list[tuple[list[str], list[list[str]]]]:
    """(section titles, rows) for every ``|===`` table; cells are grouped into rows by the ``cols`` count."""
    text = text.replace("{nbsp}", "\u00a0")
    lines = text.splitlines()
    groups: list[tuple[list[str], list[list[str]]]] = []
    headings: list[str] = []
    ncols = 0
    i = 0
    while i < len(lines):
        line = lines[i]
        title = re.match(r"^=+\s+(.*\S)\s*$", line)
        if title and not line.startswith("===="):
            headings.append(title.group(1))
        cols = re.match(r'^\[cols="([^"]*)"', line)
        if cols:
            ncols = len(cols.group(1).split(","))
        if line.strip() == "|===":
            cells: list[str] = []
            i += 1
            while i < len(lines) and lines[i].strip() != "|===":
                for part in re.split(r"(?<!\\)\|", lines[i])[1:]:
                    cells.append(part.strip(PAD))
                i += 1
            width = ncols or len(cells)
            rows = [cells[k:k + width] for k in range(0, len(cells), width)]
            groups.append((headings, rows))
            headings = []
        i += 1
    return groups


def write_csv(groups: list[tuple[list[str], list[list[str]]]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        for headings, rows in groups:
            for heading in headings:
                writer.writerow([heading])
            writer.writerows(rows)
            writer.writerow([])


def convert(source: Path, target: Path) -> None:
    text = source.read_text(encoding="utf-8")
    groups = adoc_tables(text) if source.suffix == ".adoc" else markdown_tables(text)
    write_csv(groups, target)


def main() -> int:
    for source, target in TARGETS.items():
        convert(HERE / source, HERE / target)  # an absolute path (the shared folder) stays as it is
        print(f"{Path(source).name} -> {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
