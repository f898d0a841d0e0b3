#!/usr/bin/python3
"""tests/web/test_web_entry.py BUILD — Entrée's actions in a real browser
(Chromium through chromedriver, as test_web_browser.py), on the sandbox's
four agiie entries (Y/1 a supplier invoice, Y/2 its payment, Y/3 a grant,
Y/4 a membership fee).

web_entry_browser::reverse_by_clicks: from Entrée of Y/3, the "Contre-passer"
link, the confirmation (the reversal's lines, swapped, and its date), its
button; the browser lands on the new entry, which says "Contre-passe Y/3",
and Y/3 says "Contre-passée par" it.
web_entry_browser::letter_by_clicks: from Entrée of Y/1, the "Lettrer" link
of the supplier's line; one box ticked and "Lettrer" is refused next to the
list (the books unchanged: journal and ledger the same before and after);
both boxes, "Lettrer": "Lignes lettrées : A", and the code A on the entry.
web_entry_browser::without_javascript: the same with JavaScript disabled:
reverse Y/4, unletter A with "Délettrer", compute the sum of two ticked
lines on the server ("Calculer le total"), then letter them again.
web_entry_browser::accessible: axe-core finds no serious or critical
violation on the confirmation, the new entry, the lettering page (before
and after) and the lettered entry.
Screenshots: contre-passation.png, entree-contrepassee.png, lettrage.png,
lettrage-refus.png, lettrage-fait.png, entree-lettree.png, lettrage-nojs.png,
contre-passation-nojs.png.
"""
import os
import subprocess
import sys
import tempfile

from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webtest import (Y, By, accessible, axe_source, browser, build, check,  # noqa: E402
                     finish, new_login, sandbox, shots, start_web, stop)


def books(env):
    """What a refused write must leave as it was: the journal and the
    supplier's ledger (with its letter codes), as the CLI prints them."""
    gl = os.path.join(build, "grandlivre")
    out = []
    for args in (["journal", "--from", Y, "--to", Y, "--format", "csv"],
                 ["ledger", "--account", "401000", "--aux", "FOURN01", "--from", Y, "--to", Y,
                  "--format", "csv"]):
        out.append(subprocess.run([gl, *args, "--tenant", "agiie"], env=env, check=True,
                                  capture_output=True, text=True).stdout)
    return out


def gone(old):
    """The old page's root element is gone.  Chromium answers either "stale
    element" or, asked in the middle of the load, an inspector error about a
    node of an unloaded document (seen with Chromium 156.0.8078.114 under
    ASan's slower server): both mean the next page is there."""
    def predicate(_d):
        try:
            old.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as e:
            if "does not belong to the document" in str(e):
                return True
            raise
    return predicate


def click_and_wait(d, how, what):
    """Click a link or a button and wait for the next page (a click returns
    before the browser has loaded it)."""
    old = d.find_element(By.TAG_NAME, "html")
    d.find_element(how, what).click()
    WebDriverWait(d, 20).until(gone(old))


def shot(d, name):
    d.save_screenshot(os.path.join(shots, name))


def reverse(d, base, num, js, axe):
    test = "reverse_by_clicks" if js else "without_javascript"
    d.get(base + f"/entry?id={Y}/{num}")
    click_and_wait(d, By.LINK_TEXT, "Contre-passer")
    src = d.page_source
    check(f"web_entry_browser::{test}::confirmation", f"Contre-passation {Y}/{num}" in src
          and "/reverse?id=" in d.current_url, d.current_url)
    shot(d, "contre-passation.png" if js else "contre-passation-nojs.png")
    if js:
        d.execute_script(axe)
        accessible(d, "contre-passation")
    click_and_wait(d, By.CSS_SELECTOR, "form.action button")
    src = d.page_source
    check(f"web_entry_browser::{test}::new_entry", "posted=1" in d.current_url
          and "passée." in src and f">{Y}/{num}</a>" in src and "Contre-passe<" in src,
          d.current_url)
    if js:
        shot(d, "entree-contrepassee.png")
        d.execute_script(axe)
        accessible(d, "entree-contrepassee")
    new = d.current_url.split("id=")[1].split("&")[0]
    click_and_wait(d, By.LINK_TEXT, f"{Y}/{num}")
    check(f"web_entry_browser::{test}::link_back", "Contre-passée par" in d.page_source
          and f">{new}</a>" in d.page_source, new)


def tick(d, *ids):
    for i in ids:
        box = d.find_element(By.ID, i)
        if not box.is_selected():
            box.click()


def letter(d, base, env, js, axe):
    test = "letter_by_clicks" if js else "without_javascript"
    d.get(base + f"/entry?id={Y}/1")
    click_and_wait(d, By.LINK_TEXT, "Lettrer")
    check(f"web_entry_browser::{test}::letter_page", "/letter?account=401000" in d.current_url
          and f"pick-{Y}-1-2" in d.page_source, d.current_url)
    if js:
        shot(d, "lettrage.png")
        d.execute_script(axe)
        accessible(d, "lettrage")
        before = books(env)
        tick(d, f"pick-{Y}-1-2")
        click_and_wait(d, By.CSS_SELECTOR, "form.letter button[value=letter]")
        check(f"web_entry_browser::{test}::one_line_refused",
              "Cochez au moins deux lignes" in d.page_source)
        shot(d, "lettrage-refus.png")
        check(f"web_entry_browser::{test}::refusal_changes_nothing", books(env) == before)
    else:
        tick(d, f"pick-{Y}-1-2", f"pick-{Y}-2-1")
        click_and_wait(d, By.CSS_SELECTOR, "form.letter button[value=sum]")
        check(f"web_entry_browser::{test}::sum_on_the_server",
              "Total des lignes cochées" in d.page_source and "<strong>0,00</strong>"
              in d.page_source)
        shot(d, "lettrage-nojs.png")
    tick(d, f"pick-{Y}-1-2", f"pick-{Y}-2-1")
    click_and_wait(d, By.CSS_SELECTOR, "form.letter button[value=letter]")
    code = "A" if js else "B"
    check(f"web_entry_browser::{test}::lettered", f"Lignes lettrées : {code}" in d.page_source
          and f"lettered={code}" in d.current_url, d.current_url)
    if js:
        shot(d, "lettrage-fait.png")
        d.execute_script(axe)
        accessible(d, "lettrage-fait")
    d.get(base + f"/entry?id={Y}/1")
    check(f"web_entry_browser::{test}::code_on_entry", f"\">{code}</a></td>" in d.page_source)
    if js:
        shot(d, "entree-lettree.png")
        d.execute_script(axe)
        accessible(d, "entree-lettree")


def unletter(d, base):
    d.get(base + "/letter?account=401000&aux=FOURN01")
    click_and_wait(d, By.CSS_SELECTOR, "form.inline button")
    check("web_entry_browser::without_javascript::unlettered",
          "Lettrage A supprimé" in d.page_source and f"pick-{Y}-1-2" in d.page_source)


def main():
    axe = axe_source()
    tmp = tempfile.mkdtemp(prefix="glweb.")
    env = sandbox(tmp)
    web, url, base = start_web(env, tmp)
    try:
        for js in (True, False):
            d = browser(js)
            try:
                d.get(url)
                if js:
                    reverse(d, base, 3, js, axe)
                    letter(d, base, env, js, axe)
                else:
                    reverse(d, base, 4, js, axe)
                    unletter(d, base)
                    letter(d, base, env, js, axe)
            finally:
                d.quit()
            if js:
                url = new_login(web)
    finally:
        stop(web, env, tmp)
    finish("tests/web/test_web_entry.py")


main()
