/*
 * dedupe._native: optional compiled fast paths of arabic-dedupe.
 *
 * Every function here has a pure-Python twin in the package that defines the
 * result (dedupe.text.normalize, dedupe.text.shingle, dedupe.text.paragraphs,
 * dedupe.text.native, dedupe.text.boilerplate, dedupe.sketch.minhash); the tests check both give the same
 * output. When this module is missing (no compiler at install time) or
 * ARABIC_DEDUPE_PURE=1 is set, the package runs the Python code.
 *
 *   Table(codes, multi)  a per-codepoint mapping (see dedupe/text/native.py):
 *       codes  int32 buffer, one entry per codepoint below len(codes):
 *              >= 0 the replacement codepoint, -1 delete, -2 bail (the caller
 *              must use the Python path), <= -10 multi[-10 - value];
 *              codepoints past the end map to themselves.
 *       multi  list of replacement strings longer than one character.
 *     .key(text)     -> " ".join(translated.split()), or None on a bail codepoint
 *     .hashes(text)  -> native uint64 xxh3_64 of the UTF-8 of each token of key(text)
 *                       (bytes), or None on a bail codepoint or a lone surrogate
 *     .hashes_lines(lines, skip=None) -> [hashes(line) for line in lines], b"" for the indexes in skip
 *     .clean(text, lone=-1, dash=-1, watch=-1)
 *                    -> (translated text with spaces tidied like normalize._tidy and combining
 *                       marks in canonical order, whether NFC may still change it, whether the text
 *                       has `watch`), or None on a bail codepoint; CR and CRLF are read as LF and a
 *                       run of `lone` standing alone between whitespace as `dash` first (the line
 *                       endings and tatweel_dash rules); needs Table(..., props=) (uint16 per
 *                       codepoint: combining class | 0x100 for a character NFC may compose or decompose)
 *     .prep_lines(lines, keyed_len, long_spaces, phrases, substrings, marks, seps, gate)
 *                    -> the first loop of boilerplate.strip_lines (its twin: boilerplate._line_lists): spaces,
 *                       keys and key spaces per line, whether a key has a phrase, the lines with a footer
 *                       word, the count of rating marks, the long lines that may be menus; with a gate, the
 *                       lines a single-line rule must judge and the lines that are not blank
 *     .has_phrase(text, phrases) -> whether key(text) has a phrase (boilerplate._PHRASE_RE's search)
 *   Phrases(needles)  needles looked for as runs of whole words of a key (Table.prep_lines, .has_phrase)
 *   Substrings(needles, anchors, groups=None, windows=None, guards=None)
 *     .within(text)  -> any(needle in text for needle in needles)
 *     .flags(text)   -> the OR of the groups of the needles in text (a needle with a window only in its
 *                       last `window` characters, one with a guard only when text[-1:] is not in it);
 *                       SSE2 block scans for the anchor characters
 *     .flags_lines(lines, skip=None, lead=0, lead_bit=0)
 *                    -> bytes: flags(line) per line of a list, 0 for the indexes in skip, `lead_bit` added
 *                       to the first `lead` non-empty lines not in skip (boilerplate.trim_lines)
 *   minhash_update(shingles uint32, a uint32, b uint32, sig uint32 (writable))
 *       sig[p] = min(sig[p], min over shingles of (a[p] * fmix32(h) + b[p]) mod 2**32)
 *   shingles(tokens uint64, ngram, mix uint64) -> bytes of uint32 n-gram hashes
 *   may_repeat(lines, min_tokens, containment), near_pairs(lines, min_tokens, containment, length_share):
 *       in-document repeats (dedupe.text.paragraphs.may_repeat, _LiveParagraphs)
 *   utf8_len(text) -> len(text.encode()), or -1 on a lone surrogate
 *   join_tidy(lines, skip, variants) -> the lines not in skip joined by '\n' and tidied like
 *       normalize._tidy, or None when they hold a code point of variants (twin: normalize.join_kept)
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define XXH_INLINE_ALL
#include "xxhash.h"

#define CODE_DELETE (-1)
#define CODE_BAIL (-2)
#define CODE_MULTI_BASE (-10)

typedef struct {
    PyObject_HEAD
    int32_t *codes;
    Py_ssize_t ncodes;
    Py_UCS4 *multi;        /* all multi replacements, concatenated */
    Py_ssize_t *multi_at;  /* start of each, plus one past the end */
    Py_ssize_t nmulti;
    uint16_t *props;       /* per output codepoint: canonical combining class | NFC_MAYBE (clean only) */
    Py_ssize_t nprops;
    Py_ssize_t maxmulti;   /* the longest multi replacement (1 when there is none) */
    uint16_t *fast16;      /* built on first use by the key loops: per BMP code point, its one-character
                              non-space replacement below 0xFFFF, FAST16_SPACE for a whitespace one, else 0 */
    uint8_t (*utf8fast)[4];  /* built on first use by hash_chars: per BMP code point, the UTF-8 of its
                              one-character non-space non-surrogate replacement in [0:3] and its length in [3]
                              (UTF8FAST_SPACE for a whitespace replacement, 0: the full path) */
    uint16_t *cleanfast;   /* built by clean for (cleanfast_lone, cleanfast_watch): per BMP code point that is
                              not CR nor `lone`, its replacement when it is one ordinary character (not ' ',
                              '\n', `watch`, NUL or >= 0xFFFE; combining class 0 and not NFC_MAYBE),
                              CLEANFAST_SPACE / CLEANFAST_NL for one ' ' / '\n', else 0: the full path */
    int cleanfast_lone, cleanfast_watch;
} TableObject;

#define UTF8FAST_SPACE 0xFF
#define CLEANFAST_SPACE 0xFFFF
#define CLEANFAST_NL 0xFFFE

#define FAST16_SPACE 0xFFFF

#define NFC_MAYBE 0x100

static void Table_dealloc(TableObject *self) {
    PyMem_Free(self->codes);
    PyMem_Free(self->multi);
    PyMem_Free(self->multi_at);
    PyMem_Free(self->props);
    PyMem_Free(self->fast16);
    PyMem_Free(self->utf8fast);
    PyMem_Free(self->cleanfast);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int Table_init(TableObject *self, PyObject *args, PyObject *kwds) {
    static char *kwlist[] = {"codes", "multi", "props", NULL};
    Py_buffer codes, props = {0};
    PyObject *multi;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "y*O!|y*", kwlist, &codes, &PyList_Type, &multi, &props))
        return -1;
    PyMem_Free(self->props);
    PyMem_Free(self->cleanfast);  /* (it depends on props) */
    self->props = NULL;
    self->cleanfast = NULL;
    self->nprops = 0;
    if (props.buf) {
        self->nprops = props.len / 2;
        self->props = PyMem_Malloc(props.len ? props.len : 2);
        if (!self->props) { PyBuffer_Release(&props); PyBuffer_Release(&codes); PyErr_NoMemory(); return -1; }
        memcpy(self->props, props.buf, self->nprops * 2);
        PyBuffer_Release(&props);
    }
    if (codes.len % 4) {
        PyBuffer_Release(&codes);
        PyErr_SetString(PyExc_ValueError, "codes must be an int32 buffer");
        return -1;
    }
    PyMem_Free(self->codes);
    PyMem_Free(self->multi);
    PyMem_Free(self->multi_at);
    PyMem_Free(self->fast16);
    PyMem_Free(self->utf8fast);
    PyMem_Free(self->cleanfast);
    self->codes = NULL; self->multi = NULL; self->multi_at = NULL; self->fast16 = NULL;
    self->utf8fast = NULL; self->cleanfast = NULL;
    self->ncodes = codes.len / 4;
    self->codes = PyMem_Malloc(codes.len ? codes.len : 4);
    if (!self->codes) { PyBuffer_Release(&codes); PyErr_NoMemory(); return -1; }
    memcpy(self->codes, codes.buf, codes.len);
    PyBuffer_Release(&codes);

    self->nmulti = PyList_GET_SIZE(multi);
    Py_ssize_t total = 0;
    for (Py_ssize_t i = 0; i < self->nmulti; i++) {
        PyObject *s = PyList_GET_ITEM(multi, i);
        if (!PyUnicode_Check(s)) { PyErr_SetString(PyExc_TypeError, "multi must hold str"); return -1; }
        total += PyUnicode_GET_LENGTH(s);
    }
    self->multi = PyMem_Malloc(sizeof(Py_UCS4) * (total ? total : 1));
    self->multi_at = PyMem_Malloc(sizeof(Py_ssize_t) * (self->nmulti + 1));
    if (!self->multi || !self->multi_at) { PyErr_NoMemory(); return -1; }
    Py_ssize_t at = 0;
    for (Py_ssize_t i = 0; i < self->nmulti; i++) {
        PyObject *s = PyList_GET_ITEM(multi, i);
        Py_ssize_t n = PyUnicode_GET_LENGTH(s);
        self->multi_at[i] = at;
        for (Py_ssize_t j = 0; j < n; j++) self->multi[at + j] = PyUnicode_READ_CHAR(s, j);
        at += n;
    }
    self->multi_at[self->nmulti] = at;
    self->maxmulti = 1;
    for (Py_ssize_t i = 0; i < self->nmulti; i++)
        if (self->multi_at[i + 1] - self->multi_at[i] > self->maxmulti) self->maxmulti = self->multi_at[i + 1] - self->multi_at[i];
    for (Py_ssize_t cp = 0; cp < self->ncodes; cp++) {
        int32_t c = self->codes[cp];
        if (c <= CODE_MULTI_BASE && (CODE_MULTI_BASE - c) >= self->nmulti) {
            PyErr_SetString(PyExc_ValueError, "codes refers to a missing multi entry");
            return -1;
        }
    }
    return 0;
}

/* Output buffer of UCS4 code points. */
typedef struct {
    Py_UCS4 *buf;
    Py_ssize_t len, cap;
    Py_UCS4 maxchar;
} Out;

static int out_init(Out *o, Py_ssize_t cap) {
    o->cap = cap < 16 ? 16 : cap;
    o->len = 0;
    o->maxchar = 0;
    o->buf = PyMem_Malloc(sizeof(Py_UCS4) * o->cap);
    if (!o->buf) { PyErr_NoMemory(); return -1; }
    return 0;
}

static inline int out_push(Out *o, Py_UCS4 c) {
    if (o->len == o->cap) {
        Py_ssize_t cap = o->cap * 2;
        Py_UCS4 *nb = PyMem_Realloc(o->buf, sizeof(Py_UCS4) * cap);
        if (!nb) { PyErr_NoMemory(); return -1; }
        o->buf = nb; o->cap = cap;
    }
    o->buf[o->len++] = c;
    if (c > o->maxchar) o->maxchar = c;
    return 0;
}

/* A str of o->buf[0:o->len], the buffer kept (out_finish frees it). */
static PyObject *out_str(const Out *o) {
    Py_ssize_t n = o->len;
    PyObject *r;
    if (o->maxchar < 0x100) {
        r = PyUnicode_New(n, o->maxchar < 0x80 ? 0x7F : 0xFF);
        if (r) { Py_UCS1 *d = PyUnicode_1BYTE_DATA(r); for (Py_ssize_t i = 0; i < n; i++) d[i] = (Py_UCS1)o->buf[i]; }
    } else if (o->maxchar < 0x10000) {
        r = PyUnicode_New(n, 0xFFFF);
        if (r) { Py_UCS2 *d = PyUnicode_2BYTE_DATA(r); for (Py_ssize_t i = 0; i < n; i++) d[i] = (Py_UCS2)o->buf[i]; }
    } else {
        r = PyUnicode_New(n, 0x10FFFF);
        if (r) memcpy(PyUnicode_4BYTE_DATA(r), o->buf, sizeof(Py_UCS4) * n);
    }
    return r;
}

/* The str of o's code points; the buffer is freed. */
static PyObject *out_finish(Out *o) {
    PyObject *r = out_str(o);
    PyMem_Free(o->buf);
    o->buf = NULL;
    return r;
}

/*
 * Walk the translated code points of `text`, calling EMIT(c) for each one.
 * Sets `bail` when a bail code point is met.
 */
#define TRANSLATE_EACH(self, text, bail, EMIT)                                          \
    do {                                                                                 \
        int kind_ = PyUnicode_KIND(text);                                                \
        const void *data_ = PyUnicode_DATA(text);                                        \
        Py_ssize_t n_ = PyUnicode_GET_LENGTH(text);                                      \
        const int32_t *codes_ = (self)->codes;                                           \
        Py_ssize_t ncodes_ = (self)->ncodes;                                             \
        for (Py_ssize_t i_ = 0; i_ < n_ && !(bail); i_++) {                              \
            Py_UCS4 ch_ = PyUnicode_READ(kind_, data_, i_);                              \
            int32_t code_ = (Py_ssize_t)ch_ < ncodes_ ? codes_[ch_] : (int32_t)ch_;      \
            if (code_ >= 0) {                                                            \
                Py_UCS4 c = (Py_UCS4)code_;                                              \
                EMIT;                                                                    \
            } else if (code_ == CODE_DELETE) {                                           \
                continue;                                                                \
            } else if (code_ == CODE_BAIL) {                                             \
                (bail) = 1;                                                              \
            } else {                                                                     \
                Py_ssize_t m_ = CODE_MULTI_BASE - code_;                                 \
                for (Py_ssize_t j_ = (self)->multi_at[m_]; j_ < (self)->multi_at[m_ + 1]; j_++) { \
                    Py_UCS4 c = (self)->multi[j_];                                       \
                    EMIT;                                                                \
                }                                                                        \
            }                                                                            \
        }                                                                                \
    } while (0)

static PyObject *Table_key(TableObject *self, PyObject *text) {
    if (!PyUnicode_Check(text)) { PyErr_SetString(PyExc_TypeError, "key() needs a str"); return NULL; }
    Out o;
    if (out_init(&o, PyUnicode_GET_LENGTH(text)) < 0) return NULL;
    int bail = 0, err = 0, pending = 0;
    TRANSLATE_EACH(self, text, bail, {
        if (Py_UNICODE_ISSPACE(c)) { pending = 1; }
        else {
            if (pending && o.len) { if (out_push(&o, ' ') < 0) { err = 1; bail = 1; } }
            pending = 0;
            if (!err && out_push(&o, c) < 0) { err = 1; bail = 1; }
        }
    });
    if (err) { PyMem_Free(o.buf); return NULL; }
    if (bail) { PyMem_Free(o.buf); Py_RETURN_NONE; }
    return out_finish(&o);
}

/* Append the UTF-8 bytes of c; returns -1 on a surrogate (Python's str.encode would raise). */
static inline int utf8_put(unsigned char *tok, Py_ssize_t *len, Py_UCS4 c) {
    Py_ssize_t n = *len;
    if (c < 0x80) { tok[n++] = (unsigned char)c; }
    else if (c < 0x800) { tok[n++] = 0xC0 | (c >> 6); tok[n++] = 0x80 | (c & 0x3F); }
    else if (c < 0x10000) {
        if (c >= 0xD800 && c <= 0xDFFF) return -1;
        tok[n++] = 0xE0 | (c >> 12); tok[n++] = 0x80 | ((c >> 6) & 0x3F); tok[n++] = 0x80 | (c & 0x3F);
    } else {
        tok[n++] = 0xF0 | (c >> 18); tok[n++] = 0x80 | ((c >> 12) & 0x3F);
        tok[n++] = 0x80 | ((c >> 6) & 0x3F); tok[n++] = 0x80 | (c & 0x3F);
    }
    *len = n;
    return 0;
}

/* Py_UNICODE_ISSPACE (the whitespace of str.split()), answering the letters below U+1680 inline: the only
   whitespace there is U+0085 and U+00A0 (tests/test_perf_equivalence.py checks every codepoint of it). */
static inline int is_space(Py_UCS4 c) {
    if (c < 0x80) return Py_UNICODE_ISSPACE(c);
    if (c < 0x1680) return c == 0x85 || c == 0xA0;
    return Py_UNICODE_ISSPACE(c);
}

/* self->utf8fast, built on first use; -1 on a memory error. */
static int table_utf8fast(TableObject *self) {
    if (self->utf8fast) return 0;
    uint8_t (*f)[4] = PyMem_Malloc(sizeof(*f) * 0x10000);
    if (!f) { PyErr_NoMemory(); return -1; }
    for (Py_UCS4 ch = 0; ch < 0x10000; ch++) {
        int32_t code = (Py_ssize_t)ch < self->ncodes ? self->codes[ch] : (int32_t)ch;
        memset(f[ch], 0, 4);
        if (code < 0 || code >= 0x10000 || (code >= 0xD800 && code <= 0xDFFF)) continue;  /* the full path */
        if (is_space((Py_UCS4)code)) { f[ch][3] = UTF8FAST_SPACE; continue; }
        Py_ssize_t len = 0;
        unsigned char b[4];
        utf8_put(b, &len, (Py_UCS4)code);
        memcpy(f[ch], b, (size_t)len);
        f[ch][3] = (uint8_t)len;
    }
    self->utf8fast = f;
    return 0;
}

