"""Import from existing hotline platforms (Excel/CSV/Parquet exports) and export in the project's own format.

Why it exists: a hotline office already has years of tickets in a vendor platform. To get the monthly
report from hotline they must be able to load those exports as they are — title rows, merged cells, GBK
CSV, their own column names and wording — with every unloadable row explained, and to load the next
export on top without duplicates. What is decided and why is in docs/import.md.

The reference path — the specification, one row at a time — in the order a row takes it:

    read.py      open the file: its type by content, the CSV's encoding, sheets as rows of cells
    header.py    find the header row and which table each sheet is (tickets, events, visits, calls, units)
    mapping.py   the platform's mapping (YAML in hotline/data/mappings/): column names, codes, rules
    fields.py    the canonical fields each table takes, with their Chinese names
    values.py    parsing one cell: times, codes, phone numbers, text
    resolve.py   names in the file → the store's reference rows (units, subcategories, aliases learned)
    convert.py   a row of cells → parsed values with the mapping (`Converter`, `Row`)
    derive.py    defaults, cross-field checks and the events a flat row implies (hotline.domain.history)
    write.py     idempotent loading by ticket number, in the file's one transaction (`Writer`)
    pipeline.py  drives a file through the stages; the summary and rejects come out of it
    summary.py, rejects.py   what a person reads afterwards: the JSON summary, the rejects workbook
    options.py   what a caller chooses (`ImportOptions`), including which speed-ups (`Speed`)
    progress.py, cli.py, export.py   the progress line, `hotline import`, and `hotline export`

The fast wing, hotline/ingest/fast/: optional. Faster ways to do what the reference modules specify —
a ticket sheet converted column by column, a big CSV converted in a second process, many rows per
INSERT with the constraints checked a batch at a time — chosen in one place only (pipeline.py, its seam)
as `ImportOptions.speed` says. `options.REFERENCE` turns them all off and the store is the same
(tests/ingest/test_reference_path.py, test_fast.py, test_parallel.py). Its own docstring lists its files.
"""
