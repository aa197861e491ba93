"""Table extraction for documents that are not spreadsheets, one module a format, each with ``read(path) -> list[Sheet]``.

Every format gives the same grids as a workbook would, so the layout, vocabulary, mapping and audit stages
read a Word table, a PDF table, a Markdown table and an AsciiDoc table alike. Modules are imported only when
a document of their format is read, so ``raci --help`` stays fast.
"""
