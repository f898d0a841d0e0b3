/*
 * client/bank/parse_camt.c — CAMT.053 (ISO 20022 BankToCustomerStatement),
 * versions 001.02 to 001.08, read with libxml2: no DTD (a document that
 * declares one is refused, so no entity is ever expanded), no network, no
 * external entity, at most GL_BANK_INPUT_MAX bytes.  Elements are matched
 * by local name under the document's camt.053 namespace.
 *
 * One gl_bank_statement per Stmt: account Acct/Id/IBAN (else Othr/Id),
 * currency Acct/Ccy (else the balances'), statement_id Stmt/Id, dates
 * FrToDt (else the entries'), opening the OPBD balance (else PRCD, which
 * some banks send instead), closing CLBD; CLAV, ITBD and the others are
 * information only.
 *
 * One line per booked Ntry (Sts BOOK, written as text in .02-.06 or as
 * Sts/Cd in .07-.08), with the Ntry's amount signed by its CdtDbtInd, even
 * when NtryDtls holds several TxDtls (a batch: a remittance of cheques, a
 * payroll): the bank booked one amount, the ledger matches one line; the
 * details of a batch are not split.  PDNG and INFO entries are kept
 * aside: not lines, not in the balance check, counted in notes.
 * bank_ref: Ntry/AcctSvcrRef, else NtryRef, else the single TxDtls's
 * Refs/AcctSvcrRef.  From a single TxDtls only: EndToEndId (the
 * placeholder NOTPROVIDED dropped), else ChqNb; the counterparty, Dbtr
 * on a credit and Cdtr on a debit (Nm or Pty/Nm), and its account's
 * IBAN.  Label: AddtlNtryInf, else the TxDtls's RmtInf/Ustrd lines, else
 * AddtlTxInf.  Dates are the calendar date as written (Dt, or DtTm's
 * date part).
 */
#include "bank_internal.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>

#define CAMT_NS "urn:iso:std:iso:20022:tech:xsd:camt.053.001."

typedef struct {
    gl_bank_error *err;
    gl_bank_notes *notes;
    const xmlChar *ns; /* the document's namespace */
} camt;

static int fail(camt *c, const xmlNode *at, const char *reason)
{
    long line = at ? xmlGetLineNo(at) : 0;
    return bank_fail(c->err, GL_BANK_FORMAT_CAMT053, line > 0 ? (uint32_t)line : 0, reason);
}

static bool is(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

/* The first child element named name, NULL if none. */
static xmlNode *child(const xmlNode *n, const char *name)
{
    for (xmlNode *k = n ? n->children : NULL; k; k = k->next)
        if (is(k, name))
            return k;
    return NULL;
}

/* Follow a path of child names ("Acct/Id/IBAN"), NULL if a step is missing. */
static xmlNode *path(const xmlNode *n, const char *p)
{
    char step[32];
    while (n && *p) {
        size_t k = strcspn(p, "/");
        if (k >= sizeof step)
            return NULL;
        memcpy(step, p, k);
        step[k] = '\0';
        n = child(n, step);
        p += k + (p[k] == '/');
    }
    return (xmlNode *)n;
}

/* The text of element n (its direct text children) into dst, as bank_text. */
static void text_of(const xmlNode *n, char *dst, size_t cap, bool append)
{
    if (!append)
        dst[0] = '\0';
    for (xmlNode *k = n ? n->children : NULL; k; k = k->next)
        if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE)
            bank_text_append(dst, cap, (const char *)k->content, strlen((const char *)k->content));
}

/* The element's text trimmed, in a small buffer. */
static const char *value(const xmlNode *n, char *buf, size_t cap)
{
    text_of(n, buf, cap - 1, false);
    return buf;
}

/* A date element holding Dt or DtTm. 0 if absent or malformed. */
static uint32_t date_of(const xmlNode *n)
{
    char buf[40];
    xmlNode *d = child(n, "Dt");
    if (!d)
        d = child(n, "DtTm");
    if (!d)
        return 0;
    value(d, buf, sizeof buf);
    return bank_iso_date(buf, strlen(buf));
}

