#!/usr/bin/python3
"""tests/web/test_web_month.py BUILD — the accountant's monthly work in one
Chromium session of `grandlivre web` (run with /usr/bin/python3, as make
web-check does), with the sandbox's accountant key, for a tenant that is not
the key's own: the issue's "post for any tenant, letter, lock, read the
group", end to end.

web_month_browser::switch_tenant: the tenant switcher of the header moves
Saisie to proxim.
web_month_browser::post_for_proxim: a rent invoice (613200 / 401000 PROPRIO)
and its payment (401000 PROPRIO / 512000) posted through the form; the CLI's
journal of proxim has both, agiie's is unchanged.
web_month_browser::letter: on Lettrage of 401000 PROPRIO the two lines
ticked and lettered: code A, nothing left open.
web_month_browser::lock: January locked through Périodes and its
confirmation; the CLI agrees.
web_month_browser::group: Groupe shows proxim's column with the rent.
Screenshots: mois-saisie-proxim.png, mois-lettrage-proxim.png,
mois-periodes-proxim.png, mois-groupe.png under BUILD/test-output/web/.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webtest import (Y, By, build, check, finish, sandbox, shots, start_web,  # noqa: E402
                     stop, browser)
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

T = "web_month_browser"


def gl(env, *args):
    return subprocess.run([os.path.join(build, "grandlivre"), *args], env=env,
                          capture_output=True, text=True).stdout


def click_and_wait(d, css, part):
    """Click, then wait for the next page's address to hold part."""
    old = d.current_url
    d.find_element(By.CSS_SELECTOR, css).click()
    try:
        WebDriverWait(d, 10).until(lambda drv: drv.current_url != old and part in drv.current_url)
    except Exception:  # the check after it says what is missing
        pass


def post(d, base, fields):
    d.get(base + "/post?tenant=proxim")
    d.execute_script("sessionStorage.clear()")
    d.get(base + "/post?tenant=proxim")
    Select(d.find_element(By.NAME, "journal")).select_by_value(fields.pop("journal"))
    for name, text in fields.items():
        e = d.find_element(By.NAME, name)
        e.clear()
        e.send_keys(text)
    click_and_wait(d, "button.primary", "done=")
    return d.page_source


def main():
    tmp = tempfile.mkdtemp(prefix="glweb.")
    env = sandbox(tmp)
    env["GRANDLIVRE_KEY"] = tmp + "/gl/keys/accountant.key"
    agiie_before = gl(env, "journal", "--tenant", "agiie", "--from", Y, "--to", Y, "--format", "csv")
    web, url, base = start_web(env, tmp, "--tenant", "agiie")
    try:
        d = browser(True)
        try:
            d.get(url)
            d.get(base + "/post")
            Select(d.find_element(By.CSS_SELECTOR, "form.tenant select")).select_by_value("proxim")
            click_and_wait(d, "form.tenant button", "tenant=proxim")
            check(f"{T}::switch_tenant", "/post" in d.current_url and "tenant=proxim" in d.current_url
                  and "name=\"tenant\" value=\"proxim\"" in d.page_source, d.current_url)
            src = post(d, base, {"journal": "AC", "date": f"10/01/{Y}", "piece": "F-PX1",
                                 "label": "Loyer de janvier", "account0": "613200",
                                 "debit0": "500", "account1": "401000", "aux1": "PROPRIO",
                                 "credit1": "500"})
            check(f"{T}::post_for_proxim::invoice", f"{Y}/1" in src and "passée" in src, d.current_url)
            d.save_screenshot(os.path.join(shots, "mois-saisie-proxim.png"))
            src = post(d, base, {"journal": "BQ", "date": f"20/01/{Y}", "piece": "V-PX1",
                                 "label": "Règlement du loyer", "account0": "401000",
                                 "aux0": "PROPRIO", "debit0": "500", "account1": "512000",
                                 "credit1": "500"})
            check(f"{T}::post_for_proxim::payment", f"{Y}/2" in src and "passée" in src, d.current_url)
            out = gl(env, "journal", "--tenant", "proxim", "--from", Y, "--to", Y, "--format", "csv")
            check(f"{T}::post_for_proxim::cli_journal", "Loyer de janvier" in out
                  and "Règlement du loyer" in out and "PROPRIO" in out, out)
            check(f"{T}::post_for_proxim::agiie_unchanged",
                  gl(env, "journal", "--tenant", "agiie", "--from", Y, "--to", Y, "--format", "csv")
                  == agiie_before)
            d.get(base + "/letter?account=401000&aux=PROPRIO&tenant=proxim")
            for box in (f"pick-{Y}-1-2", f"pick-{Y}-2-1"):
                d.find_element(By.ID, box).click()
            click_and_wait(d, "form.letter button[value=letter]", "lettered=")
            src = d.page_source
            check(f"{T}::letter", "lettered=A" in d.current_url and f"pick-{Y}-1-2" not in src,
                  d.current_url)
            d.save_screenshot(os.path.join(shots, "mois-lettrage-proxim.png"))
            d.get(base + "/periods?tenant=proxim")
            Select(d.find_element(By.NAME, "through")).select_by_value(f"{Y}-01")
            click_and_wait(d, "form[action='/lock'] button", "/lock?through=")
            click_and_wait(d, "button.danger", "/periods?locked=")
            check(f"{T}::lock", f"<li class=\"locked\"><span class=\"month\">01/{Y}</span>"
                  in d.page_source, d.current_url)
            d.save_screenshot(os.path.join(shots, "mois-periodes-proxim.png"))
            out = gl(env, "periods", "--tenant", "proxim")
            check(f"{T}::lock::cli_agrees", f"{Y}-01" in out, out)
            d.get(base + f"/group?at={Y}-12-31&tenant=proxim")
            src = d.page_source
            check(f"{T}::group", ">proxim</th>" in src and "613200" in src and "500,00" in src, "")
            d.save_screenshot(os.path.join(shots, "mois-groupe.png"))
        finally:
            d.quit()
    finally:
        stop(web, env, tmp)
    finish("tests/web/test_web_month.py")


main()