typedef struct {
    unsigned char *tok;   /* the UTF-8 of the tokens of one text, back to back (4 bytes of slack past tokcap) */
    Py_ssize_t tokcap;
    Py_ssize_t *ends;     /* where a token ends in tok, at each whitespace code point (two in a row: an empty
                             token) and at the end */
    Py_ssize_t endcap;
    uint64_t *hashes;     /* the token hashes of the text */
    Py_ssize_t nhash, hashcap;
} HashState;

static int hs_init(HashState *s) {
    s->tokcap = 256; s->endcap = 64; s->hashcap = 64; s->nhash = 0;
    s->tok = PyMem_Malloc(s->tokcap + 4);
    s->ends = PyMem_Malloc(sizeof(Py_ssize_t) * s->endcap);
    s->hashes = PyMem_Malloc(sizeof(uint64_t) * s->hashcap);
    if (!s->tok || !s->ends || !s->hashes) {
        PyMem_Free(s->tok); PyMem_Free(s->ends); PyMem_Free(s->hashes);
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

static void hs_free(HashState *s) {
    PyMem_Free(s->tok);
    PyMem_Free(s->ends);
    PyMem_Free(s->hashes);
}

/* Room for `bytes` bytes of UTF-8 (and 4 of slack) and `ends` token ends; -1 on a memory error. */
static int hs_reserve(HashState *s, Py_ssize_t bytes, Py_ssize_t ends) {
    if (bytes > s->tokcap) {
        Py_ssize_t cap = bytes > 2 * s->tokcap ? bytes : 2 * s->tokcap;
        unsigned char *nb = PyMem_Realloc(s->tok, cap + 4);
        if (!nb) { PyErr_NoMemory(); return -1; }
        s->tok = nb; s->tokcap = cap;
    }
    if (ends > s->endcap) {
        Py_ssize_t cap = ends > 2 * s->endcap ? ends : 2 * s->endcap;
        Py_ssize_t *nb = PyMem_Realloc(s->ends, sizeof(Py_ssize_t) * cap);
        if (!nb) { PyErr_NoMemory(); return -1; }
        s->ends = nb; s->endcap = cap;
    }
    return 0;
}

/* Token hashes of the `n` code points at `data` (of the given kind) into s->hashes. Returns 0, 1 on a bail
   code point or a surrogate, -1 on a memory error. Always inlined into hash_text with a constant kind, so
   each string kind gets its own loop.
   Two passes: the UTF-8 of the translated text without its whitespace into s->tok, with where each token
   ends; then the xxh3 of each non-empty token. A BMP code point that translates to one character (the
   common case) takes the utf8fast table and no branch on whether it is whitespace (too frequent to predict
   in a loop that hashes as it goes). The buffers have room for the rest of the text at each code point:
   3 bytes and one end per fast code point (checked again on the full path only). */
static inline Py_ALWAYS_INLINE int hash_chars(TableObject *self, int kind, const void *data, Py_ssize_t n, HashState *s) {
    const int32_t *codes = self->codes;
    const uint8_t (*fast)[4] = (const uint8_t (*)[4])self->utf8fast;
    Py_ssize_t ncodes = self->ncodes;
    if (hs_reserve(s, 3 * n, n + 1) < 0) return -1;
    unsigned char *tok = s->tok;
    Py_ssize_t *ends = s->ends;
    Py_ssize_t len = 0, nt = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 ch = kind == PyUnicode_1BYTE_KIND ? ((const Py_UCS1 *)data)[i]
                   : kind == PyUnicode_2BYTE_KIND ? ((const Py_UCS2 *)data)[i] : ((const Py_UCS4 *)data)[i];
        if (kind != PyUnicode_4BYTE_KIND || ch < 0x10000) {
            const uint8_t *e = fast[ch];
            unsigned el = e[3];
            if (el) {
                unsigned sp = el == UTF8FAST_SPACE;
                memcpy(tok + len, e, 4);  /* (the bytes past the character's are overwritten or not read) */
                ends[nt] = len;
                nt += sp;
                len += el & (sp - 1);     /* (0 for whitespace) */
                continue;
            }
        }
        int32_t code = (Py_ssize_t)ch < ncodes ? codes[ch] : (int32_t)ch;
        const Py_UCS4 *cps;
        Py_ssize_t m;
        Py_UCS4 one = (Py_UCS4)code;
        if (code >= 0) { cps = &one; m = 1; }
        else if (code == CODE_DELETE) continue;
        else if (code == CODE_BAIL) return 1;
        else {
            Py_ssize_t q = CODE_MULTI_BASE - code;
            cps = self->multi + self->multi_at[q];
            m = self->multi_at[q + 1] - self->multi_at[q];
        }
        if (hs_reserve(s, len + 4 * m + 3 * (n - i - 1), nt + m + (n - i - 1) + 1) < 0) return -1;
        tok = s->tok;
        ends = s->ends;
        for (Py_ssize_t j = 0; j < m; j++) {
            if (is_space(cps[j])) ends[nt++] = len;
            else if (utf8_put(tok, &len, cps[j]) < 0) return 1;  /* a surrogate: str.encode would raise */
        }
    }
    ends[nt++] = len;
    if (nt > s->hashcap) {
        Py_ssize_t cap = nt > 2 * s->hashcap ? nt : 2 * s->hashcap;
        uint64_t *nb = PyMem_Realloc(s->hashes, sizeof(uint64_t) * cap);
        if (!nb) { PyErr_NoMemory(); return -1; }
        s->hashes = nb; s->hashcap = cap;
    }
    uint64_t *hashes = s->hashes;
    Py_ssize_t nhash = 0, prev = 0;
    for (Py_ssize_t t = 0; t < nt; t++) {
        Py_ssize_t end = ends[t];
        if (end > prev) hashes[nhash++] = XXH3_64bits(tok + prev, (size_t)(end - prev));
        prev = end;
    }
    s->nhash = nhash;
    return 0;
}

/* The token hashes of key(text) into s (reset first): 0, 1 on a bail code point or a surrogate, -1 on error. */
static int hash_text(TableObject *self, PyObject *text, HashState *s) {
    s->nhash = 0;
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (!self->utf8fast && table_utf8fast(self) < 0) return -1;
    switch (PyUnicode_KIND(text)) {
    case PyUnicode_1BYTE_KIND: return hash_chars(self, PyUnicode_1BYTE_KIND, data, n, s);
    case PyUnicode_2BYTE_KIND: return hash_chars(self, PyUnicode_2BYTE_KIND, data, n, s);
    default: return hash_chars(self, PyUnicode_4BYTE_KIND, data, n, s);
    }
}

static PyObject *Table_hashes(TableObject *self, PyObject *text) {
    if (!PyUnicode_Check(text)) { PyErr_SetString(PyExc_TypeError, "hashes() needs a str"); return NULL; }
    HashState s;
    if (hs_init(&s) < 0) return NULL;
    int r = hash_text(self, text, &s);
    PyObject *result;
    if (r < 0) result = NULL;
    else if (r > 0) { Py_INCREF(Py_None); result = Py_None; }
    else result = PyBytes_FromStringAndSize((const char *)s.hashes, (Py_ssize_t)(s.nhash * sizeof(uint64_t)));
    hs_free(&s);
    return result;
}

/* hashes() of each line of a list in one call; b"" for the indexes in `skip` (any container of ints, or None). */
static PyObject *Table_hashes_lines(TableObject *self, PyObject *args) {
    PyObject *lines, *skip = Py_None;
    if (!PyArg_ParseTuple(args, "O!|O", &PyList_Type, &lines, &skip)) return NULL;
    Py_ssize_t n = PyList_GET_SIZE(lines);
    PyObject *result = PyList_New(n);
    if (!result) return NULL;
    HashState s;
    if (hs_init(&s) < 0) { Py_DECREF(result); return NULL; }
    int skip_dict = PyDict_CheckExact(skip);
    if (skip_dict && PyDict_GET_SIZE(skip) == 0) skip = Py_None;  /* (nothing to look up per line) */
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *line = PyList_GET_ITEM(lines, i), *item;
        if (skip != Py_None) {
            PyObject *key = PyLong_FromSsize_t(i);
            int skipped = !key ? -1 : skip_dict ? PyDict_Contains(skip, key) : PySequence_Contains(skip, key);
            Py_XDECREF(key);
            if (skipped < 0) goto error;
            if (skipped) {
                item = PyBytes_FromStringAndSize(NULL, 0);
                if (!item) goto error;
                PyList_SET_ITEM(result, i, item);
                continue;
            }
        }
        if (!PyUnicode_Check(line)) { PyErr_SetString(PyExc_TypeError, "hashes_lines() needs a list of str"); goto error; }
        int r = hash_text(self, line, &s);
        if (r < 0) goto error;
        if (r > 0) { Py_INCREF(Py_None); item = Py_None; }
        else {
            item = PyBytes_FromStringAndSize((const char *)s.hashes, (Py_ssize_t)(s.nhash * sizeof(uint64_t)));
            if (!item) goto error;
        }
        PyList_SET_ITEM(result, i, item);
    }
    hs_free(&s);
    return result;
error:
    hs_free(&s);
    Py_DECREF(result);  /* (unset items are NULL: list_dealloc skips them) */
    return NULL;
}

/* clean's pending separator (see Table_clean): its length, its first code point (a second is '\n'), and the
   next one after a character (0), a '\n' (1) or a ' ' (2). */
static const Py_ssize_t CLEAN_SEPLEN[4] = {0, 1, 1, 2};
static const Py_UCS4 CLEAN_SEPCH[4] = {0, ' ', '\n', '\n'};
static const uint8_t CLEAN_NEXT[3][4] = {{0, 0, 0, 0}, {2, 2, 3, 3}, {1, 1, 2, 3}};

/* self->cleanfast for these `lone` and `watch` (rebuilt when they change); -1 on a memory error. */
static int table_cleanfast(TableObject *self, int lone, int watch) {
    if (self->cleanfast && self->cleanfast_lone == lone && self->cleanfast_watch == watch) return 0;
    uint16_t *f = self->cleanfast ? self->cleanfast : PyMem_Malloc(sizeof(uint16_t) * 0x10000);
    if (!f) { PyErr_NoMemory(); return -1; }
    for (Py_UCS4 ch = 0; ch < 0x10000; ch++) {
        int32_t code = (Py_ssize_t)ch < self->ncodes ? self->codes[ch] : (int32_t)ch;
        uint16_t v = 0;  /* the full path: CR, `lone`, delete, bail, multi, NUL, astral, watch, a mark... */
        if (ch == '\r' || (int)ch == lone) v = 0;
        else if (code == ' ') v = CLEANFAST_SPACE;
        else if (code == '\n') v = CLEANFAST_NL;
        else if (code > 0 && code < CLEANFAST_NL && code != watch
                 && (!self->props || (code < self->nprops && self->props[code] == 0)))
            v = (uint16_t)code;
        f[ch] = v;
    }
    self->cleanfast = f;
    self->cleanfast_lone = lone;
    self->cleanfast_watch = watch;
    return 0;
}

/*
 * clean(text, lone=-1, dash=-1, watch=-1): translate, then tidy like normalize._tidy:
 *   runs of ' ' -> one ' '; ' \n' / '\n ' -> '\n'; 3+ '\n' -> '\n\n'; strip ' ' and '\n' at both ends.
 * Only the code points ' ' and '\n' take part (other whitespace is the table's business).
 * Before translating, the input is read with CRLF and CR as LF (str.replace("\r\n", "\n").replace("\r", "\n")),
 * and a run of `lone` code points with whitespace (str.isspace) or an edge on both sides is read as one `dash`
 * (normalize._dash_lone_tatweel); any other `lone` is translated as the table says.
 * Returns (text, whether NFC may still change it, whether the text has the code point `watch`).
 * A BMP code point the cleanfast table answers (one ordinary character of class 0, a ' ' or a '\n') takes
 * the short path; the rest the full one. The output buffer always has room for the rest of the text
 * (n + the extra code points of the multi replacements met so far): no check per code point.
 */
static PyObject *Table_clean(TableObject *self, PyObject *args) {
    PyObject *text;
    int lone = -1, dash = -1, watch = -1;
    if (!PyArg_ParseTuple(args, "U|iii", &text, &lone, &dash, &watch)) return NULL;
    if (lone >= 0 && dash < 0) { PyErr_SetString(PyExc_ValueError, "clean() needs a dash for its lone code point"); return NULL; }
    if (table_cleanfast(self, lone, watch) < 0) return NULL;
    const int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    const Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    Py_ssize_t cap = n < 16 ? 16 : n, extra = 0, w = 0;
    Py_UCS4 *buf = PyMem_Malloc(sizeof(Py_UCS4) * (cap + 2)), maxc = 0;  /* (+2: the separator stores) */
    if (!buf) return PyErr_NoMemory();
    int bail = 0, seen_watch = 0;
    /* the pending separator since the last character written: 0 none, 1 spaces only, 2 one '\n',
       3 more '\n' (with or without spaces); a character first writes the CLEAN_SEPLEN[pend] code points
       CLEAN_SEPCH[pend], '\n' (none at the start) */
    unsigned pend = 0;
    /* NFC: marks out of canonical order are reordered here (that is all NFC does when no character
       can compose or decompose); a character that may compose or decompose sets needs_nfc. */
    int needs_nfc = self->props == NULL;
    unsigned last_ccc = 0;
    const uint16_t *props = self->props;
    const uint16_t *fast = self->cleanfast;
    Py_ssize_t nprops = self->nprops;
    /* the pending separator before a character (none at the start) */
#define CLEAN_FLUSH()                                                                               \
    do {                                                                                            \
        if (pend) {                                                                                 \
            if (w) {                                                                                \
                buf[w] = CLEAN_SEPCH[pend]; buf[w + 1] = '\n'; w += CLEAN_SEPLEN[pend];              \
                last_ccc = 0;                                                                       \
            }                                                                                       \
            pend = 0;                                                                               \
        }                                                                                           \
    } while (0)
#define CLEAN_EMIT(C)                                                                               \
    do {                                                                                            \
        Py_UCS4 c = (C);                                                                            \
        if (c == ' ') { pend = CLEAN_NEXT[2][pend]; }                                               \
        else if (c == '\n') { pend = CLEAN_NEXT[1][pend]; }                                         \
        else {                                                                                      \
            CLEAN_FLUSH();                                                                          \
            if ((int)c == watch) seen_watch = 1;                                                    \
            buf[w++] = c; maxc |= c;                                                                \
            if (!needs_nfc) {                                                                       \
                if ((Py_ssize_t)c >= nprops) { needs_nfc = 1; }                                     \
                else {                                                                              \
                    unsigned pr = props[c];                                                         \
                    unsigned ccc = pr & 0xFF;                                                       \
                    if (pr & NFC_MAYBE) needs_nfc = 1;                                              \
                    else if (ccc == 0) last_ccc = 0;                                                \
                    else if (last_ccc > ccc) {                                                      \
                        /* move c back past the marks of a higher class (stable: equal classes keep order) */ \
                        Py_ssize_t j = w - 1;                                                       \
                        while (j > 0) {                                                             \
                            Py_UCS4 prev = buf[j - 1];                                              \
                            unsigned pc = (Py_ssize_t)prev < nprops ? (props[prev] & 0xFF) : 0;     \
                            if (pc <= ccc) break;                                                   \
                            buf[j] = prev;                                                          \
                            j--;                                                                    \
                        }                                                                           \
                        buf[j] = c;                                                                 \
                    } else last_ccc = ccc;                                                          \
                }                                                                                   \
            }                                                                                       \
        }                                                                                           \
    } while (0)
    const int32_t *codes = self->codes;
    const Py_ssize_t ncodes = self->ncodes;
    Py_ssize_t plain_until = 0;  /* the rest of a run of `lone` that is not alone: translated as it is */
    /* one loop per string kind (READ reads code point k of the text; BMP(ch): whether ch < 0x10000). The
       run of code points the cleanfast table answers is done without branches (a ' ' or '\n' in Arabic text
       is too frequent to predict): a character writes the pending separator, then itself; a ' ' or '\n'
       only updates it. The rest takes the full path, one code point at a time. */
#define CLEAN_LOOP(READ, BMP)                                                                       \
    for (Py_ssize_t i = 0; i < n && !bail; i++) {                                                   \
        Py_ssize_t w0 = w;                                                                          \
        unsigned started = w != 0;                                                                  \
        for (; i < n; i++) {                                                                        \
            Py_UCS4 ch = READ(i);                                                                   \
            if (!BMP(ch)) break;                                                                    \
            Py_UCS4 v = fast[ch];                                                                   \
            if (!v) break;                                                                          \
            unsigned cls = ((v + 2) >> 16) + ((v + 1) >> 16);  /* 0 a character, 1 '\n', 2 ' ' */    \
            unsigned is_char = cls == 0;                                                            \
            buf[w] = CLEAN_SEPCH[pend]; buf[w + 1] = '\n';                                          \
            Py_ssize_t k = CLEAN_SEPLEN[pend] & -(Py_ssize_t)(is_char & started);                   \
            buf[w + k] = v;                                                                         \
            w += k + is_char;                                                                       \
            started |= is_char;                                                                     \
            maxc |= v & -(Py_UCS4)is_char;                                                          \
            pend = CLEAN_NEXT[cls][pend];                                                           \
        }                                                                                           \
        if (w != w0) last_ccc = 0;                                                                  \
        if (i >= n) break;                                                                          \
        Py_UCS4 ch = READ(i);                                                                       \
        if (ch == '\r') {                                                                           \
            if (i + 1 < n && READ(i + 1) == '\n') continue;  /* CRLF: the LF follows */             \
            ch = '\n';                                                                              \
        } else if ((int)ch == lone && i >= plain_until) {                                           \
            Py_ssize_t j = i + 1;                                                                   \
            while (j < n && READ(j) == ch) j++;                                                     \
            if ((i == 0 || Py_UNICODE_ISSPACE(READ(i - 1))) && (j == n || Py_UNICODE_ISSPACE(READ(j)))) { \
                ch = (Py_UCS4)dash;                                                                 \
                i = j - 1;                                                                          \
            } else plain_until = j;                                                                 \
        }                                                                                           \
        int32_t code = (Py_ssize_t)ch < ncodes ? codes[ch] : (int32_t)ch;                           \
        if (code >= 0) CLEAN_EMIT((Py_UCS4)code);                                                   \
        else if (code == CODE_DELETE) continue;                                                     \
        else if (code == CODE_BAIL) bail = 1;                                                       \
        else {                                                                                      \
            Py_ssize_t m = CODE_MULTI_BASE - code;                                                  \
            Py_ssize_t more = self->multi_at[m + 1] - self->multi_at[m] - 1;                        \
            if (more > 0) {  /* room for the rest of the text again */                              \
                extra += more;                                                                      \
                if (n + extra > cap) {                                                              \
                    Py_ssize_t ncap = n + extra > 2 * cap ? n + extra : 2 * cap;                    \
                    Py_UCS4 *nb = PyMem_Realloc(buf, sizeof(Py_UCS4) * (ncap + 2));                 \
                    if (!nb) { PyMem_Free(buf); return PyErr_NoMemory(); }                          \
                    buf = nb; cap = ncap;                                                           \
                }                                                                                   \
            }                                                                                       \
            for (Py_ssize_t q = self->multi_at[m]; q < self->multi_at[m + 1]; q++) CLEAN_EMIT(self->multi[q]); \
        }                                                                                           \
    }
#define READ1(k) ((Py_UCS4)((const Py_UCS1 *)data)[k])
#define READ2(k) ((Py_UCS4)((const Py_UCS2 *)data)[k])
#define READ4(k) (((const Py_UCS4 *)data)[k])
#define BMP_ALWAYS(ch) 1
#define BMP_CHECK(ch) ((ch) < 0x10000)
    switch (kind) {
    case PyUnicode_1BYTE_KIND: CLEAN_LOOP(READ1, BMP_ALWAYS); break;
    case PyUnicode_2BYTE_KIND: CLEAN_LOOP(READ2, BMP_ALWAYS); break;
    default: CLEAN_LOOP(READ4, BMP_CHECK); break;
    }
#undef READ1
#undef READ2
#undef READ4
#undef BMP_ALWAYS
#undef BMP_CHECK
#undef CLEAN_LOOP
#undef CLEAN_EMIT
#undef CLEAN_FLUSH
    if (bail) { PyMem_Free(buf); Py_RETURN_NONE; }
    Out o = {buf, w, cap, maxc};  /* (maxc is the OR of the code points: below the same powers of two as the max) */
    PyObject *r = out_finish(&o);
    if (!r) return NULL;
    return Py_BuildValue("(Nii)", r, needs_nfc, seen_watch);
}

