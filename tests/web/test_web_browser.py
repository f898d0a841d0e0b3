#!/usr/bin/python3
"""tests/web/test_web_browser.py BUILD — `grandlivre web` in a real browser
(Debian's chromium driven by chromedriver through python3-selenium; run with
/usr/bin/python3, whose modules those are).

web_browser::pages_in_chromium: against a sandbox (scripts/sandbox) with two
entries posted by the agiie key, `grandlivre web` started with that key; the
browser opens the printed login URL (the token), then Accueil, Journal,
Grand livre, Balance and Entrée, checks each shows its data in French
(1 234,56 and 31/03/2025), follows the journal's link to the entry, saves a
screenshot of each under BUILD/test-output/web/, signs out with the button
(the CSRF form), and finds itself signed out.
web_browser::works_without_javascript: the same pages with JavaScript
disabled in the browser show the same data (the server renders them).
web_browser::accessible: axe-core (from the npm registry, installed by
scripts/bootstrap) injected into each page finds no violation of impact
serious or critical.
web_browser::token_works_once: the login URL opened again shows the sign-in
page, not data.
"""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webtest import (Y, By, accessible, axe_source, browser, check, finish, loads,  # noqa: E402
                     new_login, sandbox, shots, start_web, stop)


def main():
    axe = axe_source()
    tmp = tempfile.mkdtemp(prefix="glweb.")
    env = sandbox(tmp)
    web, url, base = start_web(env, tmp)
    try:
        check("web_browser::prints_a_url", url.startswith("http://127.0.0.1:"), url)
        pages = [("accueil", "/", ["512000", "3 795,44", "Dernières écritures", "Cotisation de Mme Durand"]),
                 ("journal", f"/journal?from={Y}&to={Y}", ["1 234,56", f"31/03/{Y}", "F-031"]),
                 ("grand-livre", f"/ledger?account=401000&from={Y}&to={Y}", ["1 234,56", "FOURN01"]),
                 ("balance", f"/balance?at={Y}-12-31", ["606400", "1 234,56"]),
                 ("entree", f"/entry?id={Y}/1", ["F-031", "FOURN01", "1 234,56"])]
        for js in (True, False):
            d = browser(js)
            try:
                suffix = "" if js else "-nojs"
                test = "pages_in_chromium" if js else "works_without_javascript"
                d.get(url if js else url)
                check(f"web_browser::{test}::login", "/login" not in d.current_url, d.current_url)
                for name, path, needles in pages:
                    d.get(base + path)
                    src = d.page_source
                    d.save_screenshot(os.path.join(shots, f"{name}{suffix}.png"))
                    for n in needles:
                        check(f"web_browser::{test}::{name}", n in src, f"missing {n!r}")
                    if js:
                        d.execute_script(axe)
                        accessible(d, name)
                if js:
                    d.get(base + f"/journal?from={Y}&to={Y}")
                    loads(d, d.find_element(By.LINK_TEXT, f"{Y}/1").click)
                    check("web_browser::journal_links_to_entry", f"/entry?id={Y}/1" in d.current_url,
                          d.current_url)
                    loads(d, d.find_element(By.CSS_SELECTOR, "form.logout button").click)
                    d.get(base + f"/journal?from={Y}&to={Y}")
                    check("web_browser::signed_out", "F-031" not in d.page_source)
                    d.get(url)
                    check("web_browser::token_works_once", "F-031" not in d.page_source
                          and "/login" in d.current_url)
                    d.save_screenshot(os.path.join(shots, "login-used.png"))
            finally:
                d.quit()
            if js:  # a fresh token for the second browser
                url = new_login(web)
    finally:
        stop(web, env, tmp)
    finish("tests/web/test_web_browser.py")


main()
