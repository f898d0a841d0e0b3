#!/usr/bin/env python3
# tests/support/csv_read.py FILE DIALECT — read FILE back with Python's csv
# module as a spreadsheet would (DIALECT "csv": UTF-8, ','; "csv-fr":
# UTF-8 with a byte order mark, ';') and print each row as JSON, one a line.
# Fails on a file the module cannot read or rows of uneven length.
import csv
import json
import sys

path, dialect = sys.argv[1], sys.argv[2]
with open(path, "rb") as f:
    raw = f.read()
bom = raw.startswith(b"\xef\xbb\xbf")
if dialect == "csv-fr" and not bom:
    sys.exit("csv-fr: no byte order mark")
if dialect == "csv" and bom:
    sys.exit("csv: unexpected byte order mark")
text = raw.decode("utf-8-sig")
rows = list(csv.reader(text.splitlines(), delimiter=";" if dialect == "csv-fr" else ","))
if not rows or any(len(r) != len(rows[0]) for r in rows):
    sys.exit("rows of uneven length")
for r in rows:
    print(json.dumps(r, ensure_ascii=False))