/* ---- strip_lines' per-line lists -------------------------------------------------- */

/*
 * Phrases(phrases): a set of needles for Table.prep_lines, each looked for as a run of whole words of
 * a key (" " + phrase followed by " " in " " + key + " ": boilerplate._PHRASE_RE's search).
 * The needles are bucketed by a hash of their first `head` code points; a key is hashed the same
 * way at each word start, so most positions cost one hash and an empty bucket.
 */
#define PHRASE_HEAD 4
#define PHRASE_BUCKET_BITS 12
#define PHRASE_BUCKETS (1 << PHRASE_BUCKET_BITS)

typedef struct {
    PyObject_HEAD
    Py_UCS4 *chars;       /* all needles, concatenated */
    Py_ssize_t *at;       /* start of each, plus one past the end */
    Py_ssize_t n;
    Py_ssize_t head;      /* the code points hashed: min(PHRASE_HEAD, length of the shortest needle) */
    int32_t *order;       /* needle indexes grouped by bucket */
    int32_t bucket[PHRASE_BUCKETS + 1];  /* bucket b holds order[bucket[b]] .. order[bucket[b + 1] - 1] */
    uint32_t pre[1024];   /* bit phrase_pre of each needle (its first three code points; head >= 3 only) */
} PhrasesObject;

/* A cheap hash of the low bytes of s[0:3] (15 bits): the filter before phrase_bucket. */
static inline uint32_t phrase_pre(const Py_UCS4 *s) {
    return ((s[0] & 0xFF) << 7 ^ (s[1] & 0xFF) << 3 ^ (s[2] & 0xFF) ^ (s[0] & 0x300) << 5) & 0x7FFF;
}

/* The bucket of a needle or a key position: a hash of its first `head` code points. */
static inline uint32_t phrase_bucket(const Py_UCS4 *s, Py_ssize_t head) {
    uint32_t h = 0x811C9DC5u;
    for (Py_ssize_t j = 0; j < head; j++) h = (h ^ (uint32_t)s[j]) * 0x01000193u;
    return (h * 0x9E3779B1u) >> (32 - PHRASE_BUCKET_BITS);
}

static void Phrases_dealloc(PhrasesObject *self) {
    PyMem_Free(self->chars);
    PyMem_Free(self->at);
    PyMem_Free(self->order);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int Phrases_init(PhrasesObject *self, PyObject *args, PyObject *kwds) {
    PyObject *seq;
    if (!PyArg_ParseTuple(args, "O", &seq)) return -1;
    PyObject *fast = PySequence_Fast(seq, "Phrases() needs a sequence of str");
    if (!fast) return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast), total = 0, head = PHRASE_HEAD;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *s = PySequence_Fast_GET_ITEM(fast, i);
        if (!PyUnicode_Check(s) || PyUnicode_GET_LENGTH(s) == 0) {
            Py_DECREF(fast);
            PyErr_SetString(PyExc_TypeError, "Phrases() needs non-empty str");
            return -1;
        }
        total += PyUnicode_GET_LENGTH(s);
        if (PyUnicode_GET_LENGTH(s) < head) head = PyUnicode_GET_LENGTH(s);
    }
    PyMem_Free(self->chars); PyMem_Free(self->at); PyMem_Free(self->order);
    self->chars = PyMem_Malloc(sizeof(Py_UCS4) * (total ? total : 1));
    self->at = PyMem_Malloc(sizeof(Py_ssize_t) * (n + 1));
    self->order = PyMem_Malloc(sizeof(int32_t) * (n ? n : 1));
    self->n = n;
    self->head = head;
    int32_t *fill = PyMem_Calloc(PHRASE_BUCKETS + 1, sizeof(int32_t));
    if (!self->chars || !self->at || !self->order || !fill) { PyMem_Free(fill); Py_DECREF(fast); PyErr_NoMemory(); return -1; }
    Py_ssize_t at = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *s = PySequence_Fast_GET_ITEM(fast, i);
        Py_ssize_t len = PyUnicode_GET_LENGTH(s);
        self->at[i] = at;
        for (Py_ssize_t j = 0; j < len; j++) self->chars[at + j] = PyUnicode_READ_CHAR(s, j);
        fill[phrase_bucket(self->chars + at, head) + 1]++;
        at += len;
    }
    self->at[n] = at;
    memset(self->pre, 0, sizeof(self->pre));
    for (Py_ssize_t i = 0; i < n && head >= 3; i++) {
        uint32_t h = phrase_pre(self->chars + self->at[i]);
        self->pre[h >> 5] |= 1u << (h & 31);
    }
    for (int b = 0; b < PHRASE_BUCKETS; b++) fill[b + 1] += fill[b];
    memcpy(self->bucket, fill, sizeof(int32_t) * (PHRASE_BUCKETS + 1));
    for (Py_ssize_t i = 0; i < n; i++) self->order[fill[phrase_bucket(self->chars + self->at[i], head)]++] = (int32_t)i;
    PyMem_Free(fill);
    Py_DECREF(fast);
    return 0;
}

/* Is a needle of `p` a run of whole words of the key buf[0:len] (single spaces, none at the ends)? The
   spaces of the key stand at gaps[0:ngaps] when gaps is not NULL. */
static int phrases_in_key(const PhrasesObject *p, const Py_UCS4 *buf, Py_ssize_t len, const Py_ssize_t *gaps,
                          Py_ssize_t ngaps) {
    Py_ssize_t head = p->head;
    for (Py_ssize_t g = -1, pos = 0; pos + head <= len; pos += !gaps) {
        if (gaps) {  /* the word starts: 0 and after each space */
            if (g >= ngaps) break;
            if (g >= 0) pos = gaps[g] + 1;
            g++;
            if (pos + head > len) break;
        } else if (pos && buf[pos - 1] != ' ') {
            continue;
        }
        if (head >= 3) {
            uint32_t h = phrase_pre(buf + pos);
            if (!(p->pre[h >> 5] & (1u << (h & 31)))) continue;
        }
        uint32_t b = phrase_bucket(buf + pos, head);
        for (int32_t k = p->bucket[b]; k < p->bucket[b + 1]; k++) {
            int32_t i = p->order[k];
            Py_ssize_t m = p->at[i + 1] - p->at[i];
            if (pos + m > len || (pos + m < len && buf[pos + m] != ' ')) continue;
            if (memcmp(p->chars + p->at[i], buf + pos, sizeof(Py_UCS4) * m) == 0) return 1;
        }
    }
    return 0;
}

static PyTypeObject PhrasesType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "dedupe._native.Phrases",
    .tp_basicsize = sizeof(PhrasesObject),
    .tp_dealloc = (destructor)Phrases_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Needles for Table.prep_lines: phrases looked for as runs of whole words of a key.",
    .tp_init = (initproc)Phrases_init,
    .tp_new = PyType_GenericNew,
};

/*
 * Substrings(needles, anchors, groups=None, windows=None, guards=None): needles for a substring test
 * (any(n in line for n in needles): .within(text) and Table.prep_lines) or for the set of groups of the
 * needles a text contains (.flags(text), .flags_lines(lines)). anchors[i] is an index into needles[i], best
 * its rarest character: a text is only compared with a needle where its anchor character stands (a bitmap of
 * the anchors' low bytes first). groups[i] is the bit of needle i (default 1). A needle with a window
 * (windows[i] > 0) counts only in the last windows[i] characters of a text, one with a guard (guards[i] a
 * non-empty str) only in a text whose last character is not in guards[i]: those are looked for apart (the
 * "tail" needles), a guarded one only after its guard passed, so a needle of frequent letters that is
 * rarely wanted (boilerplate's "سمات" after a line that does not end in a full stop) does not slow the
 * anchor scan of every text.
 */
#define SUBSTRING_ANCHORS 16

typedef struct {
    PyObject_HEAD
    Py_UCS4 *chars;       /* all needles, concatenated */
    Py_ssize_t *at;       /* start of each, plus one past the end */
    Py_ssize_t *anchor;   /* the anchor's index in each needle */
    uint32_t *group;      /* the bits of each needle */
    uint32_t all;         /* the bits of all needles */
    Py_ssize_t n;
    uint32_t bloom[8];    /* bit (c & 0xFF) set for each anchor character c */
    int32_t *order;       /* needle indexes by the low byte of their anchor character */
    int32_t bucket[257];  /* low byte b: order[bucket[b]] .. order[bucket[b + 1] - 1] */
    Py_UCS4 anchors[SUBSTRING_ANCHORS];  /* the distinct anchor characters, when there are so few */
    int nanchors;         /* their number, or -1 for more */
    Py_ssize_t *window;   /* > 0: the needle only counts within the last `window` characters of a text */
    Py_UCS4 *guard;       /* all guards, concatenated */
    Py_ssize_t *guard_at; /* start of each needle's guard, plus one past the end (empty: no guard) */
    Py_ssize_t *tail;     /* the needles with a window or a guard (not in the buckets, nor in the anchors) */
    Py_ssize_t ntail;
} SubstringsObject;

/* Needle i is looked for apart from the anchor scan: it has a window or a guard. */
#define SUBSTRING_TAILED(p, i) ((p)->window[i] || (p)->guard_at[(i) + 1] > (p)->guard_at[i])

