"""tests/web/webtest.py — what every browser test of `grandlivre web` shares:
the result list (check, finish), Chromium through chromedriver (browser), the
axe-core accessibility check (axe_source, accessible), a sandbox daemon with
four entries of the agiie tenant posted (sandbox, sandbox_stop) and the web
server started on it (start_web), and a click that waits for the page it
loads (click_until).  Each tests/web/test_*.py is run by
`make web-check` with /usr/bin/python3 and the build directory as argument.
"""
import os
import re
import signal
import subprocess
import sys
import time

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By  # noqa: F401 (for the test files)
from selenium.webdriver.support.ui import WebDriverWait

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



def click_until(d, element, text):
    """Click, then wait (up to 20 s) for the next page to hold text: a click
    may return before the browser has loaded the page it asked for (seen
    under load: the checks then read the old page).  On time out the
    checks that follow say what is missing."""
    element.click()
    try:
        WebDriverWait(d, 20).until(lambda drv: text in drv.page_source)
    except TimeoutException:
        pass


def loads(d, act):
    """Do act (a click, a key that submits) and wait (up to 20 s) until the
    browser has left the page: a click returns before the next page is
    loaded, and a check or a navigation right after it would read, or
    abort, the old one (seen under ASan).  On time out the checks that
    follow say what is missing."""
    old = d.find_element(By.TAG_NAME, "html")
    act()
    try:
        WebDriverWait(d, 20).until(lambda drv: stale(old))
    except TimeoutException:
        pass


def stale(element):
    try:
        element.tag_name
        return False
    except Exception:  # StaleElementReferenceException: the page was replaced
        return True


def start_web(env, tmp, *args):
    """`grandlivre web ARGS` on the sandbox: (process, login URL, base URL)."""
    web = subprocess.Popen([os.path.join(build, "grandlivre"), "web", *args], env=env,
                           stdout=subprocess.PIPE, stderr=open(tmp + "/web.err", "a"), text=True)
    url = web.stdout.readline().strip()
    return web, url, url.split("/login")[0]


def new_login(web):
    """A fresh login URL from a running server (SIGUSR1)."""
    web.send_signal(signal.SIGUSR1)
    return web.stdout.readline().strip()


def stop(web, env, tmp):
    web.terminate()
    web.wait()
    subprocess.run([os.path.join(here, "scripts/sandbox"), "stop", tmp + "/gl"],
                   env=env, capture_output=True)
    subprocess.run(["rm", "-rf", tmp])


def finish(name):
    if failures:
        print(f"{name}: {len(failures)} FAILED", file=sys.stderr)
        sys.exit(1)
    print(f"{name}: ok (screenshots in {shots})")
