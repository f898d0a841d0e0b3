#!/usr/bin/python3
"""tests/web/test_web_home.py BUILD — Accueil completed, in Chromium.

web_home::accueil_complet: on the sandbox (webtest.sandbox: four entries of
agiie this year) plus, posted here, two customer invoices (one of last year,
still open), a second supplier invoice, the supplier's payment lettered
with the first invoice, and last year's membership fees; `grandlivre web`
with the agiie key.  Accueil shows the result of the year to date and last
year's for the same period, the open customer and supplier items per third
party (count, amount, oldest date) each linking to its grand livre, the
months not yet locked with the link to Périodes, and the last entries.
Screenshots accueil-complet.png (JavaScript) and accueil-complet-nojs.png;
the axe check on the page.  Reading changes nothing: `grandlivre verify`'s
ledger digest line before and after.
"""
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webtest import (Y, By, accessible, axe_source, browser, build, check, finish, loads,  # noqa: E402
                     sandbox, shots, start_web, stop)

LY = str(int(Y) - 1)
TODAY = time.strftime("%m-%d")
SAME = f"{LY}-{'02-28' if TODAY == '02-29' else TODAY}"


def gl(env, *args):
    return subprocess.run([os.path.join(build, "grandlivre"), *args], env=env,
                          capture_output=True, text=True)


def post(env, date, piece, label, debit, credit):
    r = gl(env, "post", "--tenant", "agiie", "--date", date, "--journal", "OD", "--piece", piece,
           "--label", label, "--debit", debit, "--credit", credit)
    if r.returncode:
        print(f"post {piece}: {r.stderr.strip()}", file=sys.stderr)
    return r.returncode == 0


def digest(env):
    """The ledger's state as the auditor's tools see it: the journal, all years."""
    r = gl(env, "journal", "--tenant", "agiie", "--from", "2000", "--to", Y, "--format", "csv")
    return r.stdout


def main():
    axe = axe_source()
    tmp = tempfile.mkdtemp(prefix="glwebhome.")
    env = sandbox(tmp)
    env["XDG_RUNTIME_DIR"] = tmp  # --new-token finds this server only
    last_year = post(env, f"{LY}-01-10", "V-100", "Cotisations", "512000=2400", "756000=2400")
    if last_year:
        post(env, SAME, "FA-90", "Prestation formation", "411000:CLI-MAIRIE=850", "706000=850")
    check("web_home::post", post(env, f"{Y}-02-03", "FA-101", "Location de salle",
                                 "411000:CLI-ECOLE=320,50", "706000=320,50"))
    check("web_home::post", post(env, f"{Y}-03-05", "F-044", "Fournitures", "606400=99,90",
                                 "401000:FOURN02=99,90"))
    # the sandbox's invoice F-031 (entry Y/1, line 2) and its payment (Y/2, line 1)
    r = gl(env, "letter", "--tenant", "agiie", "--account", "401000", "--aux", "FOURN01",
           f"{Y}/1:2", f"{Y}/2:1")
    check("web_home::letter", r.returncode == 0, r.stderr)
    before = digest(env)
    web, url, base = start_web(env, tmp)
    try:
        for js in (True, False):
            d = browser(js)
            try:
                suffix = "" if js else "-nojs"
                d.get(url)
                d.set_window_size(1280, 1500)  # the whole page in the screenshot
                d.get(base + "/")
                src = d.page_source
                d.save_screenshot(os.path.join(shots, f"accueil-complet{suffix}.png"))
                name = "accueil_complet" + suffix.replace("-", "_")
                for n in ("Résultat, même période de l'an dernier", "Clients (411)",
                          "Fournisseurs (401)", "CLI-ECOLE", "320,50", f"03/02/{Y}",
                          "FOURN02", "99,90", "Mois non encore verrouillés",
                          "Dernières écritures"):
                    check(f"web_home::{name}", n in src, f"missing {n!r}")
                if last_year:
                    check(f"web_home::{name}::last_year", "CLI-MAIRIE" in src and "850,00" in src)
                check(f"web_home::{name}::lettered_not_open", "FOURN01" not in
                      src.split('id="suppliers"')[1].split("</table>")[0])
                if js:
                    d.execute_script(axe)
                    accessible(d, "accueil-complet")
                    loads(d, d.find_element(By.PARTIAL_LINK_TEXT, "CLI-ECOLE").click)
                    check("web_home::links_to_ledger", "/ledger?account=411000" in d.current_url
                          and "320,50" in d.page_source, d.current_url)
                    d.get(base + "/")
                    check("web_home::no_lock_link_for_a_member",
                          not d.find_elements(By.CSS_SELECTOR, '#unlocked ~ p a[href^="/periods"]'))
            finally:
                d.quit()
            if js:
                url = gl(env, "web", "--new-token").stdout.strip()
                check("web_home::new_token", "/login?token=" in url, url)
        check("web_home::nothing_changed", digest(env) == before)
    finally:
        stop(web, env, tmp)
    finish("tests/web/test_web_home.py")


main()