static void Substrings_dealloc(SubstringsObject *self) {
    PyMem_Free(self->chars);
    PyMem_Free(self->at);
    PyMem_Free(self->anchor);
    PyMem_Free(self->group);
    PyMem_Free(self->order);
    PyMem_Free(self->window);
    PyMem_Free(self->guard);
    PyMem_Free(self->guard_at);
    PyMem_Free(self->tail);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int Substrings_init(SubstringsObject *self, PyObject *args, PyObject *kwds) {
    PyObject *seq, *aseq, *gseq = Py_None, *gfast = NULL, *wseq = Py_None, *wfast = NULL, *useq = Py_None, *ufast = NULL;
    if (!PyArg_ParseTuple(args, "OO|OOO", &seq, &aseq, &gseq, &wseq, &useq)) return -1;
    PyObject *fast = PySequence_Fast(seq, "Substrings() needs a sequence of str");
    if (!fast) return -1;
    PyObject *afast = PySequence_Fast(aseq, "Substrings() needs a sequence of int");
    if (!afast) { Py_DECREF(fast); return -1; }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast), total = 0, gtotal = 0;
    if (gseq != Py_None && !(gfast = PySequence_Fast(gseq, "Substrings() needs a sequence of int"))) goto fail;
    if (wseq != Py_None && !(wfast = PySequence_Fast(wseq, "Substrings() needs a sequence of int"))) goto fail;
    if (useq != Py_None && !(ufast = PySequence_Fast(useq, "Substrings() needs a sequence of str"))) goto fail;
    if (PySequence_Fast_GET_SIZE(afast) != n || (gfast && PySequence_Fast_GET_SIZE(gfast) != n)
            || (wfast && PySequence_Fast_GET_SIZE(wfast) != n) || (ufast && PySequence_Fast_GET_SIZE(ufast) != n)) {
        PyErr_SetString(PyExc_ValueError, "Substrings() needs one anchor, group, window and guard per needle");
        goto fail;
    }
    for (Py_ssize_t i = 0; ufast && i < n; i++) {
        PyObject *u = PySequence_Fast_GET_ITEM(ufast, i);
        if (!PyUnicode_Check(u)) { PyErr_SetString(PyExc_TypeError, "Substrings() needs str guards"); goto fail; }
        gtotal += PyUnicode_GET_LENGTH(u);
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *s = PySequence_Fast_GET_ITEM(fast, i);
        if (!PyUnicode_Check(s) || PyUnicode_GET_LENGTH(s) == 0) {
            PyErr_SetString(PyExc_TypeError, "Substrings() needs non-empty str");
            goto fail;
        }
        total += PyUnicode_GET_LENGTH(s);
    }
    PyMem_Free(self->chars); PyMem_Free(self->at); PyMem_Free(self->anchor); PyMem_Free(self->group);
    PyMem_Free(self->order); PyMem_Free(self->window); PyMem_Free(self->tail);
    PyMem_Free(self->guard); PyMem_Free(self->guard_at);
    self->guard = PyMem_Malloc(sizeof(Py_UCS4) * (gtotal ? gtotal : 1));
    self->guard_at = PyMem_Malloc(sizeof(Py_ssize_t) * (n + 1));
    self->order = PyMem_Malloc(sizeof(int32_t) * (n ? n : 1));
    self->window = PyMem_Malloc(sizeof(Py_ssize_t) * (n ? n : 1));
    self->tail = PyMem_Malloc(sizeof(Py_ssize_t) * (n ? n : 1));
    self->ntail = 0;
    self->chars = PyMem_Malloc(sizeof(Py_UCS4) * (total ? total : 1));
    self->at = PyMem_Malloc(sizeof(Py_ssize_t) * (n + 1));
    self->anchor = PyMem_Malloc(sizeof(Py_ssize_t) * (n ? n : 1));
    self->group = PyMem_Malloc(sizeof(uint32_t) * (n ? n : 1));
    self->n = 0;
    self->all = 0;
    memset(self->bloom, 0, sizeof(self->bloom));
    if (!self->chars || !self->at || !self->anchor || !self->group || !self->order || !self->window || !self->tail
            || !self->guard || !self->guard_at) {
        PyErr_NoMemory(); goto fail;
    }
    Py_ssize_t at = 0, gat = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *s = PySequence_Fast_GET_ITEM(fast, i);
        Py_ssize_t len = PyUnicode_GET_LENGTH(s);
        Py_ssize_t a = PyLong_AsSsize_t(PySequence_Fast_GET_ITEM(afast, i));
        if (a == -1 && PyErr_Occurred()) goto fail;
        if (a < 0 || a >= len) { PyErr_SetString(PyExc_ValueError, "Substrings() anchor out of range"); goto fail; }
        unsigned long g = 1;
        if (gfast) {
            g = PyLong_AsUnsignedLong(PySequence_Fast_GET_ITEM(gfast, i));
            if (g == (unsigned long)-1 && PyErr_Occurred()) goto fail;
            if (g == 0 || g > 0xFFFFFFFFul) { PyErr_SetString(PyExc_ValueError, "Substrings() group out of range"); goto fail; }
        }
        Py_ssize_t w = 0;
        if (wfast) {
            w = PyLong_AsSsize_t(PySequence_Fast_GET_ITEM(wfast, i));
            if (w == -1 && PyErr_Occurred()) goto fail;
            if (w < 0) { PyErr_SetString(PyExc_ValueError, "Substrings() window out of range"); goto fail; }
        }
        self->window[i] = w;
        self->guard_at[i] = gat;
        if (ufast) {
            PyObject *u = PySequence_Fast_GET_ITEM(ufast, i);
            for (Py_ssize_t j = 0; j < PyUnicode_GET_LENGTH(u); j++) self->guard[gat++] = PyUnicode_READ_CHAR(u, j);
        }
        int tailed = w || gat > self->guard_at[i];
        if (tailed) self->tail[self->ntail++] = i;
        self->group[i] = (uint32_t)g;
        self->all |= (uint32_t)g;
        self->at[i] = at;
        self->anchor[i] = a;
        for (Py_ssize_t j = 0; j < len; j++) self->chars[at + j] = PyUnicode_READ_CHAR(s, j);
        Py_UCS4 c = self->chars[at + a];
        if (!tailed) self->bloom[(c & 0xFF) >> 5] |= 1u << (c & 31);
        at += len;
    }
    self->at[n] = at;
    self->guard_at[n] = gat;
    memset(self->bucket, 0, sizeof(self->bucket));
    for (Py_ssize_t i = 0; i < n; i++)
        if (!SUBSTRING_TAILED(self, i)) self->bucket[(self->chars[self->at[i] + self->anchor[i]] & 0xFF) + 1]++;
    for (int b = 0; b < 256; b++) self->bucket[b + 1] += self->bucket[b];
    int32_t fill[256];
    memcpy(fill, self->bucket, sizeof(fill));
    for (Py_ssize_t i = 0; i < n; i++)
        if (!SUBSTRING_TAILED(self, i)) self->order[fill[self->chars[self->at[i] + self->anchor[i]] & 0xFF]++] = (int32_t)i;
    self->nanchors = 0;
    for (Py_ssize_t i = 0; i < n && self->nanchors >= 0; i++) {
        if (SUBSTRING_TAILED(self, i)) continue;
        Py_UCS4 c = self->chars[self->at[i] + self->anchor[i]];
        int k;
        for (k = 0; k < self->nanchors && self->anchors[k] != c; k++) ;
        if (k == self->nanchors) {
            if (k == SUBSTRING_ANCHORS) self->nanchors = -1;
            else self->anchors[self->nanchors++] = c;
        }
    }
    self->n = n;
    Py_DECREF(fast); Py_DECREF(afast); Py_XDECREF(gfast); Py_XDECREF(wfast); Py_XDECREF(ufast);
    return 0;
fail:
    self->n = 0;
    self->ntail = 0;
    self->nanchors = -1;
    memset(self->bloom, 0, sizeof(self->bloom));
    memset(self->bucket, 0, sizeof(self->bucket));
    Py_DECREF(fast); Py_DECREF(afast); Py_XDECREF(gfast); Py_XDECREF(wfast); Py_XDECREF(ufast);
    return -1;
}

/* The index of the first block of 16 bytes at or after s[i] with an anchor of anc[0:na] in it, its
   _mm_movemask_epi8 of the compares in *mask (past the last whole block: len rounded down, *mask 0).
   SSE2 with GCC or Clang only; elsewhere the scan reads every character. */
#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#define SUBSTRING_SIMD 1
#define SUBSTRING_CTZ(x) __builtin_ctz(x)
#define SUBSTRING_POPCOUNT(x) __builtin_popcount(x)
/* (NA a constant at each call of the inlined core: the compares unrolled, the anchors in registers) */
#define SKIP_BLOCKS(NAME, T, SET1, CMPEQ)                                                           \
static inline Py_ALWAYS_INLINE Py_ssize_t NAME##_core(const T *s, Py_ssize_t i, Py_ssize_t len,    \
                                                      const T *anc, const int NA, unsigned *mask) { \
    enum { LANES = 16 / sizeof(T) };                                                                \
    __m128i va[SUBSTRING_ANCHORS];                                                                  \
    for (int k = 0; k < NA; k++) va[k] = SET1(anc[k]);                                              \
    for (; i + LANES <= len; i += LANES) {                                                          \
        __m128i v = _mm_loadu_si128((const __m128i *)(s + i));                                      \
        __m128i m = CMPEQ(v, va[0]);                                                                \
        for (int k = 1; k < NA; k++) m = _mm_or_si128(m, CMPEQ(v, va[k]));                          \
        if ((*mask = (unsigned)_mm_movemask_epi8(m)) != 0) return i;                                \
    }                                                                                               \
    *mask = 0;                                                                                      \
    return i;                                                                                       \
}                                                                                                   \
static Py_ssize_t NAME(const T *s, Py_ssize_t i, Py_ssize_t len, const T *anc, int na, unsigned *mask) { \
    switch (na) {                                                                                   \
    case 1: return NAME##_core(s, i, len, anc, 1, mask);   case 2: return NAME##_core(s, i, len, anc, 2, mask);   \
    case 3: return NAME##_core(s, i, len, anc, 3, mask);   case 4: return NAME##_core(s, i, len, anc, 4, mask);   \
    case 5: return NAME##_core(s, i, len, anc, 5, mask);   case 6: return NAME##_core(s, i, len, anc, 6, mask);   \
    case 7: return NAME##_core(s, i, len, anc, 7, mask);   case 8: return NAME##_core(s, i, len, anc, 8, mask);   \
    case 9: return NAME##_core(s, i, len, anc, 9, mask);   case 10: return NAME##_core(s, i, len, anc, 10, mask); \
    case 11: return NAME##_core(s, i, len, anc, 11, mask); case 12: return NAME##_core(s, i, len, anc, 12, mask); \
    default: return NAME##_core(s, i, len, anc, SUBSTRING_ANCHORS, mask);                           \
    }                                                                                               \
}
SKIP_BLOCKS(skip_blocks1, Py_UCS1, _mm_set1_epi8, _mm_cmpeq_epi8)
SKIP_BLOCKS(skip_blocks2, Py_UCS2, _mm_set1_epi16, _mm_cmpeq_epi16)
SKIP_BLOCKS(skip_blocks4, Py_UCS4, _mm_set1_epi32, _mm_cmpeq_epi32)
#else
#define SUBSTRING_SIMD 0
#define SUBSTRING_CTZ(x) 0
#define SUBSTRING_POPCOUNT(x) 0
#define SKIP_BLOCKS(NAME, T)                                                                        \
static Py_ssize_t NAME(const T *s, Py_ssize_t i, Py_ssize_t len, const T *anc, int na, unsigned *mask) { \
    *mask = 0;                                                                                      \
    return i;                                                                                       \
}
SKIP_BLOCKS(skip_blocks1, Py_UCS1)
SKIP_BLOCKS(skip_blocks2, Py_UCS2)
SKIP_BLOCKS(skip_blocks4, Py_UCS4)
#endif

/* Compare the needles of p anchored at s[i] (a macro body of SUBSTRINGS_IN: found, first, return). */
#define SUBSTRINGS_AT(T, i)                                                                          \
    do {                                                                                            \
        Py_UCS4 c_ = s[i];                                                                          \
        for (int32_t q_ = p->bucket[c_ & 0xFF]; q_ < p->bucket[(c_ & 0xFF) + 1]; q_++) {            \
            int32_t k_ = p->order[q_];                                                              \
            const Py_UCS4 *needle_ = p->chars + p->at[k_];                                          \
            Py_ssize_t a_ = p->anchor[k_], m_ = p->at[k_ + 1] - p->at[k_], j_;                      \
            if (needle_[a_] != c_ || (p->group[k_] & ~found) == 0 || (i) < a_ || (i) - a_ + m_ > len) continue; \
            const T *t_ = s + ((i) - a_);                                                           \
            for (j_ = 0; j_ < m_ && (Py_UCS4)t_[j_] == needle_[j_]; j_++) ;                         \
            if (j_ == m_) {                                                                         \
                found |= p->group[k_];                                                              \
                if (first || found == p->all) return found;                                         \
            }                                                                                       \
        }                                                                                           \
    } while (0)

/* Whether s[0:len] contains needle[0:m], compared where its anchor character needle[a] stands (the
   blocks of 16 bytes without it skipped): a guarded needle of Substrings. */
#define FIND_ANCHORED(NAME, T, TMAX, SKIP)                                                          \
static int NAME(const T *s, Py_ssize_t len, const Py_UCS4 *needle, Py_ssize_t m, Py_ssize_t a) {    \
    enum { LANES = 16 / sizeof(T) };                                                                \
    if (needle[a] > (TMAX) || m > len) return 0;                                                    \
    const T anc = (T)needle[a];                                                                     \
    Py_ssize_t i = a, end = len - m + a + 1, j;  /* the anchor stands in s[a:end] */                \
    if (SUBSTRING_SIMD) {                                                                           \
        for (;;) {                                                                                  \
            unsigned mask;                                                                          \
            i = SKIP(s, i, end, &anc, 1, &mask);                                                    \
            if (!mask) break;                                                                       \
            while (mask) {                                                                          \
                int b = SUBSTRING_CTZ(mask);                                                        \
                mask &= ~(((1u << sizeof(T)) - 1) << b);                                            \
                const T *t = s + (i + b / (int)sizeof(T) - a);                                      \
                for (j = 0; j < m && (Py_UCS4)t[j] == needle[j]; j++) ;                             \
                if (j == m) return 1;                                                               \
            }                                                                                       \
            i += LANES;                                                                             \
        }                                                                                           \
    }                                                                                               \
    for (; i < end; i++) {                                                                          \
        if (s[i] != anc) continue;                                                                  \
        for (j = 0; j < m && (Py_UCS4)s[i - a + j] == needle[j]; j++) ;                             \
        if (j == m) return 1;                                                                       \
    }                                                                                               \
    return 0;                                                                                       \
}
FIND_ANCHORED(find_anchored1, Py_UCS1, 0xFFu, skip_blocks1)
FIND_ANCHORED(find_anchored2, Py_UCS2, 0xFFFFu, skip_blocks2)
FIND_ANCHORED(find_anchored4, Py_UCS4, 0x10FFFFu, skip_blocks4)

/* The groups of the needles of p that s[0:len] contains; with `first`, stop at the first needle found.
   With few anchor characters, blocks of 16 bytes that hold none are skipped (SKIP) and only the anchors
   found are compared; an anchor the kind T cannot hold is left out. The tail needles come first: one
   with a window is compared at each start in it, one with a guard only when the last character of the
   text is not in its guard, then where its anchor stands (FIND). */
#define SUBSTRINGS_IN(NAME, T, TMAX, SKIP, FIND)                                                    \
static uint32_t NAME(const SubstringsObject *p, const T *s, Py_ssize_t len, int first) {            \
    enum { LANES = 16 / sizeof(T) };                                                                \
    uint32_t found = 0;                                                                             \
    for (Py_ssize_t q = 0; q < p->ntail; q++) {                                                     \
        Py_ssize_t k = p->tail[q], m = p->at[k + 1] - p->at[k], g;                                  \
        const Py_UCS4 *needle = p->chars + p->at[k];                                                \
        if ((p->group[k] & ~found) == 0) continue;                                                  \
        if (p->guard_at[k + 1] > p->guard_at[k]) {                                                  \
            if (!len) continue;                                                                     \
            for (g = p->guard_at[k]; g < p->guard_at[k + 1] && p->guard[g] != (Py_UCS4)s[len - 1]; g++) ; \
            if (g < p->guard_at[k + 1]) continue;  /* the text ends in a character of the guard */   \
        }                                                                                           \
        int hit = 0;                                                                                \
        if (!p->window[k]) {                                                                        \
            hit = FIND(s, len, needle, m, p->anchor[k]);                                            \
        } else {                                                                                    \
            for (Py_ssize_t st = len > p->window[k] ? len - p->window[k] : 0; !hit && st + m <= len; st++) { \
                Py_ssize_t j;                                                                       \
                for (j = 0; j < m && (Py_UCS4)s[st + j] == needle[j]; j++) ;                        \
                hit = j == m;                                                                       \
            }                                                                                       \
        }                                                                                           \
        if (hit) {                                                                                  \
            found |= p->group[k];                                                                   \
            if (first || found == p->all) return found;                                             \
        }                                                                                           \
    }                                                                                               \
    T anc[SUBSTRING_ANCHORS];                                                                       \
    int na = 0;                                                                                     \
    for (int k = 0; k < p->nanchors; k++)                                                           \
        if (p->anchors[k] <= (TMAX)) anc[na++] = (T)p->anchors[k];                                  \
    if (p->nanchors >= 0 && na == 0) return found;                                                  \
    Py_ssize_t i = 0;                                                                               \
    if (SUBSTRING_SIMD && na) {                                                                     \
        for (;;) {                                                                                  \
            unsigned mask;                                                                          \
            i = SKIP(s, i, len, anc, na, &mask);                                                    \
            if (!mask) break;                                                                       \
            while (mask) {                                                                          \
                int b = SUBSTRING_CTZ(mask);                                                        \
                mask &= ~(((1u << sizeof(T)) - 1) << b);                                            \
                Py_ssize_t at_ = i + b / (int)sizeof(T);                                            \
                SUBSTRINGS_AT(T, at_);                                                              \
            }                                                                                       \
            i += LANES;                                                                             \
        }                                                                                           \
    }                                                                                               \
    for (; i < len; i++) {                                                                          \
        Py_UCS4 c = s[i];                                                                           \
        if (p->bloom[(c & 0xFF) >> 5] & (1u << (c & 31))) SUBSTRINGS_AT(T, i);                       \
    }                                                                                               \
    return found;                                                                                   \
}
SUBSTRINGS_IN(substrings_in1, Py_UCS1, 0xFFu, skip_blocks1, find_anchored1)
SUBSTRINGS_IN(substrings_in2, Py_UCS2, 0xFFFFu, skip_blocks2, find_anchored2)
SUBSTRINGS_IN(substrings_in4, Py_UCS4, 0x10FFFFu, skip_blocks4, find_anchored4)

/* How many characters of s[0:len] are one of chars[0:nchars] (at most SUBSTRING_ANCHORS); the count may stop
   at `limit` or more. */
#define COUNT_CHARS(NAME, T, TMAX, SKIP)                                                            \
static Py_ssize_t NAME(const T *s, Py_ssize_t len, const Py_UCS4 *chars, int nchars, Py_ssize_t limit) { \
    enum { LANES = 16 / sizeof(T) };                                                                \
    T anc[SUBSTRING_ANCHORS];                                                                       \
    int na = 0;                                                                                     \
    for (int k = 0; k < nchars && k < SUBSTRING_ANCHORS; k++)                                       \
        if (chars[k] <= (TMAX)) anc[na++] = (T)chars[k];                                            \
    if (!na) return 0;                                                                              \
    Py_ssize_t i = 0, count = 0;                                                                    \
    if (SUBSTRING_SIMD) {                                                                           \
        for (;;) {                                                                                  \
            unsigned mask;                                                                          \
            i = SKIP(s, i, len, anc, na, &mask);                                                    \
            if (!mask) break;                                                                       \
            count += SUBSTRING_POPCOUNT(mask) / (int)sizeof(T);                                     \
            if (count >= limit) return count;                                                       \
            i += LANES;                                                                             \
        }                                                                                           \
    }                                                                                               \
    for (; i < len; i++)                                                                            \
        for (int k = 0; k < na; k++)                                                                \
            if (s[i] == anc[k]) { count++; break; }                                                 \
    return count;                                                                                   \
}
COUNT_CHARS(count_chars1, Py_UCS1, 0xFFu, skip_blocks1)
COUNT_CHARS(count_chars2, Py_UCS2, 0xFFFFu, skip_blocks2)
COUNT_CHARS(count_chars4, Py_UCS4, 0x10FFFFu, skip_blocks4)

