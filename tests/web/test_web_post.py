#!/usr/bin/python3
"""tests/web/test_web_post.py BUILD — Saisie (/post) of `grandlivre web` in
Chromium, against a sandbox with the agiie member key (run with
/usr/bin/python3, as make web-check does).

web_post_browser::keyboard_only: the form filled and sent with the keyboard
alone (Tab between fields, typed text, Ctrl+Enter), the entry then seen in
Journal, Grand livre and Balance.
web_post_browser::live_totals: with JavaScript, the debit and credit totals
and the difference follow what is typed ("1 234,5" counts 1 234,50; sums past
2^53 cents stay exact: integer cents, never floating point), a line is added
with Alt+L and the account's label shows beside the account.
web_post_browser::refused_unbalanced: an unbalanced entry comes back with
the message at the totals; the journal is unchanged (with and without
JavaScript: ::refused_unbalanced_nojs).
web_post_browser::works_without_javascript: an entry posted with
JavaScript disabled (the server-side form only).
web_post_browser::draft_survives_expiry: the session's cookie deleted, the
form sent lands on the sign-in page; signed in again with a new token, /post
gives the typed entry back; posted, the draft is gone.
web_post_browser::template: a template fills the journal and the accounts.
web_post_browser::accessible: axe-core finds no serious or critical
violation on the form, the refused form and a template.
Screenshots: saisie.png, saisie-refused.png, saisie-nojs.png,
saisie-template.png under BUILD/test-output/web/.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webtest import (Y, By, accessible, axe_source, browser, build, check, loads,  # noqa: E402
                     finish, new_login, sandbox, shots, start_web, stop)
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

T = "web_post_browser"


def journal(env):
    """The tenant's journal of the year as CSV: equal before and after a refusal."""
    return subprocess.run([os.path.join(build, "grandlivre"), "journal", "--tenant", "agiie",
                           "--from", Y, "--to", Y, "--format", "csv"], env=env,
                          capture_output=True, text=True).stdout


def keys(d, *text):
    ActionChains(d).send_keys(*text).perform()


def tab_to(d, element_id, limit=60):
    """Tab until the element is focused (keyboard only): True if reached."""
    for _ in range(limit):
        if d.execute_script("return document.activeElement && document.activeElement.id") == element_id:
            return True
        keys(d, Keys.TAB)
    return False


def chord(d, modifier, key):
    """modifier held while key is pressed (Ctrl+Enter, Alt+L)."""
    ActionChains(d).key_down(modifier).send_keys(key).key_up(modifier).perform()


def fresh(d, base):
    """/post with no draft kept (each scenario starts from an empty form)."""
    d.get(base + "/post")
    try:
        d.execute_script("sessionStorage.clear()")
    except Exception:  # JavaScript disabled: no draft either
        return
    d.get(base + "/post")


def value(d, name):
    return d.find_element(By.NAME, name).get_attribute("value")


def fill(d, fields):
    for name, text in fields:
        e = d.find_element(By.NAME, name)
        e.clear()
        e.send_keys(text)


def keyboard_only(d, base, env):
    fresh(d, base)
    check(f"{T}::keyboard_only::focus", tab_to(d, "f-journal"))
    # the journal list: B chooses BQ; then each field in order
    keys(d, "B", Keys.TAB, f"15/05/{Y}", Keys.TAB, "K-1", Keys.TAB, Keys.TAB,
         "Frais de tenue de compte", Keys.TAB,
         "627000", Keys.TAB, Keys.TAB, Keys.TAB, "12,50", Keys.TAB, Keys.TAB,
         "512000", Keys.TAB, Keys.TAB, Keys.TAB, Keys.TAB, "12,50")
    d.save_screenshot(os.path.join(shots, "saisie.png"))
    loads(d, lambda: chord(d, Keys.CONTROL, Keys.ENTER))
    src = d.page_source
    check(f"{T}::keyboard_only::posted", f"Écriture {Y}/5 passée" in src and "done=" in d.current_url,
          d.current_url)
    d.get(base + f"/journal?from={Y}&to={Y}")
    check(f"{T}::keyboard_only::journal", "Frais de tenue de compte" in d.page_source
          and "12,50" in d.page_source)
    d.get(base + f"/ledger?account=627000&from={Y}&to={Y}")
    check(f"{T}::keyboard_only::ledger", "Frais de tenue de compte" in d.page_source and "12,50" in d.page_source)
    d.get(base + f"/balance?at={Y}-12-31")
    check(f"{T}::keyboard_only::balance", "627000" in d.page_source and "12,50" in d.page_source)


def live_totals(d, base):
    fresh(d, base)
    check(f"{T}::live_totals::shortcuts_announced", d.find_element(By.ID, "shortcuts").is_displayed())
    fill(d, [("account0", "606400"), ("debit0", "1 234,5"), ("credit1", "1000")])
    check(f"{T}::live_totals::debit", d.find_element(By.ID, "total-debit").text == "1 234,50",
          d.find_element(By.ID, "total-debit").text)
    check(f"{T}::live_totals::difference", d.find_element(By.ID, "total-diff").text == "234,50",
          d.find_element(By.ID, "total-diff").text)
    fill(d, [("credit2", "234,50")])
    check(f"{T}::live_totals::balanced", d.find_element(By.ID, "total-diff").text == "0,00")
    # past 2^53 cents a float would round: integer cents do not
    fill(d, [("debit3", "90 071 992 547 409,93")])
    total = d.find_element(By.ID, "total-debit").text
    check(f"{T}::live_totals::integer_cents", total == "90 071 992 548 644,43", total)
    fill(d, [("debit3", "")])
    label = d.find_element(By.CSS_SELECTOR, "tr.line .account-label").text
    check(f"{T}::live_totals::account_label", label == "Fournitures administratives", label)
    d.find_element(By.NAME, "credit2").click()
    chord(d, Keys.ALT, "l")
    check(f"{T}::live_totals::alt_l_adds_a_line", len(d.find_elements(By.CSS_SELECTOR, "tr.line")) == 5
          and d.switch_to.active_element.get_attribute("name") == "account4")
    check(f"{T}::live_totals::line_count", value(d, "lines") == "5")


