#!/usr/bin/python3
"""tests/web/test_web_receivables.py BUILD — Créances and Relances in
Chromium, and the printed look of the CLI's pages they share (issue 17).

On the sandbox (webtest.sandbox) with three customer invoices of agiie
posted here (CLI-MAIRIE 12 345,67 € in January, CLI-ECOLE 320,50 € in June,
CLI-CLUB 75 € on 15 December: not yet due at the date), all seen at 31
December of this year:

web_receivables_browser::creances: the aged balance, each third party in
its bucket, French headings, amounts right-aligned in French (12 345,67),
nothing wider than the window (creances.png; creances-detail.png with the
items in detail; axe on both).
web_receivables_browser::relances: the two overdue third parties, level 1
(relance amiable), not CLI-CLUB; its "Lettre" link opens the letter
(relances.png, relance-lettre.png).
web_receivables_browser::printed::*: the CLI's `receivables --detail
--format html` (A4 landscape) and `reminders --out` letter (A4 portrait)
as printed: print media, the page's width inside the printable width of
the sheet (297 - 2 x 15 mm, 210 - 2 x 20 mm at 96 dpi), no element wider
than the page (balance-agee-imprime.png, relance-imprime.png; the web's letter too,
web-relance-imprime.png, its stylesheet applied); the letter printed to PDF
holds one A4 page (relance.pdf).
Nothing is written: the journal is the same before and after.
"""
import base64
import glob
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webtest import (Y, By, accessible, axe_source, browser, build, check, click_until,  # noqa: E402
                     finish, sandbox, shots, start_web, stop)

T = "web_receivables_browser"
AT = f"{Y}-12-31"
MM_PX = 96 / 25.4

# the widest element, and the page's own width, as the browser lays them out
OVERFLOW = """const w = document.documentElement.clientWidth;
let worst = 0, what = '';
for (const e of document.querySelectorAll('body *')) {
  const r = e.getBoundingClientRect();
  if (r.right > w + 1 && r.right > worst) { worst = r.right; what = e.tagName + ' ' + e.textContent.slice(0, 40); }
}
return [document.documentElement.scrollWidth, w, worst, what];"""

ALIGN = """return Array.from(document.querySelectorAll('td.num, td.n'))
  .filter(td => td.textContent.trim() !== '')
  .map(td => getComputedStyle(td).textAlign)
  .filter(a => a !== 'right' && a !== 'end').length;"""



def gl(env, *args):
    return subprocess.run([os.path.join(build, "grandlivre"), *args], env=env,
                          capture_output=True, text=True)


def post(env, date, piece, label, aux, amount):
    r = gl(env, "post", "--tenant", "agiie", "--date", date, "--journal", "VT", "--piece", piece,
           "--label", label, "--debit", f"411000:{aux}={amount}", "--credit", f"706000={amount}")
    check(f"{T}::post", r.returncode == 0, r.stderr)


def journal(env):
    return gl(env, "journal", "--tenant", "agiie", "--from", Y, "--to", Y, "--format", "csv").stdout


def fits(d, name, width_px):
    """The page laid out at the printable width: nothing cut."""
    d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                      {"width": int(width_px), "height": 1200, "deviceScaleFactor": 1,
                       "mobile": False})
    scroll, width, worst, what = d.execute_script(OVERFLOW)
    check(f"{T}::printed::{name}::no_cut_text", scroll <= width and not worst,
          f"page {scroll}px in {width}px, {what!r} ends at {worst}px")
    check(f"{T}::printed::{name}::amounts_right", d.execute_script(ALIGN) == 0)
    d.save_screenshot(os.path.join(shots, f"{name}-imprime.png"))
    d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def pages_of(pdf):
    return pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")