static uint32_t substrings_in(const SubstringsObject *p, PyObject *text, int first) {
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    return kind == PyUnicode_1BYTE_KIND ? substrings_in1(p, (const Py_UCS1 *)data, len, first)
         : kind == PyUnicode_2BYTE_KIND ? substrings_in2(p, (const Py_UCS2 *)data, len, first)
         : substrings_in4(p, (const Py_UCS4 *)data, len, first);
}

/* Substrings.within(text) -> any(needle in text for needle in needles). */
static PyObject *Substrings_within(SubstringsObject *self, PyObject *text) {
    if (!PyUnicode_Check(text)) { PyErr_SetString(PyExc_TypeError, "within() needs a str"); return NULL; }
    return PyBool_FromLong(substrings_in(self, text, 1) != 0);
}

/* Substrings.flags(text) -> the OR of the groups of the needles in text. */
static PyObject *Substrings_flags(SubstringsObject *self, PyObject *text) {
    if (!PyUnicode_Check(text)) { PyErr_SetString(PyExc_TypeError, "flags() needs a str"); return NULL; }
    return PyLong_FromUnsignedLong(substrings_in(self, text, 0));
}

/* Substrings.flags_lines(lines, skip=None, lead=0, lead_bit=0) -> bytes: flags(line) for each line of a list,
   0 for the indexes in `skip` (any container of ints, or None); the first `lead` lines that are not empty
   and not in skip get `lead_bit` too (boilerplate.trim_lines: the head zone). The groups and lead_bit must
   fit in a byte. One call per document instead of one flags() per line: most lines have nothing to cut, and
   the Python call per line cost more than their scan (StripStep's loop over the 55 MB bench corpus, with
   trim_lines: 0.117 s -> 0.079 s). */
static PyObject *Substrings_flags_lines(SubstringsObject *self, PyObject *args) {
    PyObject *lines, *skip = Py_None;
    Py_ssize_t lead = 0, lead_bit = 0;
    if (!PyArg_ParseTuple(args, "O!|Onn", &PyList_Type, &lines, &skip, &lead, &lead_bit)) return NULL;
    if (lead_bit < 0 || ((Py_ssize_t)self->all | lead_bit) > 0xFF) {
        PyErr_SetString(PyExc_ValueError, "flags_lines() needs groups and lead_bit below 256");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(lines);
    PyObject *result = PyBytes_FromStringAndSize(NULL, n);
    if (!result) return NULL;
    unsigned char *out = (unsigned char *)PyBytes_AS_STRING(result);
    int skip_dict = PyDict_CheckExact(skip);
    if (skip_dict && PyDict_GET_SIZE(skip) == 0) skip = Py_None;  /* (nothing to look up per line) */
    for (Py_ssize_t i = 0; i < n; i++) {
        if (skip != Py_None) {
            PyObject *key = PyLong_FromSsize_t(i);
            int skipped = !key ? -1 : skip_dict ? PyDict_Contains(skip, key) : PySequence_Contains(skip, key);
            Py_XDECREF(key);
            if (skipped < 0) goto error;
            if (skipped) { out[i] = 0; continue; }
        }
        if (i >= PyList_GET_SIZE(lines)) {  /* (a container's __contains__ shrank the list) */
            PyErr_SetString(PyExc_RuntimeError, "flags_lines(): the list changed size");
            goto error;
        }
        PyObject *line = PyList_GET_ITEM(lines, i);
        if (!PyUnicode_Check(line)) { PyErr_SetString(PyExc_TypeError, "flags_lines() needs a list of str"); goto error; }
        uint32_t f = substrings_in(self, line, 0);
        if (lead > 0 && PyUnicode_GET_LENGTH(line)) {
            f |= (uint32_t)lead_bit;
            lead--;
        }
        out[i] = (unsigned char)f;
    }
    return result;
error:
    Py_DECREF(result);
    return NULL;
}

static PyMethodDef Substrings_methods[] = {
    {"within", (PyCFunction)Substrings_within, METH_O, "within(text) -> whether text contains one of the needles."},
    {"flags", (PyCFunction)Substrings_flags, METH_O, "flags(text) -> the OR of the groups of the needles text contains."},
    {"flags_lines", (PyCFunction)Substrings_flags_lines, METH_VARARGS,
     "flags_lines(lines, skip=None, lead=0, lead_bit=0) -> bytes: flags(line) per line, 0 for the indexes in skip, "
     "lead_bit added to the first lead non-empty lines not in skip."},
    {NULL, NULL, 0, NULL}
};

static PyTypeObject SubstringsType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "dedupe._native.Substrings",
    .tp_basicsize = sizeof(SubstringsObject),
    .tp_dealloc = (destructor)Substrings_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Needles for Table.prep_lines' substring test, each with the index of its anchor character.",
    .tp_methods = Substrings_methods,
    .tp_init = (initproc)Substrings_init,
    .tp_new = PyType_GenericNew,
};


/* Count of ' ' in text[start:end] (str.count(" ", start, end), with 0 <= start <= end <= len). */
static Py_ssize_t count_spaces(int kind, const void *data, Py_ssize_t start, Py_ssize_t end) {
    Py_ssize_t n = 0;
    if (kind == PyUnicode_1BYTE_KIND) {
        const Py_UCS1 *s = data;
        for (Py_ssize_t i = start; i < end; i++) n += s[i] == ' ';
    } else if (kind == PyUnicode_2BYTE_KIND) {
        const Py_UCS2 *s = data;
        for (Py_ssize_t i = start; i < end; i++) n += s[i] == ' ';
    } else {
        const Py_UCS4 *s = data;
        for (Py_ssize_t i = start; i < end; i++) n += s[i] == ' ';
    }
    return n;
}


/* Table.key's loop for one kind of str into o (room for len * maxmulti code points: no checks), counting
   the spaces it writes in *ksp; o->maxchar is an upper bound below the same powers of two (an OR). Returns 1
   on a bail code point. */
/* One translated code point c of the key loops below (pending, w, nsp, buf, gaps, maxc theirs). */
#define KEY_PUT(c)                                                                                      \
    do {                                                                                                \
        if (is_space(c)) { pending = 1; break; }                                                        \
        if (pending && w) { if (gaps) gaps[nsp] = w; buf[w++] = ' '; nsp++; }                           \
        pending = 0;                                                                                    \
        buf[w++] = (c); maxc |= (c);                                                                    \
    } while (0)

#define KEY_INTO(NAME, T, FAST)                                                                         \
static int NAME(const TableObject *self, const T *s, Py_ssize_t len, Out *o, Py_ssize_t *ksp,          \
                Py_ssize_t *gaps) {                                                                     \
    const int32_t *codes = self->codes;                                                                 \
    const uint16_t *fast = (FAST) ? self->fast16 : NULL;                                                \
    Py_ssize_t ncodes = self->ncodes, w = 0, nsp = 0;                                                   \
    Py_UCS4 *buf = o->buf, maxc = 0;                                                                    \
    int pending = 0;                                                                                    \
    for (Py_ssize_t i = 0; i < len; i++) {                                                              \
        Py_UCS4 ch = s[i];                                                                              \
        if (fast) {                                                                                     \
            uint16_t v = fast[ch];                                                                      \
            if (v == FAST16_SPACE) { pending = 1; continue; }                                           \
            if (v) {                                                                                    \
                if (pending && w) { if (gaps) gaps[nsp] = w; buf[w++] = ' '; nsp++; }                   \
                pending = 0;                                                                            \
                buf[w++] = v; maxc |= v;                                                                \
                continue;                                                                               \
            }                                                                                           \
        }                                                                                               \
        int32_t code = (Py_ssize_t)ch < ncodes ? codes[ch] : (int32_t)ch;                               \
        if (code >= 0) {                                                                                \
            Py_UCS4 c = (Py_UCS4)code;                                                                  \
            KEY_PUT(c);                                                                                 \
        } else if (code == CODE_DELETE) {                                                               \
            continue;                                                                                   \
        } else if (code == CODE_BAIL) {                                                                 \
            return 1;                                                                                   \
        } else {                                                                                        \
            Py_ssize_t m = CODE_MULTI_BASE - code;                                                      \
            for (Py_ssize_t j = self->multi_at[m]; j < self->multi_at[m + 1]; j++) {                    \
                Py_UCS4 c = self->multi[j];                                                             \
                KEY_PUT(c);                                                                             \
            }                                                                                           \
        }                                                                                               \
    }                                                                                                   \
    o->len = w; o->maxchar = maxc; *ksp = nsp;                                                          \
    return 0;                                                                                           \
}
KEY_INTO(key_into, Py_UCS1, 1)
KEY_INTO(key_into2, Py_UCS2, 1)
KEY_INTO(key_into4, Py_UCS4, 0)

/* The key loop of the string kind `kind` (see KEY_INTO; table_fast16 built first). */
static int key_text(const TableObject *self, int kind, const void *data, Py_ssize_t len, Out *o, Py_ssize_t *ksp,
                    Py_ssize_t *gaps) {
    if (kind == PyUnicode_1BYTE_KIND) return key_into(self, (const Py_UCS1 *)data, len, o, ksp, gaps);
    if (kind == PyUnicode_2BYTE_KIND) return key_into2(self, (const Py_UCS2 *)data, len, o, ksp, gaps);
    return key_into4(self, (const Py_UCS4 *)data, len, o, ksp, gaps);
}

/* self->fast16, built on first use; -1 on a memory error. */
static int table_fast16(TableObject *self) {
    if (self->fast16) return 0;
    uint16_t *f = PyMem_Malloc(sizeof(uint16_t) * 0x10000);
    if (!f) { PyErr_NoMemory(); return -1; }
    for (Py_UCS4 ch = 0; ch < 0x10000; ch++) {
        int32_t code = (Py_ssize_t)ch < self->ncodes ? self->codes[ch] : (int32_t)ch;
        if (code < 0 || code >= FAST16_SPACE) f[ch] = 0;          /* the full path: delete, bail, multi, astral */
        else if (is_space((Py_UCS4)code)) f[ch] = FAST16_SPACE;
        else f[ch] = (uint16_t)code;                                /* (0 for a NUL: the full path too) */
    }
    self->fast16 = f;
    return 0;
}

/*
 * prep_lines(lines, keyed_len, long_spaces, phrases=None, substrings=None, marks="", seps=None, gate=None)
 *   -> (spaces, keys, key_spaces, found, hits, marked, menus), with a gate (spaces, keys, key_spaces, found,
 *   hits, marked, menus, judged, filled), or None on a bail code point; the first loop of
 * boilerplate.strip_lines (twin: boilerplate._line_lists):
 *   len(line) < keyed_len: spaces = line.count(" "), key = key(line) if spaces < long_spaces else ""
 *   else: spaces = line.count(" ", 0, keyed_len), plus line.count(" ", keyed_len) when that is < long_spaces;
 *         key = ""
 *   key_spaces = key.count(" ")
 * found: whether a needle of `phrases` is a run of whole words of one of the keys (False without phrases);
 * hits: the indexes of the lines with spaces < long_spaces that contain a needle of `substrings`;
 * marked: how many lines have a first non-whitespace character (str.isspace) in `marks`;
 * menus: with `seps` (at most 16 characters), the indexes of the lines with spaces >= long_spaces that hold
 *   3 or more of its characters and whose key has a needle of `phrases` as a run of whole words (any key
 *   without phrases): the long lines _classify may call a menu;
 * with gate = (cues, first, key_spaces), cues a Substrings:
 * judged: the indexes of the non-empty lines with spaces < long_spaces or in menus, less, when found is
 *   False, the lines a single-line rule cannot take then: spaces < long_spaces, a non-empty key of key_spaces
 *   spaces or more, not in hits, a first non-whitespace character (str.strip) not in `first`, no needle of
 *   `cues` (cues.within(line) False: a guarded needle does not count in a line ending in its guard);
 *   boilerplate._LONG_KEY_CUES says why _classify leaves those lines open;
 * filled: the indexes of the lines with a character that is not whitespace (str.isspace: line.strip() != "").
 * (strip_lines called _classify on 64.3k lines of the 55 MB bench corpus, 40.1k of them such lines, all
 * left open: a Python call each, ~0.8 us, where the gate is a scan of the line here.)
 */
