#!/usr/bin/python3
"""tests/web/test_web_bank.py BUILD — Rapprochement bancaire in Chromium
(issue 18).

On the sandbox (webtest.sandbox: agiie's subsidy of 5 000,00 € on 15
January and a supplier paid 1 234,56 € on 2 April), the accountant
registers agiie's 512000 and imports a CAMT.053 statement of January to
April holding the subsidy, the supplier's transfer and bank fees of
12,30 € the books do not hold; then, with agiie's own key:

web_bank_browser::lists: both sides listed at 30 April, the statement
lines on the left, the ledger lines of 512000 on the right, amounts in
French, right-aligned (web_bank_lists.png; axe).
web_bank_browser::totals: checking the supplier's transfer shows
-1 234,56 on the statement's side and keeps « Pointer » disabled until the
ledger line of the same amount is checked too (web_bank_selected.png).
web_bank_browser::match: « Pointer » records the match: both lines leave
the lists, the match is listed with « Dépointer » (web_bank_matched.png).
web_bank_browser::rule: « Créer une règle » on the fees opens the form
prefilled from the line (web_bank_rule.png); with the counterpart 627000
the rule's entry is proposed, and « Passer l'écriture et pointer » posts
it and matches it (web_bank_rule_entry.png).
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webtest import (Y, By, accessible, axe_source, browser, build, check, click_until,  # noqa: E402
                     finish, sandbox, shots, start_web, stop)

T = "web_bank_browser"
AT = f"{Y}-04-30"
IBAN = "FR7630004001230001234567843"

ALIGN = """return Array.from(document.querySelectorAll('td.num'))
  .filter(td => td.textContent.trim() !== '')
  .map(td => getComputedStyle(td).textAlign)
  .filter(a => a !== 'right' && a !== 'end').length;"""


def entry(ref, amount, sign, date, label):
    return f"""<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>{sign}</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>{date}</Dt></BookgDt><ValDt><Dt>{date}</Dt></ValDt><AcctSvcrRef>{ref}</AcctSvcrRef>
<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
<AddtlNtryInf>{label}</AddtlNtryInf></Ntry>"""


def camt():
    lines = (entry("R-001", "5000.00", "CRDT", f"{Y}-01-16", "VIR SUBVENTION MAIRIE")
             + entry("R-002", "1234.56", "DBIT", f"{Y}-04-03", "VIR FOURNISSEUR FOURN01")
             + entry("R-003", "12.30", "DBIT", f"{Y}-04-05", "FRAIS TENUE DE COMPTE"))
    bal = """<Bal><Tp><CdOrPrtry><Cd>{0}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">{1}</Amt>
<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>{2}</Dt></Dt></Bal>"""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>WEB-BANK-1</MsgId><CreDtTm>{Y}-05-01T06:00:00</CreDtTm></GrpHdr>
<Stmt><Id>WEB-BANK-STMT-1</Id><CreDtTm>{Y}-05-01T06:00:00</CreDtTm>
<FrToDt><FrDtTm>{Y}-01-01T00:00:00</FrDtTm><ToDtTm>{Y}-04-30T23:59:59</ToDtTm></FrToDt>
<Acct><Id><IBAN>{IBAN}</IBAN></Id><Ccy>EUR</Ccy></Acct>
{bal.format("OPBD", "0.00", f"{Y}-01-01")}{bal.format("CLBD", "3753.14", f"{Y}-04-30")}
{lines}</Stmt></BkToCstmrStmt></Document>
"""


def gl(env, *args):
    return subprocess.run([os.path.join(build, "grandlivre"), *args], env=env,
                          capture_output=True, text=True)