/* Amt (with its Ccy) and CdtDbtInd of n, signed cents. */
static int signed_amount(camt *c, const xmlNode *n, char ccy[4], int64_t *cents)
{
    char buf[64];
    const char *reason;
    xmlNode *amt = child(n, "Amt"), *ind = child(n, "CdtDbtInd");
    if (!amt || !ind)
        return fail(c, n, N_("an amount (Amt) and its CdtDbtInd are required"));
    value(amt, buf, sizeof buf);
    if (bank_amount(buf, strlen(buf), '.', cents, &reason))
        return fail(c, amt, reason);
    xmlChar *cur = xmlGetProp(amt, (const xmlChar *)"Ccy");
    size_t cl = cur ? strlen((const char *)cur) : 0;
    if (cl == 3)
        memcpy(ccy, cur, 4);
    xmlFree(cur);
    if (cl != 3)
        return fail(c, amt, N_("an amount without its currency (Ccy)"));
    value(ind, buf, sizeof buf);
    if (!strcmp(buf, "DBIT"))
        *cents = -*cents;
    else if (strcmp(buf, "CRDT"))
        return fail(c, ind, N_("CdtDbtInd must be CRDT or DBIT"));
    return 0;
}

/* The statement's currency is ccy (the first seen sets it). */
static int currency(camt *c, gl_bank_statement *st, const xmlNode *at, const char ccy[4])
{
    if (!st->currency[0])
        memcpy(st->currency, ccy, 4);
    else if (memcmp(st->currency, ccy, 4))
        return fail(c, at, N_("an amount in another currency than the statement's"));
    return 0;
}

static int balance(camt *c, gl_bank_statement *st, const xmlNode *bal, bool *opbd)
{
    char code[16], ccy[4];
    xmlNode *cd = path(bal, "Tp/CdOrPrtry/Cd");
    value(cd, code, sizeof code);
    bool open = !strcmp(code, "OPBD"), prcd = !strcmp(code, "PRCD"), close = !strcmp(code, "CLBD");
    if (!open && !prcd && !close)
        return 0; /* CLAV, ITBD ...: information only */
    int64_t cents;
    if (signed_amount(c, bal, ccy, &cents) || currency(c, st, bal, ccy))
        return -1;
    if (close) {
        if (st->has_closing)
            return fail(c, bal, N_("two closing balances (CLBD) in one statement"));
        st->has_closing = 1;
        st->closing_cents = cents;
    } else if (open || !*opbd) { /* OPBD wins over PRCD */
        if (open && *opbd)
            return fail(c, bal, N_("two opening balances (OPBD) in one statement"));
        st->has_opening = 1;
        st->opening_cents = cents;
        *opbd = open;
    }
    return 0;
}

/* The entry's status: "BOOK", "PDNG", "INFO" ... (.02-.06 text, .07+ Cd or Prtry). */
static void status(const xmlNode *ntry, char *buf, size_t cap)
{
    xmlNode *sts = child(ntry, "Sts"), *cd = child(sts, "Cd");
    if (!cd)
        cd = child(sts, "Prtry");
    value(cd ? cd : sts, buf, cap);
}

/* The name of party p (Nm, or Pty/Nm in .07+). */
static void party_name(const xmlNode *p, char *dst, size_t cap)
{
    xmlNode *nm = child(p, "Nm");
    if (!nm)
        nm = path(p, "Pty/Nm");
    text_of(nm, dst, cap, false);
}

