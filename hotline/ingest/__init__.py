"""Import from existing hotline platforms (Excel/CSV/Parquet exports) and export in the project's own format.

Why it exists: a hotline office already has years of tickets in a vendor platform. To get the monthly
report from hotline they must be able to load those exports as they are — title rows, merged cells, GBK
CSV, their own column names and wording — with every unloadable row explained, and to load the next
export on top without duplicates.

Flow of one file (pipeline.py): sources.py opens it (type by content, encoding detected) → header.py finds
the header row and which table each sheet is → convert.py parses each row with the mapping (mapping.py,
YAML in hotline/data/mappings/) → records.py applies defaults, checks and derives events → writer.py loads
idempotently by ticket number, all in one transaction → outcome.py writes the summary and the rejects
workbook. Speed: fast.py converts ticket sheets column by column; parallel.py converts a big CSV in a second
process (packed.py: a chunk in transit; laidout.py: its new tickets written as they come); constraints.py
checks the store's constraints a batch at a time so that SQLite need not check each row. export.py writes
the canonical tables back out; coverage.py tells the report what is missing.
"""
