#!/usr/bin/env python3
"""tests/data/payroll/make-samples.py: writes the payroll journal samples
of this folder (the files are committed; run it again only to change
them).  One month (March 2026) of a small association, four employees,
the rubrics as French payroll software prints them, one row per rubric
and account: debit and credit columns, a decimal comma, a header line.
The rates are plausible, not a payroll engine's: what matters is that
every row is in cents and the month balances exactly.

  2026-03.csv            the month, UTF-8 (balances)
  2026-03-cp1252.csv     the same bytes in Windows-1252
  unbalanced.csv         one row 0,01 off (973: 11 509,61 against 11 509,62)
  two-months.csv         one row of April (974)
  bad-amount.csv         an amount that does not read (972, line 11, debit)
  no-employee.csv        a 641100 row without its employee (972, line 2)
  bad-month.csv          month 13/2026 (972, line 5, month)
  mapping.ini            the mapping (as `payroll csv-mapping` saves it)
"""
from decimal import Decimal, ROUND_HALF_UP

C = Decimal("0.01")


def r(x):
    return Decimal(x).quantize(C, rounding=ROUND_HALF_UP)


# code, name, gross, overtime, action, withholding rate (PAS)
STAFF = [
    ("EMP001", "DUPONT Marie", "2600.00", "0", "", "0.042"),
    ("EMP002", "BENALI Karim", "2100.00", "150.00", "ACCOMP-2026", "0.021"),
    ("EMP003", "MARTIN Sophie", "1520.00", "0", "ATELIERS", "0.0"),
    ("EMP004", "PETIT Lucas", "1900.00", "0", "", "0.015"),
]

# employee deductions: rubric, account, rate of the gross (base 98.25 % for CSG/CRDS)
EMPLOYEE = [
    ("CSG déductible", "431000", "0.068", True),
    ("CSG/CRDS non déductible", "431000", "0.029", True),
    ("URSSAF vieillesse salarié", "431000", "0.073", False),
    ("Retraite complémentaire AGIRC-ARRCO salarié", "437300", "0.0401", False),
    ("Prévoyance salarié", "437300", "0.005", False),
]
MUTUELLE_SAL = Decimal("25.00")

# employer charges: rubric, charge account, body account, rate
EMPLOYER = [
    ("URSSAF maladie", "645100", "431000", "0.070"),
    ("URSSAF vieillesse patronale", "645100", "431000", "0.1057"),
    ("URSSAF allocations familiales", "645100", "431000", "0.0345"),
    ("Accident du travail", "645100", "431000", "0.012"),
    ("Assurance chômage", "645400", "431000", "0.042"),
    ("Retraite complémentaire AGIRC-ARRCO patronale", "645300", "437300", "0.0601"),
    ("Prévoyance patronale", "645800", "437300", "0.008"),
]
MUTUELLE_PAT = Decimal("35.00")
TAXE_RATE = Decimal("0.0425")


def fmt(x):
    return "" if x == 0 else f"{x:.2f}".replace(".", ",")


def rows_of(month):
    rows = []
    for code, name, gross, overtime, action, pas in STAFF:
        gross, overtime = Decimal(gross), Decimal(overtime)
        brut = gross + overtime

        def add(rubric, account, debit=Decimal(0), credit=Decimal(0)):
            rows.append([month, code, name, rubric, account, fmt(debit), fmt(credit), action])

        add("Salaire de base", "641100", debit=gross)
        if overtime:
            add("Heures supplémentaires", "641100", debit=overtime)
        withheld = Decimal(0)
        for rubric, account, rate, csg in EMPLOYEE:
            base = r(brut * Decimal("0.9825")) if csg else brut
            amount = r(base * Decimal(rate))
            withheld += amount
            add(rubric, account, credit=amount)
        add("Mutuelle salarié", "437200", credit=MUTUELLE_SAL)
        withheld += MUTUELLE_SAL
        net_before_tax = brut - withheld
        tax = r(net_before_tax * Decimal(pas))
        if tax:
            add("Prélèvement à la source", "442100", credit=tax)
        add("Net à payer", "421000", credit=net_before_tax - tax)
        for rubric, charge, body, rate in EMPLOYER:
            amount = r(brut * Decimal(rate))
            add(rubric, charge, debit=amount)
            add(rubric, body, credit=amount)
        add("Mutuelle patronale", "645200", debit=MUTUELLE_PAT)
        add("Mutuelle patronale", "437200", credit=MUTUELLE_PAT)
        taxe = r(brut * TAXE_RATE)
        add("Taxe sur les salaires", "631100", debit=taxe)
        add("Taxe sur les salaires", "447000", credit=taxe)
    return rows


HEAD = "Période;Matricule;Nom;Rubrique;Compte;Débit;Crédit;Action"


def write(path, rows, encoding="utf-8"):
    text = HEAD + "\r\n" + "".join(";".join(x) + "\r\n" for x in rows)
    with open(path, "w", encoding=encoding, newline="") as f:
        f.write(text)


def check(rows):
    d = sum(Decimal(x[5].replace(",", ".") or 0) for x in rows)
    c = sum(Decimal(x[6].replace(",", ".") or 0) for x in rows)
    assert d == c, (d, c)
    return d


month = rows_of("03/2026")
total = check(month)
write("2026-03.csv", month)
write("2026-03-cp1252.csv", month, "cp1252")
bad = [list(x) for x in month]
bad[5][6] = fmt(Decimal(bad[5][6].replace(",", ".")) + C)  # line 7: 13,00 -> 13,01
write("unbalanced.csv", bad)
bad = [list(x) for x in month]
bad[-1][0] = "04/2026"
write("two-months.csv", bad)
bad = [list(x) for x in month]
bad[9][5] = "1,234,5"  # line 11: URSSAF maladie's debit (EMP001)
write("bad-amount.csv", bad)
bad = [list(x) for x in month]
bad[0][1] = ""  # line 2: EMP001's salaire de base
write("no-employee.csv", bad)
bad = [list(x) for x in month]
bad[3][0] = "13/2026"  # line 5
write("bad-month.csv", bad)
with open("mapping.ini", "w") as f:
    f.write("[csv]\nseparator = semicolon\ndecimal = ,\ndate_format = DD/MM/YYYY\nskip = 1\n"
            "month_col = 0\nemployee_col = 1\nemployee_name_col = 2\nrubric_col = 3\naccount_col = 4\n"
            "debit_col = 5\ncredit_col = 6\naction_col = 7\n")
print(f"{len(month)} rows, total {total}")
