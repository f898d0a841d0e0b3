#!/usr/bin/python3
"""tests/web/test_web_search.py BUILD — Recherche and "Exporter en CSV" of
`grandlivre web` in Chromium (run with /usr/bin/python3, see webtest.py).

Against the sandbox (four agiie entries, webtest.sandbox) plus one labelled
"Électricité des locaux" (piece E-88):
web_search_browser::label_without_accent: typing "electricite" in the Label
field (keyboard, Enter) finds the "Électricité" entry and only it.
web_search_browser::amount: "1234,56" finds F-031 and V-7, not the others.
web_search_browser::third_party: FOURN01 finds F-031 and V-7.
web_search_browser::piece: "e-88" finds the piece E-88.
web_search_browser::follows_to_entry: a result's link opens its entry.
web_search_browser::csv_download: the "Exporter en CSV" link downloads a
file (Chrome's download directory, set through DevTools) equal byte for
byte to `grandlivre journal --text electricite --format csv-fr`.
web_search_browser::no_result: a word found nowhere says so.
web_search_browser::bad_amount: "douze" is refused next to the Amount field.
web_search_browser::works_without_javascript: the same search with
JavaScript disabled.
web_search_browser::ledger_unchanged: the journal (CLI csv) is the same
before and after.
web_search_browser::accessible::*: axe-core, no serious or critical violation.
Screenshots: recherche.png, recherche-nojs.png, recherche-vide.png,
recherche-erreur.png under BUILD/test-output/web/.
"""
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webtest import (Y, By, accessible, axe_source, browser, build, check, loads,  # noqa: E402
                     finish, new_login, sandbox, shots, start_web, stop)
from selenium.webdriver.common.keys import Keys  # noqa: E402

T = "web_search_browser"


def cli(env, *args):
    return subprocess.run([os.path.join(build, "grandlivre"), *args], env=env, check=True,
                          capture_output=True).stdout


def search(d, base, **fields):
    """Open Recherche from the navigation, type the fields, press Enter."""
    d.get(base + "/")
    loads(d, d.find_element(By.LINK_TEXT, "Recherche").click)
    for name, value in fields.items():
        box = d.find_element(By.NAME, name)
        box.clear()
        box.send_keys(value)
    loads(d, lambda: d.find_element(By.NAME, list(fields)[-1]).send_keys(Keys.ENTER))
    return d.page_source


def pieces(src):
    return {p for p in ("F-031", "V-7", "S-1", "C-12", "E-88") if f">{p}<" in src}


def download(d, tmp):
    """Click the CSV link; the file Chrome saved (name, bytes)."""
    where = os.path.join(tmp, "downloads")
    os.makedirs(where, exist_ok=True)
    d.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": where})
    d.find_element(By.LINK_TEXT, "Exporter en CSV").click()
    for _ in range(100):
        done = [f for f in os.listdir(where) if f.endswith(".csv")]
        if done:
            with open(os.path.join(where, done[0]), "rb") as f:
                return done[0], f.read()
        time.sleep(0.1)
    return None, b""


def main():
    axe = axe_source()
    tmp = tempfile.mkdtemp(prefix="glweb.")
    env = sandbox(tmp)
    cli(env, "post", "--tenant", "agiie", "--date", f"{Y}-02-10", "--journal", "AC", "--piece",
        "E-88", "--label", "Électricité des locaux", "--debit", "606400=87,20",
        "--credit", "401000:EDF=87,20")
    journal = ["journal", "--tenant", "agiie", "--from", Y, "--to", Y, "--format", "csv"]
    before = cli(env, *journal)
    web, url, base = start_web(env, tmp)
    try:
        d = browser(True)
        try:
            d.get(url)
            src = search(d, base, text="electricite")
            d.save_screenshot(os.path.join(shots, "recherche.png"))
            check(f"{T}::label_without_accent", pieces(src) == {"E-88"}, str(pieces(src)))
            check(f"{T}::label_without_accent::shown", "Électricité des locaux" in src)
            d.execute_script(axe)
            accessible(d, "recherche")

            name, data = download(d, tmp)
            want = cli(env, "journal", "--tenant", "agiie", "--text", "electricite", "--from", Y,
                       "--to", Y, "--lang", "fr", "--format", "csv-fr")
            check(f"{T}::csv_download::name", name == f"recherche-agiie-{Y}-01-01-{Y}-12-31.csv",
                  str(name))
            check(f"{T}::csv_download::same_as_cli", data == want and b"E-88" in data,
                  f"{data[:200]!r} vs {want[:200]!r}")

            loads(d, d.find_element(By.LINK_TEXT, f"{Y}/5").click)
            check(f"{T}::follows_to_entry", f"/entry?id={Y}/5" in d.current_url
                  and "E-88" in d.page_source, d.current_url)

            src = search(d, base, amount="1234,56")
            check(f"{T}::amount", pieces(src) == {"F-031", "V-7"}, str(pieces(src)))
            src = search(d, base, aux="FOURN01")
            check(f"{T}::third_party", pieces(src) == {"F-031", "V-7"}, str(pieces(src)))
            src = search(d, base, piece="e-88")
            check(f"{T}::piece", pieces(src) == {"E-88"}, str(pieces(src)))

            src = search(d, base, text="introuvable")
            d.save_screenshot(os.path.join(shots, "recherche-vide.png"))
            check(f"{T}::no_result", "Aucune écriture ne correspond à cette recherche" in src
                  and not pieces(src))
            d.execute_script(axe)
            accessible(d, "recherche-vide")

            src = search(d, base, text="electricite", amount="douze")
            d.save_screenshot(os.path.join(shots, "recherche-erreur.png"))
            box = d.find_element(By.NAME, "amount")
            check(f"{T}::bad_amount", box.get_attribute("aria-invalid") == "true"
                  and "Montant : un montant positif" in src and not pieces(src), src[-1500:])
            d.execute_script(axe)
            accessible(d, "recherche-erreur")
        finally:
            d.quit()

        url = new_login(web)
        d = browser(False)
        try:
            d.get(url)
            src = search(d, base, text="electricite")
            d.save_screenshot(os.path.join(shots, "recherche-nojs.png"))
            check(f"{T}::works_without_javascript", pieces(src) == {"E-88"}, str(pieces(src)))
            src = search(d, base, amount="1234,56", aux="FOURN01")
            check(f"{T}::works_without_javascript::two_fields",
                  pieces(src) == {"F-031", "V-7"}, str(pieces(src)))
        finally:
            d.quit()
        check(f"{T}::ledger_unchanged", cli(env, *journal) == before)
    finally:
        stop(web, env, tmp)
    finish("tests/web/test_web_search.py")


main()
