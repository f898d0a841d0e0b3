/*
 * client/bank/parse_ofx.c — OFX bank and card statements.  OFX 2.x is
 * XML, read with libxml2 (same options as CAMT: no DTD, no network); OFX
 * 1.x is SGML (leaves without end tags), read by the small tokenizer of
 * ofx_sgml.c after its KEY:VALUE header (CHARSET 1252 or ISO-8859-1 is
 * converted to UTF-8).  Both feed the one element walker below as
 * open / leaf / close events, so that the two versions are read by the
 * same code.
 *
 * One gl_bank_statement per STMTRS (bank) or CCSTMTRS (card), as many as
 * the file holds (several STMTTRNRS).  Account: for a French BANKID and
 * BRANCHID (5 digits each) and an 11-character ACCTID (or 13 ending with
 * its key), the RIB form "RIB:" + bank + branch + account + key, as
 * CFONB gives it; an ACCTID that is an IBAN as is; else the ACCTID.
 * Currency CURDEF; dates DTSTART / DTEND (else the lines'); closing
 * balance LEDGERBAL (AVAILBAL is information only); no opening balance:
 * OFX states none (has_opening 0).  A STMTTRN gives a line: DTPOSTED,
 * DTAVAIL as value date, TRNAMT (signed; '.' or ',' as radix), FITID as
 * bank_ref, CHECKNUM as end_to_end_id, NAME (or PAYEE/NAME) then MEMO as
 * label.  Dates are the calendar date written (the time and its zone are
 * ignored, never applied).  A TRNAMT of 0 is left out (notes).
 */
#include "bank_internal.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#define DEPTH_MAX 32
#define NAME_MAX_ 32

struct ofx_walker {
    gl_bank_statements *out;
    gl_bank_error *err;
    gl_bank_notes *notes;
    char stack[DEPTH_MAX][NAME_MAX_ + 1];
    int depth;
    gl_bank_statement *st; /* the open STMTRS / CCSTMTRS */
    uint32_t st_line;
    char bankid[16], branchid[24], acctid[40];
    uint32_t dtstart, dtend;
    bool in_trn;
    gl_bank_line trn;
    char name[GL_BANK_LABEL_MAX + 1], memo[GL_BANK_LABEL_MAX + 1];
    bool has_amount;
    uint32_t last_line;
};

int ofx_fail(ofx_walker *w, uint32_t line, const char *reason)
{
    return bank_fail(w->err, GL_BANK_FORMAT_OFX, line, reason);
}

static bool eq(const char *name, size_t n, const char *lit)
{
    return strlen(lit) == n && !memcmp(name, lit, n);
}

static const char *top(const ofx_walker *w) { return w->depth ? w->stack[w->depth - 1] : ""; }

/* A French RIB: 5 + 5 digits and an 11-character account (13 with its key). */
static bool rib_account(ofx_walker *w, char *out)
{
    size_t a = strlen(w->acctid);
    if (strlen(w->bankid) != 5 || strlen(w->branchid) != 5 || (a != 11 && a != 13))
        return false;
    if (bank_rib_id(out, w->bankid, w->branchid, w->acctid))
        return false;
    return a == 11 || !memcmp(out + 25, w->acctid + 11, 2);
}

static int open_statement(ofx_walker *w, uint32_t line)
{
    if (w->st)
        return ofx_fail(w, line, N_("a statement inside another statement"));
    w->st = bank_new_statement(w->out);
    if (!w->st)
        return ofx_fail(w, line, N_("out of memory"));
    w->st_line = line;
    w->bankid[0] = w->branchid[0] = w->acctid[0] = '\0';
    w->dtstart = w->dtend = 0;
    return 0;
}

static int close_statement(ofx_walker *w, uint32_t line)
{
    gl_bank_statement *st = w->st;
    if (!w->acctid[0])
        return ofx_fail(w, w->st_line, N_("a statement without its account (ACCTID)"));
    if (!rib_account(w, st->account_id)) /* an IBAN, a card number ...: as written */
        bank_text(st->account_id, GL_BANK_ACCOUNT_ID_MAX, w->acctid, strlen(w->acctid));
    if (!st->currency[0])
        return ofx_fail(w, w->st_line, N_("a statement without its currency (CURDEF)"));
    if (w->dtstart && w->dtend && w->dtstart <= w->dtend) {
        st->from_date = w->dtstart;
        st->to_date = w->dtend;
    }
    (void)line;
    w->st = NULL;
    return 0;
}

