#!/usr/bin/env python3
"""tests/support/fec_groups.py — what a FEC says about lettering and
validation, independent of numbering and letter codes, for comparing a FEC
imported into Grand Livre with the FEC exported back (tests/integration/
test_fec_keeps.c).

Usage: fec_groups.py FILE...   (the files are read as one FEC: several years)
       fec_groups.py --fit IN OUT  (a copy of a public sample within the
                                    reader's limits: CR CR LF line ends made
                                    CR LF, PieceRef cut to 64 bytes)

Prints, sorted:
  V <line signature> <ValidDate>        one per line
  G <DateLet> <line signature>;...      one per EcritureLet group (same
                                        CompteNum, CompAuxNum and code) whose
                                        lines sum to zero: the groups the import
                                        letters (the others are listed on its
                                        standard error and left)
A line signature is EcritureDate, CompteNum, CompAuxNum and the signed
amount in cents: what an import keeps of a line whatever the codes and
numbers (PieceRef comes back as its entry's, the first line's).
"""
import sys
from collections import defaultdict


def cents(text):
    text = text.strip().replace(",", ".")
    if not text:
        return 0
    neg = text.startswith("-")
    whole, _, frac = text.lstrip("+-").partition(".")
    value = int(whole or "0") * 100 + int((frac + "00")[:2])
    return -value if neg else value


def read(path, lines):
    data = open(path, "rb").read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("iso-8859-15")
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    rows = text.split("\n")
    sep = "\t" if "\t" in rows[0] else "|"
    head = [h.strip() for h in rows[0].split(sep)]
    col = {name: i for i, name in enumerate(head)}
    for row in rows[1:]:
        if not row.strip():
            continue
        f = [x.strip() for x in row.split(sep)]
        if "Debit" in col:
            amount = cents(f[col["Debit"]]) - cents(f[col["Credit"]])
        else:
            amount = cents(f[col["Montant"]]) * (1 if f[col["Sens"]] in ("D", "+1") else -1)
        sig = "%s|%s|%s|%d" % (f[col["EcritureDate"]], f[col["CompteNum"]].upper(), f[col["CompAuxNum"]], amount)
        lines.append((sig, f[col["EcritureLet"]], f[col["DateLet"]], f[col["ValidDate"]],
                      f[col["CompteNum"]].upper(), f[col["CompAuxNum"]]))


def fit(src, dst):
    data = open(src, "rb").read().replace(b"\r\r\n", b"\r\n")
    rows = data.split(b"\r\n")
    sep = b"\t" if b"\t" in rows[0] else b"|"
    piece = rows[0].split(sep).index(b"PieceRef")
    out = [rows[0]]
    for row in rows[1:]:
        f = row.split(sep)
        if len(f) > piece and len(f[piece]) > 64:
            f[piece] = f[piece][:64].decode("utf-8", "ignore").encode("utf-8")
        out.append(sep.join(f))
    open(dst, "wb").write(b"\r\n".join(out))


def main():
    if sys.argv[1] == "--fit":
        fit(sys.argv[2], sys.argv[3])
        return
    lines = []
    for path in sys.argv[1:]:
        read(path, lines)
    out = []
    groups = defaultdict(list)
    for sig, let, date_let, valid, account, aux in lines:
        out.append("V %s %s" % (sig, valid))
        if let:
            groups[(account, aux, let)].append((sig, date_let))
    for members in groups.values():
        if len(members) < 2 or sum(int(s.rsplit("|", 1)[1]) for s, _ in members) != 0:
            continue
        date = max(d for _, d in members)
        out.append("G %s %s" % (date, ";".join(sorted(s for s, _ in members))))
    for row in sorted(out):
        print(row)


main()