/* What a single TxDtls adds to the line. */
static void details(const xmlNode *tx, gl_bank_line *l)
{
    char e2e[GL_BANK_REF_MAX + 1];
    text_of(path(tx, "Refs/EndToEndId"), e2e, GL_BANK_REF_MAX, false);
    if (e2e[0] && strcmp(e2e, "NOTPROVIDED"))
        memcpy(l->end_to_end_id, e2e, sizeof e2e);
    else
        text_of(path(tx, "Refs/ChqNb"), l->end_to_end_id, GL_BANK_REF_MAX, false);
    if (!l->bank_ref[0])
        text_of(path(tx, "Refs/AcctSvcrRef"), l->bank_ref, GL_BANK_REF_MAX, false);
    bool credit = l->amount_cents > 0;
    xmlNode *rp = child(tx, "RltdPties");
    party_name(child(rp, credit ? "Dbtr" : "Cdtr"), l->counterparty, GL_BANK_PARTY_MAX);
    text_of(path(rp, credit ? "DbtrAcct/Id/IBAN" : "CdtrAcct/Id/IBAN"), l->counterparty_iban,
            GL_BANK_ACCOUNT_ID_MAX, false);
    if (!l->label[0]) {
        for (xmlNode *u = child(tx, "RmtInf") ? child(tx, "RmtInf")->children : NULL; u;
             u = u->next)
            if (is(u, "Ustrd"))
                text_of(u, l->label, GL_BANK_LABEL_MAX, true);
        if (!l->label[0])
            text_of(child(tx, "AddtlTxInf"), l->label, GL_BANK_LABEL_MAX, false);
    }
}

static int entry(camt *c, gl_bank_statement *st, const xmlNode *ntry)
{
    char sts[16], ccy[4];
    int64_t cents;
    if (signed_amount(c, ntry, ccy, &cents) || currency(c, st, ntry, ccy))
        return -1;
    status(ntry, sts, sizeof sts);
    if (strcmp(sts, "BOOK")) {
        if (strcmp(sts, "PDNG") && strcmp(sts, "INFO"))
            return fail(c, ntry, N_("entry status (Sts) must be BOOK, PDNG or INFO"));
        c->notes->pending_entries++;
        if (bank_add_cents(&c->notes->pending_cents, cents))
            return fail(c, ntry, N_("the statement's total is too large"));
        return 0;
    }
    uint32_t booked = date_of(child(ntry, "BookgDt"));
    if (!booked)
        return fail(c, ntry, N_("a booked entry without a valid booking date (BookgDt)"));
    if (cents == 0) {
        c->notes->zero_lines++;
        return 0;
    }
    gl_bank_line *l = bank_new_line(st);
    if (!l)
        return fail(c, ntry, N_("out of memory"));
    l->booking_date = booked;
    l->value_date = date_of(child(ntry, "ValDt"));
    l->amount_cents = cents;
    l->source_line = (uint32_t)xmlGetLineNo(ntry);
    text_of(child(ntry, "AcctSvcrRef"), l->bank_ref, GL_BANK_REF_MAX, false);
    if (!l->bank_ref[0])
        text_of(child(ntry, "NtryRef"), l->bank_ref, GL_BANK_REF_MAX, false);
    text_of(child(ntry, "AddtlNtryInf"), l->label, GL_BANK_LABEL_MAX, false);
    const xmlNode *single = NULL;
    size_t n_tx = 0;
    for (xmlNode *d = ntry->children; d; d = d->next)
        for (xmlNode *t = is(d, "NtryDtls") ? d->children : NULL; t; t = t->next)
            if (is(t, "TxDtls"))
                single = n_tx++ ? NULL : t;
    if (single)
        details(single, l);
    if (!st->from_date || booked < st->from_date)
        st->from_date = booked;
    if (booked > st->to_date)
        st->to_date = booked;
    return 0;
}