static int close_trn(ofx_walker *w, uint32_t line)
{
    gl_bank_line *t = &w->trn;
    w->in_trn = false;
    if (!t->booking_date)
        return ofx_fail(w, t->source_line, N_("a transaction without a valid DTPOSTED"));
    if (!w->has_amount)
        return ofx_fail(w, t->source_line, N_("a transaction without its amount (TRNAMT)"));
    (void)line;
    if (t->amount_cents == 0) {
        w->notes->zero_lines++;
        return 0;
    }
    bank_text(t->label, GL_BANK_LABEL_MAX, w->name, strlen(w->name));
    if (w->memo[0] && strcmp(w->memo, w->name))
        bank_text_append(t->label, GL_BANK_LABEL_MAX, w->memo, strlen(w->memo));
    gl_bank_line *l = bank_new_line(w->st);
    if (!l)
        return ofx_fail(w, t->source_line, N_("out of memory"));
    *l = *t;
    gl_bank_statement *st = w->st;
    if (!st->from_date || l->booking_date < st->from_date)
        st->from_date = l->booking_date;
    if (l->booking_date > st->to_date)
        st->to_date = l->booking_date;
    return 0;
}

/* The handler of an aggregate's end (name is the frame popped). */
static int close_frame(ofx_walker *w, const char *name, uint32_t line)
{
    if (!strcmp(name, "STMTTRN") && w->in_trn)
        return close_trn(w, line);
    if ((!strcmp(name, "STMTRS") || !strcmp(name, "CCSTMTRS")) && w->st)
        return close_statement(w, line);
    return 0;
}

static int on_open(ofx_walker *w, const char *name, size_t n, uint32_t line)
{
    if (w->depth == DEPTH_MAX || n > NAME_MAX_)
        return ofx_fail(w, line, N_("OFX elements nested too deeply"));
    memcpy(w->stack[w->depth], name, n);
    w->stack[w->depth++][n] = '\0';
    if (eq(name, n, "STMTRS") || eq(name, n, "CCSTMTRS"))
        return open_statement(w, line);
    if (eq(name, n, "STMTTRN")) {
        if (!w->st || w->in_trn)
            return ofx_fail(w, line, N_("a transaction (STMTTRN) outside a statement"));
        memset(&w->trn, 0, sizeof w->trn);
        w->trn.source_line = line;
        w->name[0] = w->memo[0] = '\0';
        w->has_amount = false;
        w->in_trn = true;
    }
    return 0;
}

static int on_close(ofx_walker *w, const char *name, size_t n, uint32_t line)
{
    int k = w->depth;
    while (k > 0 && !eq(name, n, w->stack[k - 1]))
        k--;
    if (k == 0)
        return ofx_fail(w, line, N_("a closing tag without its opening tag"));
    while (w->depth >= k) { /* SGML: frames left open inside are closed with it */
        char frame[NAME_MAX_ + 1];
        memcpy(frame, w->stack[--w->depth], sizeof frame);
        if (close_frame(w, frame, line))
            return -1;
    }
    return 0;
}

static int trn_leaf(ofx_walker *w, const char *name, size_t n, const char *v, size_t vn,
                    uint32_t line)
{
    gl_bank_line *t = &w->trn;
    const char *reason;
    if (eq(name, n, "DTPOSTED")) {
        if (!(t->booking_date = bank_compact_date(v, vn)))
            return ofx_fail(w, line, N_("malformed date (YYYYMMDD expected)"));
    } else if (eq(name, n, "DTAVAIL")) {
        if (!(t->value_date = bank_compact_date(v, vn)))
            return ofx_fail(w, line, N_("malformed date (YYYYMMDD expected)"));
    } else if (eq(name, n, "TRNAMT")) {
        if (bank_amount(v, vn, 0, &t->amount_cents, &reason))
            return ofx_fail(w, line, reason);
        w->has_amount = true;
    } else if (eq(name, n, "FITID")) {
        bank_text(t->bank_ref, GL_BANK_REF_MAX, v, vn);
    } else if (eq(name, n, "CHECKNUM")) {
        bank_text(t->end_to_end_id, GL_BANK_REF_MAX, v, vn);
    } else if (eq(name, n, "NAME")) {
        bank_text(w->name, GL_BANK_LABEL_MAX, v, vn);
    } else if (eq(name, n, "MEMO")) {
        bank_text(w->memo, GL_BANK_LABEL_MAX, v, vn);
    }
    return 0;
}