static PyObject *Table_prep_lines(TableObject *self, PyObject *args) {
    PyObject *lines, *phrases = Py_None, *substrings = Py_None, *marks = NULL, *seps = Py_None, *gate = Py_None;
    Py_ssize_t keyed_len, long_spaces;
    if (!PyArg_ParseTuple(args, "Onn|OOUOO", &lines, &keyed_len, &long_spaces, &phrases, &substrings, &marks, &seps,
                          &gate))
        return NULL;
    PyObject *cues_obj = NULL, *first = NULL;  /* the gate (borrowed from its tuple) */
    Py_ssize_t gate_spaces = 0;
    if (gate != Py_None && (!PyTuple_Check(gate)
            || !PyArg_ParseTuple(gate, "O!Un", &SubstringsType, &cues_obj, &first, &gate_spaces))) {
        PyErr_Clear();
        PyErr_SetString(PyExc_TypeError, "prep_lines() needs a gate of (Substrings, str, int), or None");
        return NULL;
    }
    const SubstringsObject *cues = (const SubstringsObject *)cues_obj;
    Py_ssize_t nfirst = first ? PyUnicode_GET_LENGTH(first) : 0;
    Py_UCS4 sepchars[SUBSTRING_ANCHORS];
    int nseps = 0;
    if (seps != Py_None) {
        if (!PyUnicode_Check(seps) || PyUnicode_GET_LENGTH(seps) > SUBSTRING_ANCHORS) {
            PyErr_SetString(PyExc_TypeError, "prep_lines() needs seps of at most 16 characters, or None");
            return NULL;
        }
        nseps = (int)PyUnicode_GET_LENGTH(seps);
        for (int k = 0; k < nseps; k++) sepchars[k] = PyUnicode_READ_CHAR(seps, k);
    }
    if (phrases != Py_None && !PyObject_TypeCheck(phrases, &PhrasesType)) {
        PyErr_SetString(PyExc_TypeError, "prep_lines() needs Phrases or None");
        return NULL;
    }
    if (substrings != Py_None && !PyObject_TypeCheck(substrings, &SubstringsType)) {
        PyErr_SetString(PyExc_TypeError, "prep_lines() needs Substrings or None");
        return NULL;
    }
    const PhrasesObject *ph = phrases == Py_None ? NULL : (const PhrasesObject *)phrases;
    const SubstringsObject *sub = substrings == Py_None ? NULL : (const SubstringsObject *)substrings;
    Py_ssize_t nmarks = marks ? PyUnicode_GET_LENGTH(marks) : 0, marked = 0;
    if (table_fast16(self) < 0) return NULL;
    PyObject *fast = PySequence_Fast(lines, "prep_lines() needs a sequence of str");
    if (!fast) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    PyObject *spaces = PyList_New(n), *keys = PyList_New(n), *key_spaces = PyList_New(n), *empty = PyUnicode_New(0, 0);
    PyObject *hits = PyList_New(0), *menus = PyList_New(0), *judged = NULL, *filled = NULL;
    Out o = {0};
    Py_ssize_t *gaps = NULL, gaps_cap = 0;  /* where the spaces of a key stand (phrases_in_key) */
    /* with a gate, per line: LINE_JUDGED, LINE_OPEN (a judged line the gate passed), LINE_FILLED */
    enum { LINE_JUDGED = 1, LINE_OPEN = 2, LINE_FILLED = 4 };
    unsigned char *state = cues ? PyMem_Malloc(n ? n : 1) : NULL;
    Py_ssize_t njudged = 0, nopen = 0, nfilled = 0;
    int found = 0;
    if (!spaces || !keys || !key_spaces || !empty || !hits || !menus || out_init(&o, 256) < 0) goto error;
    if (cues && !state) { PyErr_NoMemory(); goto error; }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *line = PySequence_Fast_GET_ITEM(fast, i);
        if (!PyUnicode_Check(line)) { PyErr_SetString(PyExc_TypeError, "prep_lines() needs a sequence of str"); goto error; }
        int kind = PyUnicode_KIND(line);
        const void *data = PyUnicode_DATA(line);
        Py_ssize_t len = PyUnicode_GET_LENGTH(line), sp, ksp = 0;
        int footer = 0, menu = 0;
        PyObject *key;
        if (len < keyed_len) {
            sp = count_spaces(kind, data, 0, len);
        } else {
            sp = count_spaces(kind, data, 0, keyed_len < 0 ? 0 : keyed_len);
            if (sp < long_spaces) sp += count_spaces(kind, data, keyed_len < 0 ? 0 : keyed_len, len);
        }
        Py_ssize_t lead = 0;  /* the first character that is not whitespace (len: none) */
        if (nmarks || cues) {
            while (lead < len && is_space(PyUnicode_READ(kind, data, lead))) lead++;
            if (nmarks && lead < len && PyUnicode_FindChar(marks, PyUnicode_READ(kind, data, lead), 0, nmarks, 1) >= 0)
                marked++;
        }
        if (sub && sp < long_spaces) {
            if ((footer = substrings_in(sub, line, 1) != 0)) {
                PyObject *k = PyLong_FromSsize_t(i);
                if (!k || PyList_Append(hits, k) < 0) { Py_XDECREF(k); goto error; }
                Py_DECREF(k);
            }
        }
        if (nseps && sp >= long_spaces) {
            Py_ssize_t nsep = kind == PyUnicode_1BYTE_KIND ? count_chars1((const Py_UCS1 *)data, len, sepchars, nseps, 3)
                            : kind == PyUnicode_2BYTE_KIND ? count_chars2((const Py_UCS2 *)data, len, sepchars, nseps, 3)
                            : count_chars4((const Py_UCS4 *)data, len, sepchars, nseps, 3);
            if (nsep >= 3) {
                if (len * self->maxmulti > o.cap) {
                    Py_ssize_t cap = len * self->maxmulti;
                    Py_UCS4 *nb = PyMem_Realloc(o.buf, sizeof(Py_UCS4) * cap);
                    if (!nb) { PyErr_NoMemory(); goto error; }
                    o.buf = nb; o.cap = cap;
                }
                Py_ssize_t unused;
                if (key_text(self, kind, data, len, &o, &unused, NULL)) goto bailed;
                if (!ph || phrases_in_key(ph, o.buf, o.len, NULL, 0)) {
                    PyObject *k = PyLong_FromSsize_t(i);
                    if (!k || PyList_Append(menus, k) < 0) { Py_XDECREF(k); goto error; }
                    Py_DECREF(k);
                    menu = 1;
                }
            }
        }
        if (len < keyed_len && sp < long_spaces) {
            if (len * self->maxmulti > o.cap) {  /* room for every code point the line can key to */
                Py_ssize_t cap = len * self->maxmulti;
                Py_UCS4 *nb = PyMem_Realloc(o.buf, sizeof(Py_UCS4) * cap);
                if (!nb) { PyErr_NoMemory(); goto error; }
                o.buf = nb; o.cap = cap;
            }
            if (len * self->maxmulti > gaps_cap || !gaps) {  /* (a space per code point at most) */
                Py_ssize_t cap = len * self->maxmulti > 256 ? len * self->maxmulti : 256;
                Py_ssize_t *ng = PyMem_Realloc(gaps, sizeof(Py_ssize_t) * cap);
                if (!ng) { PyErr_NoMemory(); goto error; }
                gaps = ng; gaps_cap = cap;
            }
            if (key_text(self, kind, data, len, &o, &ksp, gaps)) goto bailed;
            if (ph && !found && o.len) found = phrases_in_key(ph, o.buf, o.len, gaps, ksp);
            key = o.len ? out_str(&o) : Py_NewRef(empty);
            if (!key) goto error;
        } else {
            key = Py_NewRef(empty);
        }
        if (cues) {
            /* the gate's tests cheapest first; none once a key had a phrase (every judged line is judged then) */
            unsigned char st = 0;
            if (len && (sp < long_spaces || menu)) {
                st = LINE_JUDGED;
                njudged++;
                if (!found && sp < long_spaces && key != empty && ksp >= gate_spaces && !footer && lead < len
                        && PyUnicode_FindChar(first, PyUnicode_READ(kind, data, lead), 0, nfirst, 1) < 0
                        && !substrings_in(cues, line, 1)) {
                    st |= LINE_OPEN;
                    nopen++;
                }
            }
            if (lead < len) { st |= LINE_FILLED; nfilled++; }
            state[i] = st;
        }
        PyList_SET_ITEM(keys, i, key);
        PyObject *a = PyLong_FromSsize_t(sp), *b = PyLong_FromSsize_t(ksp);
        if (!a || !b) { Py_XDECREF(a); Py_XDECREF(b); goto error; }
        PyList_SET_ITEM(spaces, i, a);
        PyList_SET_ITEM(key_spaces, i, b);
    }
    if (cues) {
        /* the open lines are only left out when no key has a phrase (found is final now) */
        unsigned char skip = found ? 0 : LINE_OPEN;
        judged = PyList_New(njudged - (found ? 0 : nopen));
        filled = PyList_New(nfilled);
        if (!judged || !filled) goto error;
        Py_ssize_t a = 0, b = 0;
        for (Py_ssize_t i = 0; i < n; i++) {
            unsigned char st = state[i];
            if ((st & LINE_JUDGED) && !(st & skip)) {
                PyObject *k = PyLong_FromSsize_t(i);
                if (!k) goto error;
                PyList_SET_ITEM(judged, a++, k);
            }
            if (st & LINE_FILLED) {
                PyObject *k = PyLong_FromSsize_t(i);
                if (!k) goto error;
                PyList_SET_ITEM(filled, b++, k);
            }
        }
    }
    Py_DECREF(fast);
    Py_DECREF(empty);
    PyMem_Free(o.buf);
    PyMem_Free(gaps);
    PyMem_Free(state);
    if (cues)
        return Py_BuildValue("(NNNONnNNN)", spaces, keys, key_spaces, found ? Py_True : Py_False, hits, marked, menus,
                             judged, filled);
    return Py_BuildValue("(NNNONnN)", spaces, keys, key_spaces, found ? Py_True : Py_False, hits, marked, menus);
bailed:
    PyMem_Free(gaps);
    PyMem_Free(state);
    Py_DECREF(fast);
    Py_DECREF(spaces); Py_DECREF(keys); Py_DECREF(key_spaces); Py_DECREF(empty); Py_DECREF(hits); Py_DECREF(menus);
    PyMem_Free(o.buf);
    Py_RETURN_NONE;
error:
    Py_DECREF(fast);
    Py_XDECREF(spaces); Py_XDECREF(keys); Py_XDECREF(key_spaces); Py_XDECREF(empty); Py_XDECREF(hits);
    Py_XDECREF(menus); Py_XDECREF(judged); Py_XDECREF(filled);
    PyMem_Free(o.buf);
    PyMem_Free(gaps);
    PyMem_Free(state);
    return NULL;
}

/* has_phrase(text, phrases) -> whether a needle of `phrases` is a run of whole words of key(text); None on a
   bail code point (twin: boilerplate._PHRASE_RE.search(f" {key} ") is not None). */
static PyObject *Table_has_phrase(TableObject *self, PyObject *args) {
    PyObject *text, *phrases;
    if (!PyArg_ParseTuple(args, "UO!", &text, &PhrasesType, &phrases)) return NULL;
    if (table_fast16(self) < 0) return NULL;
    Py_ssize_t len = PyUnicode_GET_LENGTH(text), ksp;
    Out o;
    if (out_init(&o, len * self->maxmulti) < 0) return NULL;
    int bail = key_text(self, PyUnicode_KIND(text), PyUnicode_DATA(text), len, &o, &ksp, NULL);
    int found = !bail && phrases_in_key((const PhrasesObject *)phrases, o.buf, o.len, NULL, 0);
    PyMem_Free(o.buf);
    if (bail) Py_RETURN_NONE;
    return PyBool_FromLong(found);
}

static PyMethodDef Table_methods[] = {
    {"key", (PyCFunction)Table_key, METH_O, "Translated text, split on whitespace, joined by one space; None on a bail codepoint."},
    {"hashes", (PyCFunction)Table_hashes, METH_O, "Packed native uint64 xxh3_64 of each token of key(text); None on a bail codepoint."},
    {"hashes_lines", (PyCFunction)Table_hashes_lines, METH_VARARGS,
     "hashes_lines(lines, skip=None) -> [hashes(line) for each line], b'' for the indexes in skip."},
    {"clean", (PyCFunction)Table_clean, METH_VARARGS,
     "clean(text, lone=-1, dash=-1, watch=-1) -> (text with CR and CRLF as LF, a lone run of `lone` as `dash`, "
     "translated, spaces and blank lines tidied and marks in canonical order; whether NFC may still change it; "
     "whether it has `watch`), or None on a bail codepoint."},
    {"prep_lines", (PyCFunction)Table_prep_lines, METH_VARARGS,
     "prep_lines(lines, keyed_len, long_spaces, phrases=None, substrings=None, marks='', seps=None, gate=None) -> "
     "(spaces, keys, key_spaces, found, hits, marked, menus), and judged, filled with a gate: the first loop of "
     "boilerplate.strip_lines and its searches; None on a bail codepoint."},
    {"has_phrase", (PyCFunction)Table_has_phrase, METH_VARARGS,
     "has_phrase(text, phrases) -> whether a needle of phrases is a run of whole words of key(text); "
     "None on a bail codepoint."},
    {NULL, NULL, 0, NULL}
};

static PyTypeObject TableType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "dedupe._native.Table",
    .tp_basicsize = sizeof(TableObject),
    .tp_dealloc = (destructor)Table_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Per-codepoint translation table with fused whitespace handling and token hashing.",
    .tp_methods = Table_methods,
    .tp_init = (initproc)Table_init,
    .tp_new = PyType_GenericNew,
};

/* ---- MinHash ---------------------------------------------------------------- */

static inline uint32_t fmix32(uint32_t h) {
    h ^= h >> 16; h *= 0x85EBCA6Bu; h ^= h >> 13; h *= 0xC2B2AE35u; h ^= h >> 16;
    return h;
}

#define BLOCK 64

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
static void minhash_block(const uint32_t *hv, Py_ssize_t nh, const uint32_t *a, const uint32_t *b,
                          uint32_t *sig, Py_ssize_t np_) {
    for (Py_ssize_t p = 0; p < np_; p += BLOCK) {
        Py_ssize_t w = np_ - p < BLOCK ? np_ - p : BLOCK;
        uint32_t acc[BLOCK];
        for (Py_ssize_t q = 0; q < w; q++) acc[q] = sig[p + q];
        for (Py_ssize_t i = 0; i < nh; i++) {
            uint32_t h = hv[i];
            for (Py_ssize_t q = 0; q < w; q++) {
                uint32_t v = a[p + q] * h + b[p + q];
                acc[q] = v < acc[q] ? v : acc[q];
            }
        }
        for (Py_ssize_t q = 0; q < w; q++) sig[p + q] = acc[q];
    }
}

static PyObject *minhash_update(PyObject *mod, PyObject *args) {
    Py_buffer sh, a, b, sig;
    if (!PyArg_ParseTuple(args, "y*y*y*w*", &sh, &a, &b, &sig)) return NULL;
    PyObject *result = NULL;
    Py_ssize_t nsh = sh.len / 4, np_ = a.len / 4;
    if (sh.len % 4 || a.len % 4 || b.len != a.len || sig.len != a.len) {
        PyErr_SetString(PyExc_ValueError, "minhash_update needs uint32 buffers with len(a) == len(b) == len(sig)");
        goto done;
    }
    {
        uint32_t hv[1024];
        const uint32_t *src = sh.buf;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t start = 0; start < nsh; start += 1024) {
            Py_ssize_t n = nsh - start < 1024 ? nsh - start : 1024;
            for (Py_ssize_t i = 0; i < n; i++) hv[i] = fmix32(src[start + i]);
            minhash_block(hv, n, a.buf, b.buf, sig.buf, np_);
        }
        Py_END_ALLOW_THREADS
    }
    Py_INCREF(Py_None);
    result = Py_None;
done:
    PyBuffer_Release(&sh); PyBuffer_Release(&a); PyBuffer_Release(&b); PyBuffer_Release(&sig);
    return result;
}

/* The segment ends of a batch call (minhash_batch, sorted_unique_batch): `obj`, a sequence of non-decreasing ints
   at most `limit`, as a new PyMem array in *ends (one slot at least) with its length in *n and the longest segment
   in *longest. -1 with an exception (nothing to free). */
static int parse_ends(PyObject *obj, Py_ssize_t limit, const char *name, Py_ssize_t **ends, Py_ssize_t *n,
                      Py_ssize_t *longest) {
    PyObject *seq = PySequence_Fast(obj, "a batch call needs a sequence of segment ends");
    if (!seq) return -1;
    Py_ssize_t count = PySequence_Fast_GET_SIZE(seq), prev = 0, most = 0;
    Py_ssize_t *out = PyMem_Malloc((size_t)(count ? count : 1) * sizeof(Py_ssize_t));
    if (!out) {
        Py_DECREF(seq);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t k = 0; k < count; k++) {
        Py_ssize_t e = PyLong_AsSsize_t(PySequence_Fast_GET_ITEM(seq, k));
        if (e == -1 && PyErr_Occurred()) goto fail;
        if (e < prev || e > limit) {
            PyErr_Format(PyExc_ValueError, "%s: ends must be non-decreasing and within the values", name);
            goto fail;
        }
        if (e - prev > most) most = e - prev;
        out[k] = prev = e;
    }
    Py_DECREF(seq);
    *ends = out;
    *n = count;
    *longest = most;
    return 0;
fail:
    Py_DECREF(seq);
    PyMem_Free(out);
    return -1;
}

/*
 * minhash_batch(flat, ends, a, b) -> bytes: the MinHash signatures of several documents, len(ends) rows of
 *   len(a) uint32 values one after the other. Document k's shingles are flat[ends[k - 1]:ends[k]] (from 0 for
 *   the first; flat: uint32 buffer, ends: non-decreasing ints); its row is minhash_update of them over a row of
 *   0xFFFFFFFF (a document without shingles keeps that row). One call per batch instead of one per document.
 */
static PyObject *minhash_batch(PyObject *mod, PyObject *args) {
    Py_buffer sh, a, b;
    PyObject *ends_obj;
    if (!PyArg_ParseTuple(args, "y*Oy*y*", &sh, &ends_obj, &a, &b)) return NULL;
    PyObject *result = NULL;
    Py_ssize_t *ends = NULL, ndocs = 0, longest = 0;
    Py_ssize_t nsh = sh.len / 4, np_ = a.len / 4;
    if (sh.len % 4 || a.len % 4 || b.len != a.len) {
        PyErr_SetString(PyExc_ValueError, "minhash_batch needs uint32 buffers with len(a) == len(b)");
        goto done;
    }
    if (parse_ends(ends_obj, nsh, "minhash_batch", &ends, &ndocs, &longest) < 0) goto done;
    if (ndocs > PY_SSIZE_T_MAX / 4 / (np_ ? np_ : 1)) { PyErr_NoMemory(); goto done; }
    result = PyBytes_FromStringAndSize(NULL, ndocs * np_ * 4);
    if (!result) goto done;
    {
        uint32_t *out = (uint32_t *)PyBytes_AS_STRING(result);
        const uint32_t *src = sh.buf;
        uint32_t hv[1024];
        Py_BEGIN_ALLOW_THREADS
        memset(out, 0xFF, (size_t)(ndocs * np_) * 4);
        Py_ssize_t start = 0;
        for (Py_ssize_t k = 0; k < ndocs; k++) {
            uint32_t *sig = out + k * np_;
            for (Py_ssize_t at = start; at < ends[k]; at += 1024) {
                Py_ssize_t n = ends[k] - at < 1024 ? ends[k] - at : 1024;
                for (Py_ssize_t i = 0; i < n; i++) hv[i] = fmix32(src[at + i]);
                minhash_block(hv, n, a.buf, b.buf, sig, np_);
            }
            start = ends[k];
        }
        Py_END_ALLOW_THREADS
    }
done:
    PyMem_Free(ends);
    PyBuffer_Release(&sh); PyBuffer_Release(&a); PyBuffer_Release(&b);
    return result;
}

/* dense_codes(size, codepoints, codes) -> bytes: int32 table t of `size` entries, t[c] = c except
   t[codepoints[i]] = codes[i] (both int32 buffers of one length; codepoints past size are skipped). */