def statement(env, tmp):
    acc = dict(env, GRANDLIVRE_KEY=tmp + "/gl/keys/accountant.key")
    r = gl(acc, "bank", "account", "set", "--tenant", "agiie", "--account", "512000",
           "--iban", IBAN)
    check(f"{T}::register", r.returncode == 0, r.stderr)
    path = os.path.join(tmp, "releve.xml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(camt())
    r = gl(acc, "bank", "import", "--tenant", "agiie", "--account", "512000", path)
    check(f"{T}::import", r.returncode == 0, r.stderr + r.stdout)


def row_box(d, side, text):
    """The checkbox of the row of that side holding text."""
    box = d.find_element(By.XPATH, f"//div[@data-side='{side}']//tr[td[contains(., '{text}')]]"
                                   "//input[@type='checkbox']")
    # as a person would: scrolled to the middle of the window, clear of the
    # totals bar that sticks to the bottom of the page
    d.execute_script("arguments[0].scrollIntoView({block: 'center'});", box)
    return box


def pages(d, base, axe):
    d.set_window_size(1400, 1000)
    d.get(f"{base}/bank?account=512000&at={AT}")
    src = d.page_source
    for n in ("VIR FOURNISSEUR FOURN01", "FRAIS TENUE DE COMPTE", "-1 234,56", "-12,30",
              "V-7", 'href="/bank'):
        check(f"{T}::lists", n in src, f"missing {n!r}")
    left = d.find_element(By.CSS_SELECTOR, "div[data-side=bank]").rect
    right = d.find_element(By.CSS_SELECTOR, "div[data-side=book]").rect
    check(f"{T}::lists::side_by_side", left["x"] < right["x"] and abs(left["y"] - right["y"]) < 5,
          f"{left} {right}")
    check(f"{T}::lists::amounts_right", d.execute_script(ALIGN) == 0)
    d.save_screenshot(os.path.join(shots, "web_bank_lists.png"))
    d.execute_script(axe)
    accessible(d, "bank")
    button = d.find_element(By.ID, "bank-match-button")
    check(f"{T}::totals::disabled_at_first", not button.is_enabled())
    row_box(d, "bank", "VIR FOURNISSEUR").click()
    bank_sum = d.find_element(By.ID, "bank-sum-bank").text
    check(f"{T}::totals::bank", bank_sum.startswith("-1 234,56"), bank_sum)
    check(f"{T}::totals::unbalanced_disabled", not button.is_enabled())
    row_box(d, "book", "V-7").click()
    book_sum = d.find_element(By.ID, "bank-sum-book").text
    check(f"{T}::totals::book", book_sum.startswith("-1 234,56"), book_sum)
    check(f"{T}::totals::balanced_enabled", button.is_enabled())
    d.save_screenshot(os.path.join(shots, "web_bank_selected.png"))
    click_until(d, button, "Pointage ")
    src = d.page_source
    check(f"{T}::match::banner", 'class="banner"' in src, src[:2000])
    left_text = d.find_element(By.CSS_SELECTOR, "div[data-side=bank]").text
    check(f"{T}::match::left_the_list", "VIR FOURNISSEUR" not in left_text, left_text)
    matches = d.find_element(By.CSS_SELECTOR, "table.matches").text
    check(f"{T}::match::listed", "VIR FOURNISSEUR" in matches, matches)
    check(f"{T}::match::unmatch_button",
          len(d.find_elements(By.CSS_SELECTOR, "form[action='/bank/unmatch'] button")) == 1)
    d.save_screenshot(os.path.join(shots, "web_bank_matched.png"))
    rule(d, axe)


def rule(d, axe):
    click_until(d, d.find_element(By.XPATH, "//div[@data-side='bank']//tr[td[contains(., "
                                            "'FRAIS TENUE')]]//a[contains(@href, '/bank/rule')]"),
                'name="pattern"')
    pattern = d.find_element(By.NAME, "pattern").get_attribute("value")
    check(f"{T}::rule::prefilled", pattern == "FRAIS TENUE DE COMPTE", pattern)
    check(f"{T}::rule::journal", d.find_element(By.NAME, "journal").get_attribute("value") == "BQ")
    d.find_element(By.NAME, "counterpart").send_keys("627000")
    d.save_screenshot(os.path.join(shots, "web_bank_rule.png"))
    d.execute_script(axe)
    accessible(d, "bank-rule")
    click_until(d, d.find_element(By.CSS_SELECTOR, "form[action='/bank/rule'] button"),
                "rule-entries")
    entries = d.find_elements(By.CSS_SELECTOR, "table.rule-entries")
    check(f"{T}::rule::entry_proposed", len(entries) == 1 and "627000" in entries[0].text,
          d.page_source[:3000])
    if not entries:
        return
    d.save_screenshot(os.path.join(shots, "web_bank_rule_entry.png"))
    click_until(d, entries[0].find_element(By.CSS_SELECTOR, "button"), "passée et pointée")
    left_text = d.find_element(By.CSS_SELECTOR, "div[data-side=bank]").text
    check(f"{T}::rule::matched", "FRAIS TENUE" not in left_text, left_text)
    matches = d.find_element(By.CSS_SELECTOR, "table.matches").text
    check(f"{T}::rule::listed", "FRAIS TENUE" in matches, matches)


def main():
    axe = axe_source()
    tmp = tempfile.mkdtemp(prefix="glwebbank.")
    env = sandbox(tmp)
    statement(env, tmp)
    web, url, base = start_web(env, tmp)
    try:
        d = browser(True)
        try:
            d.get(url)
            pages(d, base, axe)
        finally:
            d.quit()
    finally:
        stop(web, env, tmp)
    finish("tests/web/test_web_bank.py")


main()