static int on_leaf(ofx_walker *w, const char *name, size_t n, const char *v, size_t vn,
                   uint32_t line)
{
    const char *at = top(w), *reason;
    if (w->in_trn && (!strcmp(at, "STMTTRN") || (!strcmp(at, "PAYEE") && eq(name, n, "NAME"))))
        return trn_leaf(w, name, n, v, vn, line);
    if (!w->st)
        return 0;
    if ((!strcmp(at, "STMTRS") || !strcmp(at, "CCSTMTRS")) && eq(name, n, "CURDEF")) {
        if (vn != 3)
            return ofx_fail(w, line, N_("malformed currency code"));
        memcpy(w->st->currency, v, 3);
        w->st->currency[3] = '\0';
    } else if (!strcmp(at, "BANKACCTFROM") || !strcmp(at, "CCACCTFROM")) {
        if (eq(name, n, "BANKID"))
            bank_text(w->bankid, sizeof w->bankid - 1, v, vn);
        else if (eq(name, n, "BRANCHID"))
            bank_text(w->branchid, sizeof w->branchid - 1, v, vn);
        else if (eq(name, n, "ACCTID"))
            bank_text(w->acctid, sizeof w->acctid - 1, v, vn);
    } else if (!strcmp(at, "BANKTRANLIST")) {
        uint32_t d = bank_compact_date(v, vn);
        if ((eq(name, n, "DTSTART") || eq(name, n, "DTEND")) && !d)
            return ofx_fail(w, line, N_("malformed date (YYYYMMDD expected)"));
        if (eq(name, n, "DTSTART") && (!w->dtstart || d < w->dtstart))
            w->dtstart = d; /* several BANKTRANLIST: the union of their periods */
        else if (eq(name, n, "DTEND") && d > w->dtend)
            w->dtend = d;
    } else if (!strcmp(at, "LEDGERBAL") && eq(name, n, "BALAMT")) {
        if (bank_amount(v, vn, 0, &w->st->closing_cents, &reason))
            return ofx_fail(w, line, reason);
        w->st->has_closing = 1;
    }
    return 0;
}

int ofx_event(ofx_walker *w, enum ofx_event ev, const char *name, size_t name_len,
              const char *value, size_t value_len, uint32_t line)
{
    w->last_line = line;
    if (ev == OFX_OPEN)
        return on_open(w, name, name_len, line);
    if (ev == OFX_CLOSE)
        return on_close(w, name, name_len, line);
    return on_leaf(w, name, name_len, value, value_len, line);
}

/* The end of the input: every aggregate closed. */
static int walk_end(ofx_walker *w)
{
    if (w->depth)
        return ofx_fail(w, w->last_line, N_("the file ends inside an element (truncated?)"));
    return 0;
}

/* ---- OFX 2.x: the XML tree as events ---- */

static int xml_walk(ofx_walker *w, const xmlNode *e, int depth)
{
    if (depth > DEPTH_MAX)
        return ofx_fail(w, (uint32_t)xmlGetLineNo(e), N_("OFX elements nested too deeply"));
    const char *name = (const char *)e->name;
    uint32_t line = (uint32_t)xmlGetLineNo(e);
    bool aggregate = false;
    for (const xmlNode *k = e->children; k; k = k->next)
        aggregate |= k->type == XML_ELEMENT_NODE;
    if (!aggregate) {
        char v[1024];
        v[0] = '\0';
        for (const xmlNode *k = e->children; k; k = k->next)
            if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE)
                bank_text_append(v, sizeof v - 1, (const char *)k->content,
                                 strlen((const char *)k->content));
        return ofx_event(w, OFX_LEAF, name, strlen(name), v, strlen(v), line);
    }
    if (ofx_event(w, OFX_OPEN, name, strlen(name), NULL, 0, line))
        return -1;
    for (const xmlNode *k = e->children; k; k = k->next)
        if (k->type == XML_ELEMENT_NODE && xml_walk(w, k, depth + 1))
            return -1;
    return ofx_event(w, OFX_CLOSE, name, strlen(name), NULL, 0, line);
}