static PyObject *dense_codes(PyObject *mod, PyObject *args) {
    Py_ssize_t size;
    Py_buffer cps, vals;
    if (!PyArg_ParseTuple(args, "ny*y*", &size, &cps, &vals)) return NULL;
    PyObject *result = NULL;
    if (size < 0 || size > (PY_SSIZE_T_MAX / 4) || cps.len % 4 || cps.len != vals.len) {
        PyErr_SetString(PyExc_ValueError, "dense_codes needs a size >= 0 and two int32 buffers of one length");
        goto done;
    }
    result = PyBytes_FromStringAndSize(NULL, size * 4);
    if (!result) goto done;
    {
        int32_t *t = (int32_t *)PyBytes_AS_STRING(result);
        for (Py_ssize_t c = 0; c < size; c++) t[c] = (int32_t)c;
        const int32_t *cp = cps.buf, *v = vals.buf;
        for (Py_ssize_t i = 0; i < cps.len / 4; i++)
            if (cp[i] >= 0 && cp[i] < size) t[cp[i]] = v[i];
    }
done:
    PyBuffer_Release(&cps); PyBuffer_Release(&vals);
    return result;
}

/* ---- sorted unique shingle sets (twin: dedupe.sketch.minhash.sorted_unique_segments) ---- */

static int cmp_u32(const void *x, const void *y) {
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}

static void insertion_u32(uint32_t *a, Py_ssize_t n) {
    for (Py_ssize_t i = 1; i < n; i++) {
        uint32_t v = a[i];
        Py_ssize_t j = i;
        while (j > 0 && a[j - 1] > v) { a[j] = a[j - 1]; j--; }
        a[j] = v;
    }
}

/* Sorts src[0:n] into dst (n values; src is left as it was). Shingle hashes are spread evenly over 32 bits, so
   one counting pass on the top bits (about one bucket per two values) leaves buckets of a few values, finished
   by insertion sort; a bucket that is not small (equal or clustered values) goes to qsort. count: 2**bits + 1. */
static void sort_u32(const uint32_t *src, uint32_t *dst, Py_ssize_t n, Py_ssize_t *count) {
    if (n <= 32) {
        memcpy(dst, src, (size_t)n * 4);
        insertion_u32(dst, n);
        return;
    }
    int bits = 1;
    while (bits < 16 && ((Py_ssize_t)1 << (bits + 1)) <= n) bits++;
    Py_ssize_t nb = (Py_ssize_t)1 << bits;
    int shift = 32 - bits;
    memset(count, 0, (size_t)(nb + 1) * sizeof(Py_ssize_t));
    for (Py_ssize_t i = 0; i < n; i++) count[(src[i] >> shift) + 1]++;
    for (Py_ssize_t b = 0; b < nb; b++) count[b + 1] += count[b];
    /* count[b] is where bucket b starts; scattering moves it to where bucket b ends */
    for (Py_ssize_t i = 0; i < n; i++) dst[count[src[i] >> shift]++] = src[i];
    Py_ssize_t start = 0;
    for (Py_ssize_t b = 0; b < nb; b++) {
        Py_ssize_t end = count[b], len = end - start;
        if (len > 48) qsort(dst + start, (size_t)len, 4, cmp_u32);
        else if (len > 1) insertion_u32(dst + start, len);
        start = end;
    }
}

/*
 * sorted_unique_batch(flat, ends) -> (bytes, ends): each segment of flat (uint32; segment k is
 *   flat[ends[k - 1]:ends[k]], from 0 for the first) sorted with its repeats dropped, the segments one after the
 *   other as uint32 bytes, and where each ends in them. flat is not changed.
 */
static PyObject *sorted_unique_batch(PyObject *mod, PyObject *args) {
    Py_buffer sh;
    PyObject *ends_obj;
    if (!PyArg_ParseTuple(args, "y*O", &sh, &ends_obj)) return NULL;
    PyObject *result = NULL, *out = NULL, *out_ends = NULL;
    Py_ssize_t *ends = NULL, *count = NULL, ndocs = 0, longest = 0;
    uint32_t *tmp = NULL;
    Py_ssize_t nsh = sh.len / 4;
    if (sh.len % 4) {
        PyErr_SetString(PyExc_ValueError, "sorted_unique_batch needs a uint32 buffer");
        goto done;
    }
    if (parse_ends(ends_obj, nsh, "sorted_unique_batch", &ends, &ndocs, &longest) < 0) goto done;
    out = PyBytes_FromStringAndSize(NULL, nsh * 4);
    tmp = PyMem_Malloc((size_t)(longest ? longest : 1) * 4);
    count = PyMem_Malloc(((size_t)1 << 16 | 1) * sizeof(Py_ssize_t));
    if (!out || !tmp || !count) { if (out) PyErr_NoMemory(); goto done; }
    Py_ssize_t total = 0;
    {
        uint32_t *dst = (uint32_t *)PyBytes_AS_STRING(out);
        const uint32_t *src = sh.buf;
        Py_BEGIN_ALLOW_THREADS
        Py_ssize_t start = 0;
        for (Py_ssize_t k = 0; k < ndocs; k++) {
            Py_ssize_t n = ends[k] - start;
            if (n) {
                sort_u32(src + start, tmp, n, count);
                dst[total++] = tmp[0];
                for (Py_ssize_t i = 1; i < n; i++)
                    if (tmp[i] != tmp[i - 1]) dst[total++] = tmp[i];
            }
            ends[k] = total;
            start += n;
        }
        Py_END_ALLOW_THREADS
    }
    if (_PyBytes_Resize(&out, total * 4) < 0) goto done;  /* (frees out on failure) */
    out_ends = PyList_New(ndocs);
    if (!out_ends) goto done;
    for (Py_ssize_t k = 0; k < ndocs; k++) {
        PyObject *v = PyLong_FromSsize_t(ends[k]);
        if (!v) goto done;
        PyList_SET_ITEM(out_ends, k, v);
    }
    result = PyTuple_Pack(2, out, out_ends);
done:
    PyMem_Free(ends); PyMem_Free(tmp); PyMem_Free(count);
    Py_XDECREF(out); Py_XDECREF(out_ends);
    PyBuffer_Release(&sh);
    return result;
}

static PyObject *shingles(PyObject *mod, PyObject *args) {
    Py_buffer tok, mix;
    Py_ssize_t ngram;
    if (!PyArg_ParseTuple(args, "y*ny*", &tok, &ngram, &mix)) return NULL;
    PyObject *result = NULL;
    Py_ssize_t n = tok.len / 8, nmix = mix.len / 8;
    if (tok.len % 8 || mix.len % 8 || ngram < 1 || ngram > nmix) {
        PyErr_SetString(PyExc_ValueError, "shingles needs uint64 tokens and 1 <= ngram <= len(mix)");
        goto done;
    }
    {
        Py_ssize_t k = ngram < n ? ngram : n;
        Py_ssize_t width = n ? n - k + 1 : 0;
        result = PyBytes_FromStringAndSize(NULL, width * 4);
        if (!result) goto done;
        uint32_t *out = (uint32_t *)PyBytes_AS_STRING(result);
        const uint64_t *t = tok.buf, *m = mix.buf;
        for (Py_ssize_t i = 0; i < width; i++) {
            uint64_t acc = 0;
            for (Py_ssize_t j = 0; j < k; j++) acc += t[i + j] * m[j];
            out[i] = (uint32_t)((acc >> 32) ^ acc);
        }
    }
done:
    PyBuffer_Release(&tok); PyBuffer_Release(&mix);
    return result;
}

/* ---- may_repeat: pre-check of in-document repeats (twin: dedupe.text.paragraphs.may_repeat) ---- */

/* A bigram hash -> the last paragraph that had it and whether an earlier paragraph had it too; last < 0: free. */
typedef struct { uint64_t key; int32_t last; int32_t shared; } GramEntry;

static inline GramEntry *gram_slot(GramEntry *t, size_t mask, uint64_t g) {
    size_t i = (size_t)(g ^ (g >> 29)) * 0x9E3779B97F4A7C15ull >> 7 & mask;
    while (t[i].last >= 0 && t[i].key != g) i = (i + 1) & mask;
    return &t[i];
}

/* A whole line (its packed tokens) in the exact-repeat table; NULL: free. */
typedef struct { const char *buf; Py_ssize_t len; } LineEntry;

/* Whether an equal line is already in the table (else it is added). The slot hash mixes every token
   (lines that differ in one middle token must not share a probe chain); equality is checked on all bytes. */
static inline int line_seen(LineEntry *t, size_t mask, const char *buf, Py_ssize_t len) {
    /* (the tokens are xxh3 hashes already: two running sums, the second one order-dependent, keep the
       loop free of a multiply chain; one mix at the end) */
    uint64_t s1 = 0, s2 = 0;
    for (Py_ssize_t k = 0; k < len; k += 8) {
        uint64_t tok;
        memcpy(&tok, buf + k, 8);
        s1 += tok;
        s2 += s1;
    }
    uint64_t h = (s1 ^ (s2 << 32 | s2 >> 32) ^ (uint64_t)len) * 0x9E3779B97F4A7C15ull;
    size_t i = (size_t)(h ^ (h >> 29)) & mask;
    while (t[i].buf) {
        if (t[i].len == len && memcmp(t[i].buf, buf, (size_t)len) == 0) return 1;
        i = (i + 1) & mask;
    }
    t[i].buf = buf;
    t[i].len = len;
    return 0;
}

/*
 * may_repeat(lines, min_tokens, containment) -> bool (twin: dedupe.text.paragraphs.may_repeat)
 *   True when two non-empty lines are equal, or when some line of at least min_tokens tokens has
 *   shared >= containment * distinct, where distinct counts its distinct bigram hashes
 *   (tok[k] * 0x9E3779B97F4A7C15 + tok[k + 1], uint64) and shared those of them that another such
 *   line has too. Equal lines are looked for first; then one pass fills a table of the bigram hashes
 *   (noting each line's distinct ones) and a second pass over those notes counts the shared ones.
 */
static PyObject *may_repeat(PyObject *mod, PyObject *args) {
    PyObject *lines;
    Py_ssize_t min_tokens;
    double containment;
    if (!PyArg_ParseTuple(args, "O!nd", &PyList_Type, &lines, &min_tokens, &containment)) return NULL;
    Py_ssize_t n = PyList_GET_SIZE(lines), nfull = 0, nlong = 0, ngrams = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *b = PyList_GET_ITEM(lines, i);
        if (!PyBytes_Check(b) || PyBytes_GET_SIZE(b) % 8) {
            PyErr_SetString(PyExc_TypeError, "may_repeat needs a list of packed uint64 bytes");
            return NULL;
        }
        Py_ssize_t len = PyBytes_GET_SIZE(b) / 8;
        if (!len) continue;
        nfull++;
        if (len >= min_tokens) { nlong++; ngrams += len - 1; }
    }
    if (nfull < 2) Py_RETURN_FALSE;
    if (nlong > INT32_MAX - 1) { PyErr_SetString(PyExc_OverflowError, "too many lines"); return NULL; }
    /* exact repeats first: no bigram table for a document that has one */
    size_t lcap = 16;
    while (lcap < (size_t)nfull * 2) lcap <<= 1;
    LineEntry *seen = PyMem_Calloc(lcap, sizeof(LineEntry));
    if (!seen) return PyErr_NoMemory();
    int found = 0;
    for (Py_ssize_t i = 0; i < n && !found; i++) {
        PyObject *b = PyList_GET_ITEM(lines, i);
        if (PyBytes_GET_SIZE(b)) found = line_seen(seen, lcap - 1, PyBytes_AS_STRING(b), PyBytes_GET_SIZE(b));
    }
    PyMem_Free(seen);
    if (found) Py_RETURN_TRUE;
    if (nlong < 2) Py_RETURN_FALSE;
    size_t cap = 16;
    while (cap < (size_t)ngrams * 2) cap <<= 1;
    GramEntry *t = PyMem_Malloc(sizeof(GramEntry) * cap);
    /* per long line, its distinct bigrams' slots (at most len - 1 each), and where each line's end */
    Py_ssize_t *slots = PyMem_Malloc(sizeof(Py_ssize_t) * (ngrams ? ngrams : 1));
    Py_ssize_t *ends = PyMem_Malloc(sizeof(Py_ssize_t) * nlong);
    if (!t || !slots || !ends) {
        PyMem_Free(t); PyMem_Free(slots); PyMem_Free(ends);
        return PyErr_NoMemory();
    }
    memset(t, 0xFF, sizeof(GramEntry) * cap);  /* last = -1: free */
    const uint64_t mix = 0x9E3779B97F4A7C15ull;
    const size_t mask = cap - 1;
    Py_ssize_t nslots = 0;
    int32_t p = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *b = PyList_GET_ITEM(lines, i);
        Py_ssize_t len = PyBytes_GET_SIZE(b) / 8;
        if (len < min_tokens || !len) continue;
        const uint64_t *tok = (const uint64_t *)PyBytes_AS_STRING(b);
        for (Py_ssize_t k = 0; k + 1 < len; k++) {
            GramEntry *e = gram_slot(t, mask, tok[k] * mix + tok[k + 1]);
            if (e->last < 0) { e->key = tok[k] * mix + tok[k + 1]; e->last = p; e->shared = 0; slots[nslots++] = e - t; }
            else if (e->last != p) { e->shared = 1; e->last = p; slots[nslots++] = e - t; }
        }
        ends[p++] = nslots;
    }
    Py_ssize_t from = 0;
    for (int32_t q = 0; q < p && !found; q++) {
        Py_ssize_t distinct = ends[q] - from, shared = 0;
        for (Py_ssize_t k = from; k < ends[q]; k++) shared += t[slots[k]].shared;
        if ((double)shared >= containment * (double)distinct) found = 1;
        from = ends[q];
    }
    PyMem_Free(t); PyMem_Free(slots); PyMem_Free(ends);
    if (found) Py_RETURN_TRUE;
    Py_RETURN_FALSE;
}

/* ---- near_pairs: the near-repeat candidates of dedupe.text.paragraphs (twin: _LiveParagraphs) ---- */

typedef struct { uint64_t a, b; int32_t id; } PairSlot;  /* a distinct bigram (a, b) -> its number */
typedef struct { int32_t para, next; } Posting;          /* a paragraph holding the bigram, the next one */

/*
 * near_pairs(lines, min_tokens, containment, length_share) -> (sizes, pairs)
 *   lines: packed uint64 token hashes per paragraph (bytes or any contiguous buffer, e.g. unpack()'s memoryview).
 *   sizes[i]: the number of distinct bigrams (pairs of consecutive tokens) of line i when it has at least
 *             min_tokens tokens, else 0.
 *   pairs: {i: [(j, n), ...]}: for each such line i, every earlier such line j (j < i) where n, the number
 *          of bigrams i and j share, satisfies n >= containment * small and small >= length_share * large
 *          (small, large: the two sizes), in doubles as Python computes them. Lines with no pair are left out.
 * The bigrams are compared exactly (both tokens), like the Python sets of token tuples.
 */
