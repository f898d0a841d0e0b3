/*
 * client/web/web_css.c — the one stylesheet, for the screen and for print,
 * embedded in the program (served as /static/style.css: no CDN, no inline
 * style, which the Content-Security-Policy forbids).
 */
#include "web.h"

const char web_css[] =
    ":root{--ink:#1d2430;--muted:#5b6472;--line:#d9dee5;--band:#f3f5f8;--accent:#1f5fa8;"
    "--bad:#a61b1b}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;font:15px/1.45 system-ui,'DejaVu Sans',sans-serif;color:var(--ink);background:#fff}\n"
    "header{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem;padding:.5rem 1.5rem;"
    "background:var(--band);border-bottom:1px solid var(--line)}\n"
    "nav{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:center;flex:1}\n"
    "nav .brand{font-weight:700;margin-right:1rem}\n"
    "nav a{color:var(--accent);text-decoration:none;padding:.2rem .1rem}\n"
    "nav a[aria-current=page]{font-weight:700;border-bottom:2px solid var(--accent)}\n"
    "main{padding:1rem 1.5rem;max-width:80rem}\n"
    "h1{font-size:1.4rem;margin:.2rem 0 1rem}\n"
    "h1 .tenant-name{color:var(--muted);font-weight:400}\n"
    "h2{font-size:1.1rem;margin:1.5rem 0 .5rem}\n"
    "a{color:var(--accent)}\n"
    "table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}\n"
    "th,td{padding:.25rem .5rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}\n"
    "th{background:var(--band);font-weight:600}\n"
    "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    "tr.total td{font-weight:700;border-top:2px solid var(--ink)}\n"
    "form.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end;margin:0 0 1rem}\n"
    "form.filters label{display:flex;flex-direction:column;font-size:.85rem;color:var(--muted)}\n"
    "input,button,select{font:inherit;padding:.2rem .4rem}\n"
    "button{cursor:pointer}\n"
    ".banner{padding:.6rem 1rem;border-radius:4px;background:var(--band);border:1px solid var(--line)}\n"
    ".banner.problem{background:#fdecec;border-color:var(--bad);color:var(--bad)}\n"
    ".cards{display:flex;flex-wrap:wrap;gap:1rem}\n"
    ".card{border:1px solid var(--line);border-radius:6px;padding:.75rem 1rem;min-width:14rem}\n"
    ".card .amount{font-size:1.3rem;font-variant-numeric:tabular-nums}\n"
    "dl.entry{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}\n"
    "dl.entry dt{color:var(--muted)}\n"
    ".notice{max-width:40rem;margin:3rem auto}\n"
    "@media print{header,form.filters,.pager{display:none}main{padding:0;max-width:none}"
    "body{font-size:10pt}a{color:inherit;text-decoration:none}"
    "th{background:none}tr{break-inside:avoid}}\n"
    ".overdue{color:var(--bad)}\n";