static int parse_xml(ofx_walker *w, const uint8_t *b, size_t n)
{
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt)
        return ofx_fail(w, 0, N_("out of memory"));
    int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES |
               XML_PARSE_NOCDATA;
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, (const char *)b, (int)n, NULL, NULL, opts);
    int rc;
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!doc || !ctxt->wellFormed || !root) {
        const xmlError *e = xmlCtxtGetLastError(ctxt);
        rc = ofx_fail(w, e && e->line > 0 ? (uint32_t)e->line : 0,
                      N_("malformed XML (truncated, or not well-formed)"));
    } else if (doc->intSubset || doc->extSubset) {
        rc = ofx_fail(w, (uint32_t)xmlGetLineNo(root),
                      N_("a DOCTYPE is not allowed in a bank statement"));
    } else if (strcmp((const char *)root->name, "OFX")) {
        rc = ofx_fail(w, (uint32_t)xmlGetLineNo(root), N_("not an OFX document (no OFX element)"));
    } else {
        rc = xml_walk(w, root, 0);
        if (!rc)
            rc = walk_end(w);
    }
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    return rc;
}

/* ---- OFX 1.x: the KEY:VALUE header, then SGML ---- */

/* The header's value of key (before the first '<'), "" if absent. */
static void header_value(const char *h, size_t n, const char *key, char *out, size_t cap)
{
    size_t k = strlen(key);
    out[0] = '\0';
    for (size_t i = 0; k < n && i + k < n; i++) {
        if (memcmp(h + i, key, k) || (i && h[i - 1] > ' '))
            continue;
        size_t j = i + k;
        while (j < n && h[j] == ' ')
            j++;
        if (j >= n || h[j] != ':')
            continue;
        j++;
        while (j < n && h[j] == ' ')
            j++;
        size_t o = 0;
        while (j < n && h[j] > ' ' && o + 1 < cap)
            out[o++] = h[j++];
        out[o] = '\0';
        return;
    }
}

static int parse_sgml(ofx_walker *w, const uint8_t *b, size_t n)
{
    const char *s = (const char *)b;
    const char *lt = memchr(s, '<', n);
    if (!lt)
        return ofx_fail(w, 1, N_("not an OFX document (no OFX element)"));
    size_t hlen = (size_t)(lt - s);
    uint32_t line = 1;
    for (size_t i = 0; i < hlen; i++)
        line += s[i] == '\n';
    char charset[32], encoding[32];
    header_value(s, hlen, "CHARSET", charset, sizeof charset);
    header_value(s, hlen, "ENCODING", encoding, sizeof encoding);
    const uint8_t *body = b + hlen;
    size_t blen = n - hlen, ulen;
    bool utf8 = !strcmp(encoding, "UTF-8") || !strcmp(encoding, "UNICODE");
    if (utf8 && !bank_utf8_valid(body, blen))
        return ofx_fail(w, line, N_("the file is not in the UTF-8 its header declares"));
    if (!utf8 && strcmp(charset, "1252") && strcmp(charset, "ISO-8859-1") &&
        strcmp(charset, "8859-1") && strcmp(charset, "NONE") && charset[0])
        return ofx_fail(w, 1, N_("unsupported OFX CHARSET (1252, ISO-8859-1 or NONE are read)"));
    if (utf8)
        return ofx_sgml_walk(w, (const char *)body, blen, line) || walk_end(w) ? -1 : 0;
    bool windows = strcmp(charset, "ISO-8859-1") && strcmp(charset, "8859-1");
    char *u = bank_to_utf8(body, blen, windows, &ulen);
    if (!u)
        return ofx_fail(w, line, N_("out of memory"));
    int rc = ofx_sgml_walk(w, u, ulen, line) || walk_end(w) ? -1 : 0;
    free(u);
    return rc;
}

int bank_parse_ofx(const uint8_t *b, size_t n, gl_bank_statements *out, gl_bank_error *err,
                   gl_bank_notes *notes)
{
    ofx_walker *w = calloc(1, sizeof *w);
    if (!w)
        return bank_fail(err, GL_BANK_FORMAT_OFX, 0, N_("out of memory"));
    w->out = out;
    w->err = err;
    w->notes = notes;
    size_t i = n >= 3 && !memcmp(b, "\xEF\xBB\xBF", 3) ? 3 : 0;
    while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
        i++;
    int rc;
    if (n > (size_t)INT32_MAX)
        rc = ofx_fail(w, 0, N_("the file is too large (64 MiB at most)"));
    else if (n - i >= 5 && !memcmp(b + i, "<?xml", 5))
        rc = parse_xml(w, b, n);
    else
        rc = parse_sgml(w, b, n);
    free(w);
    return rc;
}
