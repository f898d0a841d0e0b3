#!/usr/bin/python3
"""tests/web/test_web_group_combined.py BUILD — the combined accounts of issue
20 as a person reads them, in Chromium: the sandbox restarted with a
combination ledger ([group] combination = groupe, the sandbox's), eleven recharges
and the dues of agiie, the umbrella's December invoice agiie has not booked
(the reciprocal-flow difference), and a cut-off adjustment in the
combination ledger.

web_group_combined::annexe: `grandlivre group annexe -o` writes the combined
annexe's skeleton; Chromium shows the scope of combination (the
combination ledger apart), the rules, the columns (Éliminations,
Ajustements, Combiné) and the late invoice among the differences.
web_group_combined::statements: `grandlivre statements --group --format
html` shows the Ajustements column and the note on the differences.
web_group_combined::group_statements: `grandlivre group statements --format
html` (as of a date) with the same columns and the combination ledger named.
web_group_combined::members_unchanged: agiie's journal is the same before
and after the adjustment.
Screenshots: groupe-comptes-combines.png (the annexe),
groupe-comptes-combines-etats.png (the statements),
groupe-comptes-combines-group-statements.png (group statements) under
BUILD/test-output/web/.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webtest import (Y, By, browser, build, check, finish, here, sandbox, shots)  # noqa: E402

T = "web_group_combined"


def gl(env, *args, ok=True):
    r = subprocess.run([os.path.join(build, "grandlivre"), *args], env=env,
                       capture_output=True, text=True)
    if ok and r.returncode != 0:
        print(f"{T}: grandlivre {' '.join(args)}: {r.stderr}", file=sys.stderr)
    return r


def with_combination(env, tmp):
    """The sandbox's combination ledger groupe ([group] combination = groupe,
    scripts/sandbox) with the standard chart."""
    env["GRANDLIVRE_KEY"] = tmp + "/gl/keys/accountant.key"
    gl(env, "accounts", "load-chart", "--tenant", "groupe")


def group_year(env, tmp):
    with open(tmp + "/keys.csv", "w") as f:
        f.write("tenant,weight\nagiie,1\n")
    with open(tmp + "/dues.csv", "w") as f:
        f.write("tenant,amount\nagiie,500\n")
    gl(env, "recharge", "keys", "set", "--version", "1", "--file", tmp + "/keys.csv")
    for m in range(1, 12):
        gl(env, "recharge", "--period", f"{Y}-{m:02d}", "--amount", "1000", "--keys-version", "1")
    gl(env, "dues", "--year", Y, "--file", tmp + "/dues.csv")
    gl(env, "post", "--tenant", "gessa", "--date", f"{Y}-12-31", "--journal", "VT", "--piece",
       f"FAC-{Y}-12", "--label", "Refacturation de décembre", "--debit", "411000:AGIIE=1000",
       "--credit", "706100=1000")


def main():
    tmp = tempfile.mkdtemp(prefix="gl-web-comb-")
    env = sandbox(tmp)
    with_combination(env, tmp)
    group_year(env, tmp)
    before = gl(env, "journal", "--tenant", "agiie", "--from", f"{Y}-01-01", "--to",
                f"{Y}-12-31", "--format", "csv").stdout
    gl(env, "post", "--tenant", "groupe", "--date", f"{Y}-12-31", "--journal", "OD",
       "--piece", "AJ-1", "--label", "Séparation des exercices : refacturation de décembre",
       "--debit", "706100=1000", "--credit", "487000=1000")
    after = gl(env, "journal", "--tenant", "agiie", "--from", f"{Y}-01-01", "--to",
               f"{Y}-12-31", "--format", "csv").stdout
    check(f"{T}::members_unchanged", before == after and "RCH-" in before, before[:200])
    annexe, states = tmp + "/annexe.html", tmp + "/etats.html"
    r = gl(env, "group", "annexe", "--at", f"{Y}-12-31", "-o", annexe)
    check(f"{T}::annexe_warns", "réciprocité" in r.stderr, r.stderr)
    gl(env, "statements", "--group", "--year", Y, "--format", "html", "-o", states)
    gstates = tmp + "/group-statements.html"
    gl(env, "group", "statements", "--at", f"{Y}-12-31", "--format", "html", "-o", gstates)
    d = browser(False)
    try:
        d.get("file://" + annexe)
        text = d.find_element(By.TAG_NAME, "body").text
        for want in ("Périmètre de combinaison", "combinaison", "journal de combinaison",
                     "Règles et méthodes de combinaison", "Éliminations", "Ajustements",
                     "Écarts de réciprocité et leur traitement", "706100", "gessa"):
            check(f"{T}::annexe::{want}", want in text, want)
        check(f"{T}::annexe::late_invoice", "-1 000,00" in text.replace("\u202f", " "),
               "the late invoice's revenue line")
        d.set_window_size(1400, 2400)
        d.save_screenshot(os.path.join(shots, "groupe-comptes-combines.png"))
        d.get("file://" + states)
        text = d.find_element(By.TAG_NAME, "body").text
        check(f"{T}::statements::column", "Ajustements" in text, text[:300])
        check(f"{T}::statements::note", "réciprocité" in text, text[:300])
        d.save_screenshot(os.path.join(shots, "groupe-comptes-combines-etats.png"))
        d.get("file://" + gstates)
        text = d.find_element(By.TAG_NAME, "body").text
        check(f"{T}::group_statements::columns",
              all(w in text for w in ("Éliminations", "Ajustements", "Combiné")), text[:300])
        check(f"{T}::group_statements::combination", "Journal de combinaison" in text, text[:300])
        d.save_screenshot(os.path.join(shots, "groupe-comptes-combines-group-statements.png"))
    finally:
        d.quit()
        subprocess.run([os.path.join(here, "scripts/sandbox"), "stop", tmp + "/gl"], env=env,
                       capture_output=True)
        subprocess.run(["rm", "-rf", tmp])
    finish(T)


main()
