#!/usr/bin/python3
"""tests/web/test_annexe.py BUILD — the annexe (`grandlivre annexe`) and the
balance sheet (`grandlivre statements --format html`) of issue 20 as a reader
sees them in Chromium.

On the sandbox (webtest.sandbox): agiie's previous year (Y-1) gets capital,
equipment, software, a loan, the year's depreciation, a provision and
volunteers, and is locked and closed; year Y gets the appropriation of the
Y-1 surplus, more equipment, a part scrapped, depreciation, a provision
taken back and a gift in kind (besides the sandbox's four entries).

annexe::figures: each table's row shows the figures computed by hand here
(fixed assets 12 000 + 3 000 at the opening, 4 000 bought, 1 000 scrapped,
18 000 at the closing; depreciation 2 400 / 3 000 / 1 000 / 4 400; the
provision 500 - 200 = 300; equity 102 100 at the opening, 1 400 to the reserves; the loan over one
year), the notes of docs/annexe-notes-template.md in their sections, every
tie to the balance sheet marked ✓ and none ✗; printed, nothing is cut at
the A4 width and each table starts a new sheet (annexe.png, the whole page;
annexe-imprime.png; annexe.pdf printed by the command itself).
bilan::figures: the actif's Immobilisations corporelles show gross 15 000,
depreciation 4 400, net 10 600 and the previous year's net 9 600; TOTAL
ACTIF = TOTAL PASSIF in both years (bilan.png).
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webtest import Y, By, browser, build, check, finish, here, sandbox, shots  # noqa: E402

T = "annexe_browser"
P = str(int(Y) - 1)
MM_PX = 96 / 25.4
NNBSP = "\u202f"

OVERFLOW = """const w = document.documentElement.clientWidth;
let worst = 0, what = '';
for (const e of document.querySelectorAll('body *')) {
  const r = e.getBoundingClientRect();
  if (r.right > w + 1 && r.right > worst) { worst = r.right; what = e.tagName + ' ' + e.textContent.slice(0, 40); }
}
return [document.documentElement.scrollWidth, w, worst, what];"""


def gl(env, *args, key=None):
    e = dict(env)
    if key:
        e["GRANDLIVRE_KEY"] = os.path.join(env["GL_SANDBOX_DIR"], "keys", key + ".key")
    return subprocess.run([os.path.join(build, "grandlivre"), *args], env=e,
                          capture_output=True, text=True)


def post(env, date, debit, credit, amount, piece):
    r = gl(env, "post", "--tenant", "agiie", "--date", date, "--journal", "OD", "--piece", piece,
           "--label", "Annexe " + piece, "--debit", f"{debit}={amount}",
           "--credit", f"{credit}={amount}")
    check(f"{T}::post::{piece}", r.returncode == 0, r.stderr)


def ledger(env):
    for i, (d, a, c, amt) in enumerate([
            (f"{P}-01-05", "512000", "102000", "100000"),
            (f"{P}-01-10", "512000", "164000", "20000"),
            (f"{P}-02-01", "218300", "512000", "12000"),
            (f"{P}-02-02", "205000", "404000", "3000"),
            (f"{P}-03-01", "411000:U1", "706000", "5000"),
            (f"{P}-12-31", "681100", "281830", "2400"),
            (f"{P}-12-31", "681500", "151000", "500"),
            (f"{P}-06-15", "864000", "875000", "800")]):
        post(env, d, a, c, amt, f"P{i}")
    for args in (["lock", "--tenant", "agiie", "--through", f"{P}-12", "--yes"],
                 ["close-year", "--tenant", "agiie", "--year", P]):
        r = gl(env, *args, key="accountant")
        check(f"{T}::{args[0]}", r.returncode == 0, r.stderr)
    for i, (d, a, c, amt) in enumerate([
            (f"{Y}-03-15", "120000", "106800", "1400"),
            (f"{Y}-04-01", "218300", "512000", "4000"),
            (f"{Y}-04-02", "281830", "218300", "1000"),
            (f"{Y}-10-10", "164000", "512000", "2000"),
            (f"{Y}-11-30", "681100", "281830", "3000"),
            (f"{Y}-11-30", "151000", "781500", "200"),
            (f"{Y}-06-16", "861000", "870000", "100")]):
        post(env, d, a, c, amt, f"N{i}")


def row(d, section, label):
    xp = (f"//section[@id='{section}']//tr[td[1][starts-with(normalize-space(.), \"{label}\")]]")
    found = d.find_elements(By.XPATH, xp)
    return found[0].text.replace(NNBSP, " ") if found else ""


def shows(d, section, label, *amounts):
    text = row(d, section, label)
    for a in amounts:
        check(f"{T}::annexe::{section}::{label}", a in text, f"want {a!r} in {text!r}")


def full_screenshot(d, name):
    h = d.execute_script("return document.documentElement.scrollHeight")
    d.set_window_size(1100, min(max(h + 100, 900), 16000))
    d.save_screenshot(os.path.join(shots, name))
    d.set_window_size(1100, 900)


def annexe_page(d, path):
    d.get("file://" + path)
    shows(d, "immobilisations", "Immobilisations corporelles (21)",
          "12 000,00", "4 000,00", "1 000,00", "15 000,00")
    shows(d, "immobilisations", "Total", "15 000,00", "18 000,00")
    shows(d, "amortissements", "Total", "2 400,00", "3 000,00", "1 000,00", "4 400,00")
    shows(d, "provisions", "Provisions pour risques", "500,00", "200,00", "300,00")
    shows(d, "fonds-propres", "Réserves", "1 400,00")
    shows(d, "fonds-propres", "Total", "102 100,00")  # capital and the Y-1 surplus
    shows(d, "echeances", "Emprunts et dettes auprès des établissements de crédit",
          "18 000,00")
    shows(d, "contributions", "Dons en nature", "100,00")
    src = d.page_source
    for n in ("Règles et méthodes comptables", "mode linéaire sur la durée d'utilisation",
              "Engagements hors bilan", "Événements postérieurs à la clôture",
              "Concordance avec le bilan", "Annexe des comptes annuels"):
        check(f"{T}::annexe::text", n in src, f"missing {n!r}")
    check(f"{T}::annexe::notes_instructions_left_out", "modèle à copier" not in src)
    ok = d.find_elements(By.CSS_SELECTOR, "ul.ties li.ok")
    ko = d.find_elements(By.CSS_SELECTOR, "ul.ties li.ko")
    check(f"{T}::annexe::ties", len(ok) >= 10 and not ko, f"{len(ok)} ok, {len(ko)} failed")
    full_screenshot(d, "annexe.png")
    # printed: A4 portrait's printable width (210 - 2 x 12 mm), each table on a new sheet
    d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                      {"width": int((210 - 24) * MM_PX), "height": 1200, "deviceScaleFactor": 1,
                       "mobile": False})
    scroll, width, worst, what = d.execute_script(OVERFLOW)
    check(f"{T}::annexe::printed::no_cut_text", scroll <= width and not worst,
          f"page {scroll}px in {width}px, {what!r} ends at {worst}px")
    breaks = d.execute_script("return Array.from(document.querySelectorAll('section.tab'))"
                              ".map(s => getComputedStyle(s).breakBefore)")
    check(f"{T}::annexe::printed::page_breaks", breaks and all(b == "page" for b in breaks),
          str(breaks))
    d.save_screenshot(os.path.join(shots, "annexe-imprime.png"))
    d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def bilan_page(d, path):
    d.get("file://" + path)
    heads = [th.text.replace("\n", " ") for th in
             d.find_elements(By.CSS_SELECTOR, "table.st.gross thead th")]
    check(f"{T}::bilan::columns", len(heads) == 5 and heads[1].startswith("Brut")
          and heads[2].startswith("Amortissements") and heads[3].startswith("Net")
          and P in heads[4], str(heads))
    xp = ("//table[contains(@class,'gross')]//tr[td[1][normalize-space(.)="
          "'Immobilisations corporelles']]")
    found = d.find_elements(By.XPATH, xp)
    cells = [td.text.replace(NNBSP, " ") for td in found[0].find_elements(By.TAG_NAME, "td")] \
        if found else []
    check(f"{T}::bilan::corporelles", cells[1:] == ["15 000,00", "4 400,00", "10 600,00",
                                                     "9 600,00"], str(cells))

    def total(kind):
        xp = f"//tr[td[1][starts-with(normalize-space(.), 'TOTAL {kind}')]]"
        tr = d.find_elements(By.XPATH, xp)
        return [td.text for td in tr[0].find_elements(By.TAG_NAME, "td")][-2:] if tr else []
    actif, passif = total("ACTIF"), total("PASSIF")
    check(f"{T}::bilan::balanced", actif and actif == passif, f"{actif} / {passif}")
    full_screenshot(d, "bilan.png")


def main():
    tmp = tempfile.mkdtemp(prefix="gl-annexe-")
    env = sandbox(tmp)
    env["GL_SANDBOX_DIR"] = tmp + "/gl"
    d = None
    try:
        ledger(env)
        html, bilan, pdf = (os.path.join(tmp, n) for n in ("annexe.html", "bilan.html",
                                                            "annexe.pdf"))
        r = gl(env, "annexe", "--tenant", "agiie", "--year", Y, "-o", html, "--pdf", pdf,
               "--notes", os.path.join(here, "docs", "annexe-notes-template.md"), key="auditor")
        check(f"{T}::annexe::command", r.returncode == 0, r.stderr)
        if os.path.exists(pdf):
            with open(pdf, "rb") as f:
                check(f"{T}::annexe::pdf", f.read(4) == b"%PDF")
            subprocess.run(["cp", pdf, os.path.join(shots, "annexe.pdf")])
        r = gl(env, "statements", "--tenant", "agiie", "--year", Y, "--format", "html",
               "-o", bilan, key="auditor")
        check(f"{T}::bilan::command", r.returncode == 0, r.stderr)
        d = browser(False)
        annexe_page(d, html)
        bilan_page(d, bilan)
    finally:
        if d:
            d.quit()
        subprocess.run([os.path.join(here, "scripts/sandbox"), "stop", tmp + "/gl"], env=env,
                       capture_output=True)
        subprocess.run(["rm", "-rf", tmp])
    finish(T)


main()