def web_pages(d, base, axe):
    d.set_window_size(1280, 900)
    d.get(f"{base}/receivables?at={AT}")
    src = d.page_source
    for n in ("Créances", "Non échu", "Plus de 90 j", "CLI-MAIRIE", "12 345,67", "320,50",
              "75,00", "Exporter"):
        check(f"{T}::creances", n in src, f"missing {n!r}")
    for n in ("Receivables", "Not yet due", "Accounts starting"):
        check(f"{T}::creances::french", n not in src, f"English {n!r}")
    mairie = d.find_element(By.XPATH, "//tr[td/a[text()='CLI-MAIRIE']]").text
    check(f"{T}::creances::bucket", mairie.split()[-2:] == ["345,67", "345,67"]
          or "12 345,67" in mairie, mairie)
    check(f"{T}::creances::amounts_right", d.execute_script(ALIGN) == 0)
    scroll, width, worst, what = d.execute_script(OVERFLOW)
    check(f"{T}::creances::fits", scroll <= width, f"{scroll} > {width}: {what}")
    d.save_screenshot(os.path.join(shots, "creances.png"))
    d.execute_script(axe)
    accessible(d, "creances")
    d.find_element(By.NAME, "detail").click()
    click_until(d, d.find_element(By.CSS_SELECTOR, "form.filters button"), "Détail des pièces")
    src = d.page_source
    for n in ("Détail des pièces", "Jours de retard", "Échéance", f"05/01/{Y}", f"04/02/{Y}"):
        check(f"{T}::creances::detail", n in src, f"missing {n!r}")
    d.set_window_size(1280, 1100)
    d.save_screenshot(os.path.join(shots, "creances-detail.png"))
    d.execute_script(axe)
    accessible(d, "creances-detail")
    d.set_window_size(1280, 900)
    d.get(f"{base}/reminders?at={AT}")
    src = d.page_source
    for n in ("Relances", "CLI-MAIRIE", "CLI-ECOLE", "1 — relance amiable", "Niveau proposé"):
        check(f"{T}::relances", n in src, f"missing {n!r}")
    check(f"{T}::relances::not_due_not_reminded", "CLI-CLUB" not in src)
    check(f"{T}::relances::amounts_right", d.execute_script(ALIGN) == 0)
    d.save_screenshot(os.path.join(shots, "relances.png"))
    d.execute_script(axe)
    accessible(d, "relances")
    click_until(d, d.find_element(By.XPATH, "//tr[td[starts-with(text(),'CLI-MAIRIE')]]//a"),
                "Relance amiable")
    src = d.page_source
    for n in ("Relance amiable", "CLI-MAIRIE", "12\u202f345,67", "Total restant dû"):
        check(f"{T}::relances::lettre", n in src, f"missing {n!r}")
    styled = d.execute_script(
        "return getComputedStyle(document.querySelector('td')).borderTopStyle")
    check(f"{T}::relances::lettre::styled", styled == "solid", f"border {styled!r}")
    check(f"{T}::relances::lettre::amounts_right", d.execute_script(ALIGN) == 0)
    d.save_screenshot(os.path.join(shots, "relance-lettre.png"))
    fits(d, "web-relance", (210 - 40) * MM_PX)


def printed(d, env, tmp):
    page = os.path.join(tmp, "balance-agee.html")
    r = gl(env, "receivables", "--tenant", "agiie", "--at", AT, "--detail", "--format", "html")
    check(f"{T}::printed::receivables_html", r.returncode == 0, r.stderr)
    with open(page, "w", encoding="utf-8") as f:
        f.write(r.stdout)
    d.get("file://" + page)
    fits(d, "balance-agee", (297 - 30) * MM_PX)  # A4 landscape, 15 mm margins
    out = os.path.join(tmp, "relances")
    os.makedirs(out)
    r = gl(env, "reminders", "--tenant", "agiie", "--at", AT, "--out", out)
    check(f"{T}::printed::reminders", r.returncode == 0, r.stderr)
    letters = sorted(glob.glob(os.path.join(out, "relance-1-CLI-MAIRIE-*.html")))
    check(f"{T}::printed::letter_written", len(letters) == 1, str(os.listdir(out)))
    if not letters:
        return
    d.get("file://" + letters[0])
    fits(d, "relance", (210 - 40) * MM_PX)  # A4 portrait, 20 mm margins
    pdf = base64.b64decode(d.execute_cdp_cmd("Page.printToPDF", {
        "paperWidth": 210 / 25.4, "paperHeight": 297 / 25.4, "preferCSSPageSize": True,
        "printBackground": True})["data"])
    with open(os.path.join(shots, "relance.pdf"), "wb") as f:
        f.write(pdf)
    check(f"{T}::printed::relance::one_page", pages_of(pdf) == 1, f"{pages_of(pdf)} pages")


def main():
    axe = axe_source()
    tmp = tempfile.mkdtemp(prefix="glwebrcv.")
    env = sandbox(tmp)
    post(env, f"{Y}-01-05", "FA-201", "Location de la salle des fêtes", "CLI-MAIRIE", "12345,67")
    post(env, f"{Y}-06-15", "FA-202", "Atelier théâtre", "CLI-ECOLE", "320,50")
    post(env, f"{Y}-12-15", "FA-203", "Tournoi", "CLI-CLUB", "75")
    before = journal(env)
    web, url, base = start_web(env, tmp)
    try:
        d = browser(True)
        try:
            d.get(url)
            web_pages(d, base, axe)
            printed(d, env, tmp)
        finally:
            d.quit()
        check(f"{T}::nothing_changed", journal(env) == before)
    finally:
        stop(web, env, tmp)
    finish("tests/web/test_web_receivables.py")


main()