def refused_unbalanced(d, base, env, js):
    name = "refused_unbalanced" + ("" if js else "_nojs")
    fresh(d, base)
    before = journal(env)
    fill(d, [("date", f"20/05/{Y}"), ("piece", "U-1"), ("label", "Déséquilibrée"),
             ("account0", "606400"), ("debit0", "100"), ("account1", "401000"), ("credit1", "99,99")])
    loads(d, d.find_element(By.CSS_SELECTOR, "button.primary").click)
    src = d.page_source
    err = d.find_elements(By.ID, "err-total")
    check(f"{T}::{name}::message_at_totals", err and "0,01" in err[0].text, src[-3000:])
    check(f"{T}::{name}::values_kept", value(d, "piece") == "U-1" and value(d, "credit1") == "99,99")
    check(f"{T}::{name}::unchanged", journal(env) == before)
    d.save_screenshot(os.path.join(shots, "saisie-refused.png" if js else "saisie-nojs.png"))


def works_without_javascript(d, base, env):
    d.get(base + "/post")
    check(f"{T}::works_without_javascript::no_shortcuts",
          not d.find_element(By.ID, "shortcuts").is_displayed())
    d.find_element(By.ID, "add-lines").click()
    check(f"{T}::works_without_javascript::add_lines",
          len(d.find_elements(By.CSS_SELECTOR, "tr.line")) == 8)
    fill(d, [("date", f"2025-06-01" if Y == "2025" else f"{Y}-06-01"), ("piece", "N-1"),
             ("label", "Sans script"), ("account0", "627000"), ("debit0", "3"),
             ("account7", "512000"), ("credit7", "3")])
    loads(d, d.find_element(By.CSS_SELECTOR, "button.primary").click)
    check(f"{T}::works_without_javascript::posted", "passée" in d.page_source, d.page_source[-2000:])
    check(f"{T}::works_without_javascript::in_journal", "Sans script" in journal(env))


def draft_survives_expiry(d, base, web):
    fresh(d, base)
    fill(d, [("date", f"21/05/{Y}"), ("piece", "D-1"), ("label", "Brouillon"),
             ("account0", "627000"), ("debit0", "7"), ("account1", "512000"), ("credit1", "7")])
    Select(d.find_element(By.NAME, "journal")).select_by_value("BQ")
    d.delete_all_cookies()  # the session is gone, as after 8 idle hours
    loads(d, lambda: chord(d, Keys.CONTROL, Keys.ENTER))
    check(f"{T}::draft_survives_expiry::sign_in_page", "Brouillon" not in d.page_source
          and d.find_elements(By.ID, "post-form") == [])
    d.get(new_login(web))
    d.get(base + "/post")
    check(f"{T}::draft_survives_expiry::restored",
          value(d, "piece") == "D-1" and value(d, "label") == "Brouillon"
          and value(d, "journal") == "BQ"
          and value(d, "credit1") == "7" and d.find_element(By.ID, "draft-note").is_displayed(),
          value(d, "piece"))
    loads(d, d.find_element(By.CSS_SELECTOR, "button.primary").click)
    check(f"{T}::draft_survives_expiry::posted", "passée" in d.page_source)
    d.get(base + "/post")
    check(f"{T}::draft_survives_expiry::cleared", value(d, "piece") == "")
    return new_login(web)


def template(d, base, axe):
    d.get(base + "/post?template=supplier-invoice")
    check(f"{T}::template", value(d, "account0") == "606400" and value(d, "account2") == "401000"
          and "Fournitures administratives" in d.page_source)
    d.save_screenshot(os.path.join(shots, "saisie-template.png"))
    d.execute_script(axe)
    accessible(d, "saisie-template")


def main():
    axe = axe_source()
    tmp = tempfile.mkdtemp(prefix="glweb.")
    env = sandbox(tmp)
    web, url, base = start_web(env, tmp)
    try:
        d = browser(True)
        try:
            d.get(url)
            d.get(base + "/post")
            d.execute_script(axe)
            accessible(d, "saisie")
            keyboard_only(d, base, env)
            live_totals(d, base)
            refused_unbalanced(d, base, env, True)
            d.execute_script(axe)
            accessible(d, "saisie-refused")
            template(d, base, axe)
            url = draft_survives_expiry(d, base, web)
        finally:
            d.quit()
        d = browser(False)
        try:
            d.get(url)
            works_without_javascript(d, base, env)
            refused_unbalanced(d, base, env, False)
        finally:
            d.quit()
    finally:
        stop(web, env, tmp)
    finish("tests/web/test_web_post.py")


main()
