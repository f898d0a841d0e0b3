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
import re
import signal
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

Y = time.strftime("%Y")  # the home page shows the year to date
build = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build")
here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
shots = os.path.join(build, "test-output", "web")
os.makedirs(shots, exist_ok=True)
failures = []


def check(name, cond, detail=""):
    if not cond:
        failures.append(name)
        print(f"FAIL {name} {detail}", file=sys.stderr)


def browser(javascript):
    opts = Options()
    opts.binary_location = "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
              "--window-size=1280,900", "--lang=fr-FR"):
        opts.add_argument(a)
    if not javascript:
        opts.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)


def axe_source():
    root = subprocess.run(["npm", "root", "-g"], capture_output=True, text=True).stdout.strip()
    path = os.path.join(root, "axe-core", "axe.min.js")
    if not os.path.exists(path):
        print(f"web_browser: {path} missing: run 'sh scripts/bootstrap' as root", file=sys.stderr)
        sys.exit(1)
    with open(path, encoding="utf-8") as f:
        return f.read()


AXE_RUN = """const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']})
  .then(r => done(r.violations.map(v => [v.id, v.impact, v.nodes.length])))
  .catch(e => done([['axe-error', 'critical', String(e)]]));"""


def accessible(d, name):
    d.set_script_timeout(30)
    found = d.execute_async_script(AXE_RUN)
    bad = [v for v in found if v[1] in ("serious", "critical")]
    check(f"web_browser::accessible::{name}", not bad, str(bad))


def sandbox(tmp):
    env = dict(os.environ, GL_BUILD=build)
    out = subprocess.run([os.path.join(here, "scripts/sandbox"), "start", tmp + "/gl"],
                         env=env, check=True, capture_output=True, text=True).stdout
    for m in re.finditer(r"^export (\w+)=(.*)$", out, re.M):
        env[m.group(1)] = m.group(2)
    env["XDG_CONFIG_HOME"] = tmp + "/config"
    env["GRANDLIVRE_KEY"] = tmp + "/gl/keys/agiie.key"
    env["GRANDLIVRE_LANG"] = "fr"
    env.pop("GRANDLIVRE_TENANT", None)
    gl = os.path.join(build, "grandlivre")
    for args in (["--date", f"{Y}-03-31", "--journal", "AC", "--piece", "F-031", "--label",
                  "Fournitures de bureau", "--debit", "606400=1234,56",
                  "--credit", "401000:FOURN01=1234,56"],
                 ["--date", f"{Y}-04-02", "--journal", "BQ", "--piece", "V-7", "--label",
                  "Règlement fournisseur", "--debit", "401000:FOURN01=1234,56",
                  "--credit", "512000=1234,56"],
                 ["--date", f"{Y}-01-15", "--journal", "BQ", "--piece", "S-1", "--label",
                  "Subvention", "--debit", "512000=5000", "--credit", "740000=5000"],
                 ["--date", time.strftime("%Y-%m-%d"), "--journal", "BQ", "--piece", "C-12",
                  "--label", "Cotisation de Mme Durand", "--debit", "512000=30",
                  "--credit", "756000=30"]):
        subprocess.run([gl, "post", "--tenant", "agiie"] + args, env=env, check=True,
                       capture_output=True)
    return env


def main():
    axe = axe_source()
    tmp = tempfile.mkdtemp(prefix="glweb.")
    env = sandbox(tmp)
    web = subprocess.Popen([os.path.join(build, "grandlivre"), "web"], env=env,
                           stdout=subprocess.PIPE, stderr=open(tmp + "/web.err", "w"), text=True)
    try:
        url = web.stdout.readline().strip()
        check("web_browser::prints_a_url", url.startswith("http://127.0.0.1:"), url)
        base = url.split("/login")[0]
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
                    d.find_element(By.LINK_TEXT, f"{Y}/1").click()
                    check("web_browser::journal_links_to_entry", f"/entry?id={Y}/1" in d.current_url,
                          d.current_url)
                    d.find_element(By.CSS_SELECTOR, "form.logout button").click()
                    d.get(base + f"/journal?from={Y}&to={Y}")
                    check("web_browser::signed_out", "F-031" not in d.page_source)
                    d.get(url)
                    check("web_browser::token_works_once", "F-031" not in d.page_source
                          and "/login" in d.current_url)
                    d.save_screenshot(os.path.join(shots, "login-used.png"))
            finally:
                d.quit()
            if js:  # a fresh token for the second browser
                web.send_signal(signal.SIGUSR1)
                url = web.stdout.readline().strip()
    finally:
        web.terminate()
        web.wait()
        subprocess.run([os.path.join(here, "scripts/sandbox"), "stop", tmp + "/gl"],
                       env=env, capture_output=True)
        subprocess.run(["rm", "-rf", tmp])
    if failures:
        print(f"tests/web/test_web_browser.py: {len(failures)} FAILED", file=sys.stderr)
        sys.exit(1)
    print(f"tests/web/test_web_browser.py: ok (screenshots in {shots})")


main()