static PyObject *near_pairs(PyObject *mod, PyObject *args) {
    PyObject *lines;
    Py_ssize_t min_tokens;
    double containment, length_share;
    if (!PyArg_ParseTuple(args, "O!ndd", &PyList_Type, &lines, &min_tokens, &containment, &length_share)) return NULL;
    if (min_tokens < 2) { PyErr_SetString(PyExc_ValueError, "near_pairs needs min_tokens >= 2"); return NULL; }
    Py_ssize_t n = PyList_GET_SIZE(lines), nviews = 0;
    PyObject *result = NULL, *sizes = NULL, *pairs = NULL;
    Py_buffer *views = PyMem_Calloc(n ? n : 1, sizeof(Py_buffer));
    int32_t *size = PyMem_Calloc(n ? n : 1, sizeof(int32_t));
    int32_t *count = PyMem_Calloc(n ? n : 1, sizeof(int32_t));
    int32_t *touched = PyMem_Malloc(sizeof(int32_t) * (n ? n : 1));
    PairSlot *table = NULL;
    int32_t *last = NULL, *head = NULL, *ids = NULL;
    Posting *post = NULL;
    if (!views || !size || !count || !touched) { PyErr_NoMemory(); goto done; }
    if (n > INT32_MAX) { PyErr_SetString(PyExc_OverflowError, "too many lines"); goto done; }
    Py_ssize_t nbigrams = 0, longest = 0;
    for (; nviews < n; nviews++) {
        if (PyObject_GetBuffer(PyList_GET_ITEM(lines, nviews), &views[nviews], PyBUF_SIMPLE) < 0) goto done;
        Py_ssize_t len = views[nviews].len;
        if (len % 8) { nviews++; PyErr_SetString(PyExc_ValueError, "near_pairs needs packed uint64 lines"); goto done; }
        len /= 8;
        if (len >= min_tokens) { nbigrams += len - 1; if (len - 1 > longest) longest = len - 1; }
    }
    if (nbigrams > INT32_MAX / 2) { PyErr_SetString(PyExc_OverflowError, "too many bigrams"); goto done; }
    size_t cap = 16;
    while (cap < (size_t)nbigrams * 2) cap <<= 1;
    table = PyMem_Malloc(sizeof(PairSlot) * cap);
    last = PyMem_Malloc(sizeof(int32_t) * (nbigrams ? nbigrams : 1));   /* per bigram: the last line that had it */
    head = PyMem_Malloc(sizeof(int32_t) * (nbigrams ? nbigrams : 1));   /* per bigram: its first posting, or -1 */
    post = PyMem_Malloc(sizeof(Posting) * (nbigrams ? nbigrams : 1));
    ids = PyMem_Malloc(sizeof(int32_t) * (longest ? longest : 1));      /* the distinct bigrams of one line */
    if (!table || !last || !head || !post || !ids) { PyErr_NoMemory(); goto done; }
    for (size_t k = 0; k < cap; k++) table[k].id = -1;
    sizes = PyList_New(n);
    pairs = PyDict_New();
    if (!sizes || !pairs) goto done;
    int32_t nids = 0, nposts = 0;
    const size_t mask = cap - 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t len = views[i].len / 8;
        int32_t distinct = 0;
        if (len >= min_tokens) {
            const uint64_t *tok = views[i].buf;
            for (Py_ssize_t k = 0; k + 1 < len; k++) {
                uint64_t a = tok[k], b = tok[k + 1];
                size_t h = (size_t)((a * 0x9E3779B97F4A7C15ull + b) * 0xC2B2AE3D27D4EB4Full >> 17) & mask;
                while (table[h].id >= 0 && (table[h].a != a || table[h].b != b)) h = (h + 1) & mask;
                PairSlot *e = &table[h];
                if (e->id < 0) { e->a = a; e->b = b; e->id = nids; last[nids] = -1; head[nids] = -1; nids++; }
                if (last[e->id] != (int32_t)i) { last[e->id] = (int32_t)i; ids[distinct++] = e->id; }
            }
            /* shared bigram counts with every earlier line, through the postings of i's bigrams */
            Py_ssize_t ntouched = 0;
            for (int32_t q = 0; q < distinct; q++)
                for (int32_t p = head[ids[q]]; p >= 0; p = post[p].next)
                    if (count[post[p].para]++ == 0) touched[ntouched++] = post[p].para;
            PyObject *mine = NULL;
            for (Py_ssize_t t = 0; t < ntouched; t++) {
                int32_t j = touched[t], shared = count[j];
                count[j] = 0;
                double small = distinct < size[j] ? distinct : size[j], large = distinct < size[j] ? size[j] : distinct;
                if (!((double)shared >= containment * small && small >= length_share * large)) continue;
                if (!mine) {
                    mine = PyList_New(0);
                    PyObject *key = PyLong_FromSsize_t(i);
                    int bad = !mine || !key || PyDict_SetItem(pairs, key, mine) < 0;
                    Py_XDECREF(key);
                    Py_XDECREF(mine);  /* the dict holds it */
                    if (bad) goto done;
                }
                PyObject *pair = Py_BuildValue("(ii)", j, shared);
                if (!pair || PyList_Append(mine, pair) < 0) { Py_XDECREF(pair); goto done; }
                Py_DECREF(pair);
            }
            for (int32_t q = 0; q < distinct; q++) {
                post[nposts].para = (int32_t)i;
                post[nposts].next = head[ids[q]];
                head[ids[q]] = nposts++;
            }
        }
        size[i] = distinct;
        PyObject *v = PyLong_FromLong(distinct);
        if (!v) goto done;
        PyList_SET_ITEM(sizes, i, v);
    }
    result = PyTuple_Pack(2, sizes, pairs);
done:
    for (Py_ssize_t k = 0; k < nviews; k++) if (views[k].obj) PyBuffer_Release(&views[k]);
    PyMem_Free(views); PyMem_Free(size); PyMem_Free(count); PyMem_Free(touched);
    PyMem_Free(table); PyMem_Free(last); PyMem_Free(head); PyMem_Free(post); PyMem_Free(ids);
    Py_XDECREF(sizes); Py_XDECREF(pairs);
    return result;
}

/* ---- join_tidy: the kept lines of a document as one tidied text (twin: normalize.join_kept) ---- */

/*
 * join_tidy(lines, skip, variants) -> str or None
 *   "\n".join(line for i, line in enumerate(lines) if i not in skip) tidied like normalize._tidy (runs of ' '
 *   -> one ' '; no ' ' next to '\n'; 3+ '\n' -> '\n\n'; ' ' and '\n' stripped at both ends), in one pass;
 *   None when a kept line has a code point of the str `variants` (normalize.spaces translates those first).
 *   skip: any container of line indexes, or None.
 */
static PyObject *join_tidy(PyObject *mod, PyObject *args) {
    PyObject *lines, *skip, *variants;
    if (!PyArg_ParseTuple(args, "O!OU", &PyList_Type, &lines, &skip, &variants)) return NULL;
    Py_ssize_t n = PyList_GET_SIZE(lines), total = 0;
    Py_UCS4 maxkind = 0x7F, maxv = 0;
    Py_ssize_t nv = PyUnicode_GET_LENGTH(variants);
    for (Py_ssize_t k = 0; k < nv; k++) {
        Py_UCS4 v = PyUnicode_READ_CHAR(variants, k);
        if (v > maxv) maxv = v;
    }
    unsigned char *kept = PyMem_Malloc(n ? n : 1);
    unsigned char *isvar = PyMem_Calloc((size_t)maxv / 8 + 1, 1);  /* bitmap of the variants */
    PyObject *result = NULL;
    if (!kept || !isvar) { PyErr_NoMemory(); goto done; }
    for (Py_ssize_t k = 0; k < nv; k++) {
        Py_UCS4 v = PyUnicode_READ_CHAR(variants, k);
        isvar[v >> 3] |= (unsigned char)(1u << (v & 7));
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *line = PyList_GET_ITEM(lines, i);
        if (!PyUnicode_Check(line)) { PyErr_SetString(PyExc_TypeError, "join_tidy() needs a list of str"); goto done; }
        int skipped = 0;
        if (skip != Py_None) {
            PyObject *key = PyLong_FromSsize_t(i);
            skipped = !key ? -1 : PyDict_CheckExact(skip) ? PyDict_Contains(skip, key) : PySequence_Contains(skip, key);
            Py_XDECREF(key);
            if (skipped < 0) goto done;
        }
        kept[i] = !skipped;
        if (skipped) continue;
        total += PyUnicode_GET_LENGTH(line) + 1;
        Py_UCS4 m = PyUnicode_MAX_CHAR_VALUE(line);
        if (m > maxkind) maxkind = m;
    }
    result = PyUnicode_New(total, maxkind);
    if (!result) goto done;
    {
        const int okind = PyUnicode_KIND(result);
        void *odata = PyUnicode_DATA(result);
        Py_ssize_t pos = 0;
        unsigned pend = 0;  /* the pending separator, as in Table_clean (CLEAN_SEPLEN, CLEAN_SEPCH, CLEAN_NEXT) */
        int first = 1, bail = 0;
        Py_UCS4 maxchar = 0;  /* (an OR of the code points written: below the same powers of two as their max) */
        /* One line of kind T into the result of kind O, without a branch on ' ' and '\n' (as in Table_clean).
           The stores past pos stay within total (pos is at most the code points read so far, and total
           counts one joining '\n' more than there are) or overwrite the terminator, set again at the end. */
#define JOIN_LINE(T, O)                                                                             \
        do {                                                                                        \
            const T *s_ = (const T *)data;                                                          \
            O *o_ = (O *)odata;                                                                     \
            unsigned started = pos != 0;                                                            \
            for (Py_ssize_t j = 0; j < len; j++) {                                                  \
                Py_UCS4 c = s_[j];                                                                  \
                if (c <= maxv && (isvar[c >> 3] >> (c & 7) & 1)) { bail = 1; break; }               \
                unsigned cls = ((unsigned)(c == ' ') << 1) | (unsigned)(c == '\n');                 \
                unsigned is_char = cls == 0;                                                        \
                o_[pos] = (O)CLEAN_SEPCH[pend]; o_[pos + 1] = '\n';                                 \
                Py_ssize_t k = CLEAN_SEPLEN[pend] & -(Py_ssize_t)(is_char & started);               \
                o_[pos + k] = (O)c;                                                                 \
                pos += k + is_char;                                                                 \
                started |= is_char;                                                                 \
                maxchar |= c & -(Py_UCS4)is_char;                                                   \
                pend = CLEAN_NEXT[cls][pend];                                                       \
            }                                                                                       \
        } while (0)
        for (Py_ssize_t i = 0; i < n && !bail; i++) {
            if (!kept[i]) continue;
            if (!first) pend = CLEAN_NEXT[1][pend];  /* the joining '\n' */
            first = 0;
            PyObject *line = PyList_GET_ITEM(lines, i);
            const int kind = PyUnicode_KIND(line);
            const void *data = PyUnicode_DATA(line);
            const Py_ssize_t len = PyUnicode_GET_LENGTH(line);
            if (okind == PyUnicode_1BYTE_KIND) JOIN_LINE(Py_UCS1, Py_UCS1);
            else if (okind == PyUnicode_2BYTE_KIND) {
                if (kind == PyUnicode_1BYTE_KIND) JOIN_LINE(Py_UCS1, Py_UCS2);
                else JOIN_LINE(Py_UCS2, Py_UCS2);
            } else {
                if (kind == PyUnicode_1BYTE_KIND) JOIN_LINE(Py_UCS1, Py_UCS4);
                else if (kind == PyUnicode_2BYTE_KIND) JOIN_LINE(Py_UCS2, Py_UCS4);
                else JOIN_LINE(Py_UCS4, Py_UCS4);
            }
        }
#undef JOIN_LINE
        if (total) PyUnicode_WRITE(okind, odata, total, 0);  /* (the terminator, in case a store above took it) */
        if (bail) { Py_SETREF(result, Py_NewRef(Py_None)); goto done; }
        if (maxchar < (maxkind > 0x7F ? (maxkind > 0xFF ? (maxkind > 0xFFFF ? 0x10000u : 0x100u) : 0x80u) : 0u)) {
            /* keep the str canonical (its kind fits its widest character): only possible when nothing wide was written */
            PyObject *narrow = PyUnicode_FromKindAndData(okind, odata, pos);
            Py_SETREF(result, narrow);
        } else if (PyUnicode_Resize(&result, pos) < 0) result = NULL;
    }
done:
    PyMem_Free(kept);
    PyMem_Free(isvar);
    return result;
}

/* ---- utf8_len ---------------------------------------------------------------- */

/* Code units counted per block: the block sums fit the narrow counters, which keeps the loops vectorizable. */
#define UTF8_BLOCK 8192

/* len(text.encode()) for a 1-byte string: one extra byte per code point from U+0080. */
static Py_ssize_t utf8_len_ucs1(const Py_UCS1 *s, Py_ssize_t n) {
    Py_ssize_t total = n;
    for (Py_ssize_t start = 0; start < n; start += UTF8_BLOCK) {
        Py_ssize_t end = n - start < UTF8_BLOCK ? n : start + UTF8_BLOCK;
        uint16_t extra = 0;
        for (Py_ssize_t i = start; i < end; i++) extra += s[i] >> 7;
        total += extra;
    }
    return total;
}

/* ... for a 2-byte string: one more byte from U+0080, another from U+0800; -1 on a surrogate. */
static Py_ssize_t utf8_len_ucs2(const Py_UCS2 *s, Py_ssize_t n) {
    Py_ssize_t total = n;
    for (Py_ssize_t start = 0; start < n; start += UTF8_BLOCK) {
        Py_ssize_t end = n - start < UTF8_BLOCK ? n : start + UTF8_BLOCK;
        uint16_t extra = 0, surrogates = 0;
        for (Py_ssize_t i = start; i < end; i++) {
            Py_UCS2 c = s[i];
            extra += (uint16_t)(c >= 0x80) + (uint16_t)(c >= 0x800);
            surrogates |= (uint16_t)((c & 0xF800) == 0xD800);
        }
        if (surrogates) return -1;
        total += extra;
    }
    return total;
}

/* ... for a 4-byte string: and one more from U+10000. */
static Py_ssize_t utf8_len_ucs4(const Py_UCS4 *s, Py_ssize_t n) {
    Py_ssize_t total = n;
    for (Py_ssize_t start = 0; start < n; start += UTF8_BLOCK) {
        Py_ssize_t end = n - start < UTF8_BLOCK ? n : start + UTF8_BLOCK;
        uint32_t extra = 0, surrogates = 0;
        for (Py_ssize_t i = start; i < end; i++) {
            Py_UCS4 c = s[i];
            extra += (uint32_t)(c >= 0x80) + (uint32_t)(c >= 0x800) + (uint32_t)(c >= 0x10000);
            surrogates |= (uint32_t)((c & 0xFFFFF800u) == 0xD800);
        }
        if (surrogates) return -1;
        total += extra;
    }
    return total;
}

static PyObject *utf8_len(PyObject *mod, PyObject *text) {
    if (!PyUnicode_Check(text)) { PyErr_SetString(PyExc_TypeError, "utf8_len needs a str"); return NULL; }
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    const void *data = PyUnicode_DATA(text);
    if (PyUnicode_IS_ASCII(text)) return PyLong_FromSsize_t(n);
    switch (PyUnicode_KIND(text)) {
    case PyUnicode_1BYTE_KIND: return PyLong_FromSsize_t(utf8_len_ucs1(data, n));
    case PyUnicode_2BYTE_KIND: return PyLong_FromSsize_t(utf8_len_ucs2(data, n));  /* -1: str.encode() raises: caller's business */
    default: return PyLong_FromSsize_t(utf8_len_ucs4(data, n));
    }
}

static PyMethodDef module_methods[] = {
    {"join_tidy", join_tidy, METH_VARARGS,
     "join_tidy(lines, skip, variants) -> the kept lines joined by '\\n' and tidied like normalize._tidy; "
     "None when a kept line has a code point of variants."},
    {"utf8_len", utf8_len, METH_O, "utf8_len(text) -> len(text.encode()) without encoding; -1 when text has a lone surrogate."},
    {"near_pairs", near_pairs, METH_VARARGS,
     "near_pairs(lines, min_tokens, containment, length_share) -> (sizes, {i: [(j, shared), ...]}): "
     "the near-repeat pairs of dedupe.text.paragraphs."},
    {"may_repeat", may_repeat, METH_VARARGS,
     "may_repeat(lines, min_tokens, containment) -> bool: the pre-check of dedupe.text.paragraphs.may_repeat."},
    {"minhash_update", minhash_update, METH_VARARGS,
     "minhash_update(shingles, a, b, sig): sig = min(sig, min over shingles of a * fmix32(h) + b), uint32 arithmetic."},
    {"minhash_batch", minhash_batch, METH_VARARGS,
     "minhash_batch(flat, ends, a, b) -> bytes: one signature row (minhash_update from 0xFFFFFFFF) per segment of flat."},
    {"dense_codes", dense_codes, METH_VARARGS,
     "dense_codes(size, codepoints, codes) -> int32 bytes: the identity table of size entries with codepoints set to codes."},
    {"sorted_unique_batch", sorted_unique_batch, METH_VARARGS,
     "sorted_unique_batch(flat, ends) -> (bytes, ends): each uint32 segment of flat sorted, without repeats."},
    {"shingles", shingles, METH_VARARGS,
     "shingles(tokens, ngram, mix) -> bytes: uint32 hashes of the word n-grams of uint64 token hashes."},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef native_module = {
    PyModuleDef_HEAD_INIT, "dedupe._native",
    "Optional compiled fast paths of arabic-dedupe (pure-Python twins define the results).",
    -1, module_methods,
};

PyMODINIT_FUNC PyInit__native(void) {
    if (PyType_Ready(&TableType) < 0) return NULL;
    if (PyType_Ready(&PhrasesType) < 0) return NULL;
    if (PyType_Ready(&SubstringsType) < 0) return NULL;
    PyObject *m = PyModule_Create(&native_module);
    if (!m) return NULL;
    Py_INCREF(&TableType);
    if (PyModule_AddObject(m, "Table", (PyObject *)&TableType) < 0) {
        Py_DECREF(&TableType); Py_DECREF(m); return NULL;
    }
    Py_INCREF(&PhrasesType);
    if (PyModule_AddObject(m, "Phrases", (PyObject *)&PhrasesType) < 0) {
        Py_DECREF(&PhrasesType); Py_DECREF(m); return NULL;
    }
    Py_INCREF(&SubstringsType);
    if (PyModule_AddObject(m, "Substrings", (PyObject *)&SubstringsType) < 0) {
        Py_DECREF(&SubstringsType); Py_DECREF(m); return NULL;
    }
    return m;
}
