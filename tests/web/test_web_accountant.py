#!/usr/bin/python3
"""tests/web/test_web_accountant.py BUILD — the accountant's and the
auditor's pages of `grandlivre web` in Chromium (helper D), on the sandbox
(scripts/sandbox) with the accountant's key, then the auditor's.

web_accountant_browser::lock_march: Périodes lists the open months; March
chosen, the confirmation page names January to March and says a lock is for
ever; confirmed, Périodes shows them locked with a notice, and `grandlivre
periods` agrees.  Screenshots verrouillage.png (the confirmation) and
periodes.png (after the lock).
web_accountant_browser::close_page: the confirmation page of the year's
close shows the result and warns that the year is not locked (cloture.png).
web_accountant_browser::group: the combined balance with one column per
entity and the reconciliation (groupe.png).
web_accountant_browser::statements: the statements' form (etats.png).
web_accountant_browser::without_javascript: Périodes, and a lock through
April, with JavaScript disabled (periodes-nojs.png).
web_accountant_browser::auditor: the auditor's navigation shows Périodes,
Groupe and États, Périodes has no lock form, the archive link is there; the
ledger (grandlivre verify of an archive, journal) is unchanged by the visit
(auditeur.png).
web_accountant_browser::accessible::*: axe-core on each page, no violation
of impact serious or critical.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webtest import (Y, By, accessible, axe_source, browser, build, check,  # noqa: E402
                     finish, new_login, sandbox, shots, start_web, stop)

T = "web_accountant_browser"


def gl(env, *args):
    return subprocess.run([os.path.join(build, "grandlivre"), *args], env=env,
                          capture_output=True, text=True)


def wait_url(d, part):
    """Wait for the navigation a click started (a form's POST and its 303)."""
    from selenium.webdriver.support.ui import WebDriverWait
    try:
        WebDriverWait(d, 10).until(lambda drv: part in drv.current_url)
    except Exception:  # the check after it says what is missing
        pass


def page(d, base, path, shot, axe, needles=(), test=""):
    d.get(base + path)
    src = d.page_source
    for n in needles:
        check(f"{T}::{test or shot}", n in src, f"missing {n!r} in {path}")
    d.save_screenshot(os.path.join(shots, shot + ".png"))
    if axe:
        d.execute_script(axe)
        accessible(d, shot)
    return src


def with_js(d, url, base, axe, env):
    d.get(url)
    check(f"{T}::login", "/login" not in d.current_url, d.current_url)
    src = page(d, base, "/periods?tenant=agiie", "periodes-avant", None,
               [f"value=\"{Y}-03\"", "AGIIE"], "periods")
    # the lock: choose March, review, confirm
    from selenium.webdriver.support.ui import Select
    Select(d.find_element(By.NAME, "through")).select_by_value(f"{Y}-03")
    d.find_element(By.CSS_SELECTOR, "form[action='/lock'] button").click()
    wait_url(d, "/lock?through=")
    src = d.page_source
    for n in (f"01/{Y}", f"02/{Y}", f"03/{Y}", "name=\"rid\""):
        check(f"{T}::lock_march::confirmation", n in src, f"missing {n!r}")
    check(f"{T}::lock_march::confirmation", f"04/{Y}</td>" not in src, "April listed")
    d.save_screenshot(os.path.join(shots, "verrouillage.png"))
    d.execute_script(axe)
    accessible(d, "verrouillage")
    d.find_element(By.CSS_SELECTOR, "button.danger").click()
    wait_url(d, "/periods?locked=")
    check(f"{T}::lock_march::redirected", "/periods?locked=" in d.current_url, d.current_url)
    src = d.page_source
    check(f"{T}::lock_march::locked",
          f"<li class=\"locked\"><span class=\"month\">03/{Y}</span>" in src
          and "class=\"banner\"" in src, "")
    d.save_screenshot(os.path.join(shots, "periodes.png"))
    d.execute_script(axe)
    accessible(d, "periodes")
    out = gl(env, "periods", "--tenant", "agiie").stdout
    check(f"{T}::lock_march::cli_agrees", f"locked through {Y}-03" in out
          or f"verrouillées jusqu'à {Y}-03" in out or f"{Y}-03" in out, out)
    page(d, base, f"/close?year={Y}&tenant=agiie", "cloture", axe,
         ["120000", "banner problem", "name=\"rid\""], "close_page")
    page(d, base, f"/group?at={Y}-12-31&tenant=agiie", "groupe", axe,
         [">agiie</th>", ">gessa</th>", "512000"], "group")
    page(d, base, "/statements?tenant=agiie", "etats", axe,
         ["action=\"/statements/file\"", f"/statements/file?year={Y}&amp;tenant=agiie"],
         "statements")


def without_js(d, url, base):
    d.get(url)
    page(d, base, "/periods?tenant=agiie", "periodes-nojs", None,
         [f"<li class=\"locked\"><span class=\"month\">03/{Y}</span>"], "without_javascript")
    from selenium.webdriver.support.ui import Select
    Select(d.find_element(By.NAME, "through")).select_by_value(f"{Y}-04")
    d.find_element(By.CSS_SELECTOR, "form[action='/lock'] button").click()
    wait_url(d, "/lock?through=")
    d.find_element(By.CSS_SELECTOR, "button.danger").click()
    wait_url(d, "/periods?locked=")
    check(f"{T}::without_javascript::locked",
          f"<li class=\"locked\"><span class=\"month\">04/{Y}</span>" in d.page_source,
          d.current_url + d.page_source[-3000:])


def auditor(env, tmp, axe):
    aenv = dict(env, GRANDLIVRE_KEY=tmp + "/gl/keys/auditor.key")
    before = gl(aenv, "journal", "--tenant", "agiie", "--format", "csv").stdout
    web, url, base = start_web(aenv, tmp, "--tenant", "agiie")
    d = browser(True)
    try:
        d.get(url)
        src = page(d, base, "/periods?tenant=agiie", "auditeur", axe,
                   ["href=\"/periods?tenant=agiie\"", "href=\"/group?tenant=agiie\"",
                    "href=\"/statements?tenant=agiie\"", "href=\"/archive?tenant=agiie\""],
                   "auditor")
        check(f"{T}::auditor::no_lock_form", "action=\"/lock\"" not in src, "")
        check(f"{T}::auditor::no_close_link", "/close?" not in src, "")
    finally:
        d.quit()
        web.terminate()
        web.wait()
    after = gl(aenv, "journal", "--tenant", "agiie", "--format", "csv").stdout
    check(f"{T}::auditor::ledger_unchanged", before == after and before != "", "")


def main():
    axe = axe_source()
    tmp = tempfile.mkdtemp(prefix="glweb.")
    env = sandbox(tmp)
    env["GRANDLIVRE_KEY"] = tmp + "/gl/keys/accountant.key"
    web, url, base = start_web(env, tmp, "--tenant", "agiie")
    try:
        check(f"{T}::prints_a_url", url.startswith("http://127.0.0.1:"), url)
        d = browser(True)
        try:
            with_js(d, url, base, axe, env)
        finally:
            d.quit()
        d = browser(False)
        try:
            without_js(d, new_login(web), base)
        finally:
            d.quit()
        auditor(env, tmp, axe)
    finally:
        stop(web, env, tmp)
    finish("tests/web/test_web_accountant.py")


main()
