"""The responsibility matrix as a Word table: column widths, the header rows repeated on every page, a band row per
domain kept with its first rows, a coloured cell per letter, and the legend strip that heads every matrix page."""

from __future__ import annotations

from raci.appendix.model import Appendix, DomainView, MatrixRow
from raci.word.ooxml import BAND_FILL, HEAD_FILL, TABLE_SIZE, cell, id_text, para, row, run, table, text_para

TEXT_WIDTH = 14400  # twips between the margins of landscape Letter (11 in less two 0.5 in margins)
ID_WIDTH = 2000
SLA_WIDTH = 1250
CHECK_WIDTH = 1400
ACTIVITY_WIDTH = (2800, 3600)  # narrowest and widest activity column
MIN_NOTES = 1800
PARTY_WIDTH = (560, 1350)  # narrowest and widest letter column: a party's name wraps at its spaces, not mid-word
LETTER_SIZE = 18  # 9 pt, bold: the letters are what a reader scans for
AFTER_HOURS_MARK = "after hours differ: see After hours"


def column_widths(appendix: Appendix) -> tuple[list[int], int]:
    """The widths of ID, Activity, the party columns, SLA, Notes (and Check internally), and the party width: the
    letter columns as wide as a party's name needs where there is room, the rest shared by activity and notes."""
    n = len(appendix.parties)
    fixed = ID_WIDTH + SLA_WIDTH + (CHECK_WIDTH if appendix.internal else 0)
    party = max(PARTY_WIDTH[0], min(PARTY_WIDTH[1], (TEXT_WIDTH - fixed - ACTIVITY_WIDTH[0] - MIN_NOTES) // max(n, 1)))
    rest = TEXT_WIDTH - fixed - party * n
    activity = max(ACTIVITY_WIDTH[0], min(ACTIVITY_WIDTH[1], rest * 55 // 100))
    notes = max(rest - activity, MIN_NOTES)
    if activity + notes > rest:  # many parties: activity and notes give way, down to what a few words need
        notes = max(rest * 40 // 100, 1000)
        activity = max(rest - notes, 1600)
    widths = [ID_WIDTH, activity, *([party] * n), SLA_WIDTH, notes]
    if appendix.internal:
        widths.append(CHECK_WIDTH)
    return widths, party


def legend_strip(appendix: Appendix, *, size: int = TABLE_SIZE) -> str:
    """One line: each letter on its colour, then its meaning's first words (``R Responsible``)."""
    runs = []
    for i, entry in enumerate(appendix.legend.entries):
        if i:
            runs.append(run("    ", size=size))
        runs.append(run(f" {entry.letter} ", bold=True, size=size, colour=entry.font, fill=entry.fill))
        runs.append(run(" " + entry.meaning.split(":")[0], size=size))
    return para(*runs, after=0, keep_next=True)


def _head(text: str, width: int, *, span: int = 1, align: str = "center") -> str:
    return cell(text_para(text, bold=True, size=TABLE_SIZE, align=align, after=0, keep_next=True), width,
                fill=HEAD_FILL, span=span)


def header_rows(appendix: Appendix, widths: list[int]) -> list[str]:
    """The legend strip, the sides (Client / Provider / Third party) over their parties, then the column names."""
    total = len(widths)
    strip = row([cell(legend_strip(appendix), sum(widths), span=total)], header=True)
    n_parties = len(appendix.parties)
    party_width = widths[2] if n_parties else 0
    tail = widths[2 + n_parties:]
    sides = [_head("", widths[0] + widths[1], span=2)]
    sides += [_head(group.side, party_width * len(group.parties), span=len(group.parties))
              for group in appendix.party_groups]
    sides.append(_head("", sum(tail), span=len(tail)))
    names = [_head("ID", widths[0], align="left"), _head("Activity", widths[1], align="left")]
    names += [_head(p.label, party_width) for p in appendix.parties]
    names += [_head("SLA\nresponse / resolution", SLA_WIDTH), _head("Notes", tail[1], align="left")]
    if appendix.internal:
        names.append(_head("Check", CHECK_WIDTH, align="left"))
    return [strip, row(sides, header=True), row(names, header=True)]


def _band(domain: DomainView, widths: list[int]) -> str:
    text = text_para(domain.name, bold=True, size=TABLE_SIZE + 1, after=0, keep_next=True)
    return row([cell(text, sum(widths), fill=BAND_FILL, span=len(widths))])


def _letter(role: str, width: int, appendix: Appendix, keep: bool) -> str:
    colours = {e.letter: (e.fill, e.font) for e in appendix.legend.entries}
    fill, font = colours.get(role, ("", ""))
    return cell(para(run(role, bold=True, size=LETTER_SIZE, colour=font), align="center", after=0, keep_next=keep),
                width, fill=fill)


def _row(r: MatrixRow, widths: list[int], appendix: Appendix, keep: bool) -> str:
    """One activity; ``keep`` holds it on the page of the next row (a domain's first rows stay with its band)."""
    def text(value: str, width: int, **look) -> str:
        return cell(text_para(value, size=TABLE_SIZE, after=0, keep_next=keep, **look), width)

    name = [run(r.name, size=TABLE_SIZE)]
    if r.after_hours is not None:
        name += [run("\n"), run(AFTER_HOURS_MARK, italic=True, size=16, colour="595959")]
    cells = [text(id_text(r.id), widths[0], colour="404040"),
             cell(para(*name, after=0, keep_next=keep), widths[1])]
    cells += [_letter(role, widths[2 + i], appendix, keep) for i, role in enumerate(r.roles)]
    n = len(r.roles)
    cells += [text(r.sla, widths[2 + n], align="center"), text(r.note, widths[3 + n])]
    if appendix.internal:
        cells.append(text(r.check, widths[4 + n], colour="9C0006" if r.check not in ("", "OK") else ""))
    return row(cells)


KEEP_WITH_BAND = 2  # a band's paragraph and its first rows keep together: a domain never starts at a page's foot


def matrix_table(appendix: Appendix) -> str:
    widths, _ = column_widths(appendix)
    rows = header_rows(appendix, widths)
    for domain in appendix.domains:
        rows.append(_band(domain, widths))
        rows += [_row(r, widths, appendix, keep=i < KEEP_WITH_BAND - 1) for i, r in enumerate(domain.rows)]
    return table(widths, rows)