static int statement(camt *c, gl_bank_statements *out, const xmlNode *stmt)
{
    gl_bank_statement *st = bank_new_statement(out);
    if (!st)
        return fail(c, stmt, N_("out of memory"));
    text_of(child(stmt, "Id"), st->statement_id, GL_BANK_REF_MAX, false);
    xmlNode *acct = child(stmt, "Acct"), *id = path(acct, "Id/IBAN");
    text_of(id ? id : path(acct, "Id/Othr/Id"), st->account_id, GL_BANK_ACCOUNT_ID_MAX, false);
    if (!st->account_id[0])
        return fail(c, acct ? acct : stmt, N_("a statement without its account (Acct/Id)"));
    char ccy[8];
    value(child(acct, "Ccy"), ccy, sizeof ccy);
    if (strlen(ccy) == 3)
        memcpy(st->currency, ccy, 4);
    bool opbd = false;
    for (xmlNode *k = stmt->children; k; k = k->next)
        if (is(k, "Bal") && balance(c, st, k, &opbd))
            return -1;
    for (xmlNode *k = stmt->children; k; k = k->next)
        if (is(k, "Ntry") && entry(c, st, k))
            return -1;
    int64_t sum = st->opening_cents;
    for (size_t i = 0; i < st->n_lines; i++)
        if (bank_add_cents(&sum, st->lines[i].amount_cents))
            return fail(c, stmt, N_("the statement's total is too large"));
    if (st->has_opening && st->has_closing && sum != st->closing_cents)
        return fail(c, stmt,
                    N_("the opening balance plus the lines does not equal the closing balance"));
    xmlNode *fr = path(stmt, "FrToDt/FrDtTm"), *to = path(stmt, "FrToDt/ToDtTm");
    char buf[40];
    uint32_t f = fr ? bank_iso_date(value(fr, buf, sizeof buf), strlen(buf)) : 0;
    uint32_t t = to ? bank_iso_date(value(to, buf, sizeof buf), strlen(buf)) : 0;
    if (f && t && f <= t)
        st->from_date = f, st->to_date = t;
    if (!st->currency[0])
        memcpy(st->currency, "EUR", 4);
    return 0;
}

/* The namespace is camt.053.001.02 to .08. */
static int check_namespace(camt *c, const xmlNode *root)
{
    const char *href = root->ns ? (const char *)root->ns->href : "";
    size_t k = strlen(CAMT_NS);
    if (!is(root, "Document") || strncmp(href, CAMT_NS, k))
        return fail(
            c, root,
            N_("not a CAMT.053 document (namespace urn:iso:std:iso:20022:tech:xsd:camt.053.001.NN expected)"));
    const char *v = href + k;
    if (strlen(v) != 2 || v[0] != '0' || v[1] < '2' || v[1] > '8')
        return fail(c, root, N_("unsupported CAMT.053 version (001.02 to 001.08 are read)"));
    c->ns = root->ns->href;
    return 0;
}

int bank_parse_camt(const uint8_t *b, size_t n, gl_bank_statements *out, gl_bank_error *err,
                    gl_bank_notes *notes)
{
    camt c = {.err = err, .notes = notes};
    if (n > GL_BANK_INPUT_MAX || n > (size_t)INT32_MAX)
        return fail(&c, NULL, N_("the file is too large (64 MiB at most)"));
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt)
        return fail(&c, NULL, N_("out of memory"));
    int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES |
               XML_PARSE_NOCDATA;
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, (const char *)b, (int)n, NULL, NULL, opts);
    int rc = 0;
    if (!doc || !ctxt->wellFormed) {
        const xmlError *e = xmlCtxtGetLastError(ctxt);
        rc = bank_fail(err, GL_BANK_FORMAT_CAMT053, e && e->line > 0 ? (uint32_t)e->line : 0,
                       N_("malformed XML (truncated, or not well-formed)"));
    } else if (doc->intSubset || doc->extSubset) {
        rc =
            fail(&c, xmlDocGetRootElement(doc), N_("a DOCTYPE is not allowed in a bank statement"));
    } else {
        xmlNode *root = xmlDocGetRootElement(doc), *stmts = NULL;
        if (!root)
            rc = fail(&c, NULL, N_("malformed XML (truncated, or not well-formed)"));
        if (!rc)
            rc = check_namespace(&c, root);
        if (!rc && !(stmts = child(root, "BkToCstmrStmt")))
            rc = fail(&c, root, N_("no BkToCstmrStmt in the document"));
        for (xmlNode *k = stmts ? stmts->children : NULL; !rc && k; k = k->next)
            if (is(k, "Stmt"))
                rc = statement(&c, out, k);
    }
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    return rc;
}
