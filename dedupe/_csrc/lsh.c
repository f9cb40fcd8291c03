/* Optional C twin of dedupe.sketch.lsh.MemoryIndex: the in-memory LSH band index.
 *
 * Same buckets as the Python index (and as datasketch's MinHashLSH with the same
 * bands and rows): a bucket is (band number, the band's r uint32 values), compared
 * byte for byte, so two documents are candidates exactly when one of their bands is
 * equal. xxh3 of the band only picks the slot of the open-addressing table.
 *
 *   BandIndex(bands, rows)
 *   .query(signature) -> sorted list of the distinct keys sharing a bucket with it
 *   .insert(key, signature)
 *
 * ``signature`` is any C-contiguous buffer of at least bands * rows uint32 values.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

#define XXH_INLINE_ALL
#include "xxhash.h"

/* One slot of the open-addressing table: the bucket's hash (0: empty) and its number side by side, so a probe
   costs one cache miss (it cost two when they were separate arrays). */
typedef struct {
    uint64_t hash;
    int64_t bucket;
} Slot;

/* One (key, band) inserted: key and link together (one miss per key of a chain walk, not two). */
typedef struct {
    int64_t key, next; /* next: the older node of the same bucket, -1 at the end */
} Node;

/* A bucket: the newest node of its key chain, its band number and the band's ``rows`` values, in one record of
   ``stride`` bytes, so confirming a hash match (band number, memcmp) and finding the chain is one miss, not three
   (separate bucket_band, values and bucket_head arrays). */
typedef struct {
    int64_t head;
    int32_t band;
    uint32_t values[];
} Bucket;

typedef struct {
    PyObject_HEAD
    Py_ssize_t bands, rows;
    Slot *slots;         /* open addressing, linear probing, at most half full */
    Py_ssize_t capacity; /* a power of two */
    char *bucket_mem;    /* buckets, ``stride`` bytes apart */
    Py_ssize_t stride, buckets, buckets_cap;
    Node *chain;         /* the nodes: ``nodes`` of ``nodes_cap`` used */
    Py_ssize_t nodes, nodes_cap;
    /* scratch for query results */
    int64_t *found;
    Py_ssize_t found_cap;
} BandIndex;

#define BUCKET(s, k) ((Bucket *)((s)->bucket_mem + (size_t)(k) * (size_t)(s)->stride))

/* Bands hashed, then probed, a chunk at a time (all 21 of the default banding in one): see BandIndex_query. */
#define CHUNK 32

/* The capacity to grow to: doubled from ``cap`` (``first`` when 0) until it holds ``need``. */
static Py_ssize_t next_capacity(Py_ssize_t cap, Py_ssize_t need, Py_ssize_t first) {
    Py_ssize_t n = cap ? cap : first;
    while (n < need) n *= 2;
    return n;
}

static int resize(void **p, Py_ssize_t n, size_t item) {
    void *q = PyMem_Realloc(*p, (size_t)n * item);
    if (!q) {
        PyErr_NoMemory();
        return -1;
    }
    *p = q;
    return 0;
}

static int grow(void **p, Py_ssize_t *cap, Py_ssize_t need, size_t item) {
    if (need <= *cap) return 0;
    Py_ssize_t n = next_capacity(*cap, need, 1024);
    if (resize(p, n, item) < 0) return -1;
    *cap = n;
    return 0;
}

static inline uint64_t band_hash(const uint32_t *band, Py_ssize_t rows, Py_ssize_t b) {
    uint64_t h = XXH3_64bits_withSeed(band, (size_t)rows * 4, (uint64_t)b);
    return h ? h : 1; /* 0 marks an empty slot */
}

/* Hash bands b0 .. b0 + n - 1 into h[] and prefetch the home slot of each. */
static inline void hash_bands(BandIndex *s, const uint32_t *values, Py_ssize_t b0, Py_ssize_t n, uint64_t *h) {
    Py_ssize_t mask = s->capacity - 1;
    for (Py_ssize_t j = 0; j < n; j++) {
        h[j] = band_hash(values + (b0 + j) * s->rows, s->rows, b0 + j);
        __builtin_prefetch(&s->slots[h[j] & (uint64_t)mask]);
    }
}

/* The first slot from the home of ``h`` that is empty or holds hash ``h``; prefetch the bucket of a match. */
static inline Py_ssize_t probe(BandIndex *s, uint64_t h) {
    Py_ssize_t mask = s->capacity - 1, i = (Py_ssize_t)(h & (uint64_t)mask);
    while (s->slots[i].hash && s->slots[i].hash != h) i = (i + 1) & mask;
    if (s->slots[i].hash) {
        const char *k = (const char *)BUCKET(s, s->slots[i].bucket);
        __builtin_prefetch(k);
        __builtin_prefetch(k + s->stride - 1); /* a record may straddle two lines */
    }
    return i;
}

/* The chunk of (at most CHUNK) bands from b0: their hashes in h[], their probe() slots in pos[]; the count. */
static inline Py_ssize_t probe_chunk(BandIndex *s, const uint32_t *values, Py_ssize_t b0, uint64_t *h, Py_ssize_t *pos) {
    Py_ssize_t nb = s->bands - b0 < CHUNK ? s->bands - b0 : CHUNK;
    hash_bands(s, values, b0, nb, h);
    for (Py_ssize_t j = 0; j < nb; j++) pos[j] = probe(s, h[j]);
    return nb;
}

/* From probe()'s slot ``i``: the slot of bucket (b, band), or the empty slot where it would go. */
static inline Py_ssize_t find_slot(BandIndex *s, Py_ssize_t i, Py_ssize_t b, const uint32_t *band, uint64_t h) {
    Py_ssize_t mask = s->capacity - 1;
    size_t width = (size_t)s->rows * 4;
    for (; s->slots[i].hash; i = (i + 1) & mask) {
        if (s->slots[i].hash != h) continue;
        const Bucket *k = BUCKET(s, s->slots[i].bucket);
        if (k->band == (int32_t)b && memcmp(k->values, band, width) == 0) break;
    }
    return i;
}

/* A zeroed table of ``n`` slots, its pages present and writable from the start. A probe reads the table before an
   insert writes it (rehash too reads each slot before filling it), and a fresh calloc'd page that is read first is
   mapped to the shared zero page, then copied on the first write: two page faults and a TLB flush per 4 KiB. With
   the pages made present in one call (MADV_POPULATE_WRITE, Linux >= 5.14; writing the zeros elsewhere), inserts
   measured 3.2 -> 2.5 us at 15k documents, 3.2 -> 2.3 us at 300k (2-core VM, tables of 16 and 256 MB). */
static Slot *slots_new(Py_ssize_t n) {
    size_t bytes = (size_t)n * sizeof(Slot);
    Slot *p = PyMem_Calloc((size_t)n, sizeof(Slot));
    if (!p) return NULL;
#ifdef MADV_POPULATE_WRITE
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t a = ((uintptr_t)p + page - 1) & ~(page - 1), e = ((uintptr_t)p + bytes) & ~(page - 1);
    if (e <= a || madvise((void *)a, e - a, MADV_POPULATE_WRITE) == 0) return p;
#endif
    memset(p, 0, bytes);
    return p;
}

static int rehash(BandIndex *s, Py_ssize_t capacity) {
    Slot *slots = slots_new(capacity);
    if (!slots) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t mask = capacity - 1;
    for (Py_ssize_t i = 0; i < s->capacity; i++) {
        if (!s->slots[i].hash) continue;
        Py_ssize_t j = (Py_ssize_t)(s->slots[i].hash & (uint64_t)mask);
        while (slots[j].hash) j = (j + 1) & mask;
        slots[j] = s->slots[i];
    }
    PyMem_Free(s->slots);
    s->slots = slots;
    s->capacity = capacity;
    return 0;
}

/* A contiguous uint32 buffer (a numpy uint32 array, array('I')...). */
static int get_u32(PyObject *obj, Py_buffer *view) {
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) return -1;
    const char *f = view->format ? view->format : "B";
    if (*f == '=' || *f == '<' || *f == '@') f++;
    if (view->itemsize != 4 || (*f != 'I' && *f != 'L') || f[1] != '\0') {
        PyErr_SetString(PyExc_ValueError, "expected a contiguous uint32 array");
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

static int get_signature(BandIndex *s, PyObject *obj, Py_buffer *view) {
    if (!s->slots) {
        PyErr_SetString(PyExc_RuntimeError, "BandIndex.__init__ was not called");
        return -1;
    }
    if (get_u32(obj, view) < 0) return -1;
    if (view->len < (Py_ssize_t)(s->bands * s->rows * 4)) {
        PyErr_Format(PyExc_ValueError, "signature must be a contiguous uint32 array of at least %zd values",
                     s->bands * s->rows);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

static int cmp_int64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Each band is a probe at a random place of a table larger than the caches (15k documents: 46 MB; 300k: 5.8M
   buckets, 0.7 GB), so a call is a cache miss or more per band. Probed band after band, each miss waited for the
   one before it; here a chunk of bands is hashed and its home slots prefetched first, then probed (prefetching
   the bucket of each hash match), then confirmed and walked, so the misses overlap. With the Slot / Bucket /
   Node records, measured on MinHash signatures (21 x 6; query then insert, as NearDedup; min of alternating
   runs on a 2-core VM): query 1.1-1.5 -> 0.8-0.9 us at 15k documents, 1.9 -> 1.1 us at 300k, 2.9 -> 2.0 us at 15k
   with 4 MB of other memory traffic between calls (the pipeline's case); ~0.2 us of it is the call itself.
   Without the prefetches (the chunks alone) 10-15% slower. */
static PyObject *BandIndex_query(BandIndex *s, PyObject *sig) {
    Py_buffer view;
    if (get_signature(s, sig, &view) < 0) return NULL;
    const uint32_t *values = view.buf;
    Py_ssize_t n = 0;
    uint64_t h[CHUNK];
    Py_ssize_t pos[CHUNK];
    for (Py_ssize_t b0 = 0; b0 < s->bands; b0 += CHUNK) {
        Py_ssize_t nb = probe_chunk(s, values, b0, h, pos);
        for (Py_ssize_t j = 0; j < nb; j++) {
            if (!s->slots[pos[j]].hash) continue; /* the common case: no bucket has this hash */
            Py_ssize_t i = find_slot(s, pos[j], b0 + j, values + (b0 + j) * s->rows, h[j]);
            if (!s->slots[i].hash) continue;
            for (int64_t node = BUCKET(s, s->slots[i].bucket)->head; node >= 0; node = s->chain[node].next) {
                if (grow((void **)&s->found, &s->found_cap, n + 1, sizeof(int64_t)) < 0) {
                    PyBuffer_Release(&view);
                    return NULL;
                }
                s->found[n++] = s->chain[node].key;
            }
        }
    }
    PyBuffer_Release(&view);
    if (n > 1) qsort(s->found, (size_t)n, sizeof(int64_t), cmp_int64);
    Py_ssize_t m = 0; /* distinct keys, moved to the front */
    for (Py_ssize_t i = 0; i < n; i++)
        if (!m || s->found[i] != s->found[m - 1]) s->found[m++] = s->found[i];
    PyObject *out = PyList_New(m);
    if (!out) return NULL;
    for (Py_ssize_t i = 0; i < m; i++) {
        PyObject *key = PyLong_FromLongLong(s->found[i]);
        if (!key) {
            Py_DECREF(out);
            return NULL;
        }
        PyList_SET_ITEM(out, i, key);
    }
    return out;
}

/* Room for one more bucket and node per band is made first (a failed insert changes nothing), and no rehash
   can then move the slots that the chunk's probes found. Same chunks as BandIndex_query: the slots are
   usually still cached from the query of the same signature, but not when other work ran in between.
   Measured as there: 3.4-3.9 -> 2.6-2.7 us at 15k documents, 3.4-4.6 -> 2.3-2.5 us at 300k, 6.6 -> 4.4 us with
   the 4 MB of traffic between calls. What remains is mostly memory the index had never touched: page faults
   on the bucket and node arrays as they fill (~1.5 us per 4 KiB on that VM) and the rehashes (each moves every
   bucket into a table twice the size). */
static PyObject *BandIndex_insert(BandIndex *s, PyObject *args) {
    long long key;
    PyObject *sig;
    if (!PyArg_ParseTuple(args, "LO", &key, &sig)) return NULL;
    Py_buffer view;
    if (get_signature(s, sig, &view) < 0) return NULL;
    const uint32_t *values = view.buf;
    Py_ssize_t capacity = s->capacity;
    while ((s->buckets + s->bands) * 2 > capacity) capacity *= 2;
    if (grow((void **)&s->chain, &s->nodes_cap, s->nodes + s->bands, sizeof(Node)) < 0 ||
        grow((void **)&s->bucket_mem, &s->buckets_cap, s->buckets + s->bands, (size_t)s->stride) < 0 ||
        (capacity > s->capacity && rehash(s, capacity) < 0)) {
        PyBuffer_Release(&view);
        return NULL;
    }
    size_t width = (size_t)s->rows * 4;
    uint64_t h[CHUNK];
    Py_ssize_t pos[CHUNK];
    for (Py_ssize_t b0 = 0; b0 < s->bands; b0 += CHUNK) {
        Py_ssize_t nb = probe_chunk(s, values, b0, h, pos);
        for (Py_ssize_t j = 0; j < nb; j++) {
            /* An earlier band of the chunk may have filled pos[j]: find_slot then probes on from it. */
            const uint32_t *band = values + (b0 + j) * s->rows;
            Py_ssize_t i = find_slot(s, pos[j], b0 + j, band, h[j]);
            Bucket *k;
            if (s->slots[i].hash) {
                k = BUCKET(s, s->slots[i].bucket);
            } else {
                s->slots[i].hash = h[j];
                s->slots[i].bucket = s->buckets;
                k = BUCKET(s, s->buckets++);
                k->head = -1;
                k->band = (int32_t)(b0 + j);
                memcpy(k->values, band, width);
            }
            int64_t node = s->nodes++;
            s->chain[node].key = key;
            s->chain[node].next = k->head;
            k->head = node;
        }
    }
    PyBuffer_Release(&view);
    Py_RETURN_NONE;
}

static int BandIndex_init(BandIndex *s, PyObject *args, PyObject *kwds) {
    Py_ssize_t bands, rows;
    static char *names[] = {"bands", "rows", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "nn", names, &bands, &rows)) return -1;
    if (bands < 1 || rows < 1 || bands > INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "bands and rows must be >= 1");
        return -1;
    }
    if (s->slots) {
        PyErr_SetString(PyExc_RuntimeError, "BandIndex is already initialized");
        return -1;
    }
    s->bands = bands;
    s->rows = rows;
    /* a multiple of 8 bytes, so that every bucket's head is aligned */
    s->stride = ((Py_ssize_t)offsetof(Bucket, values) + rows * 4 + 7) & ~(Py_ssize_t)7;
    s->slots = slots_new(1024);
    if (!s->slots) {
        PyErr_NoMemory();
        return -1;
    }
    s->capacity = 1024;
    return 0;
}

static void BandIndex_dealloc(BandIndex *s) {
    PyMem_Free(s->slots);
    PyMem_Free(s->bucket_mem);
    PyMem_Free(s->chain);
    PyMem_Free(s->found);
    Py_TYPE(s)->tp_free((PyObject *)s);
}

static PyObject *BandIndex_nbytes(BandIndex *s, void *closure) {
    size_t n = (size_t)s->capacity * sizeof(Slot) + (size_t)s->buckets_cap * (size_t)s->stride +
               (size_t)s->nodes_cap * sizeof(Node) + (size_t)s->found_cap * sizeof(int64_t);
    return PyLong_FromSize_t(n);
}

static PyMethodDef BandIndex_methods[] = {
    {"query", (PyCFunction)BandIndex_query, METH_O, "Sorted distinct keys sharing a bucket with the signature."},
    {"insert", (PyCFunction)BandIndex_insert, METH_VARARGS, "Add a key under each band of the signature."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef BandIndex_getset[] = {
    {"nbytes", (getter)BandIndex_nbytes, NULL, "Bytes allocated by the index.", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject BandIndexType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "dedupe._lsh.BandIndex",
    .tp_basicsize = sizeof(BandIndex),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "LSH band index: buckets are (band number, band values); see dedupe/sketch/lsh.py.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)BandIndex_init,
    .tp_dealloc = (destructor)BandIndex_dealloc,
    .tp_methods = BandIndex_methods,
    .tp_getset = BandIndex_getset,
};

/* The two arguments (a, b) of a call as contiguous uint32 buffers (get_u32); -1 with an exception, nothing held. */
static int get_two_u32(PyObject *args, Py_buffer *a, Py_buffer *b) {
    PyObject *a_obj, *b_obj;
    if (!PyArg_ParseTuple(args, "OO", &a_obj, &b_obj)) return -1;
    if (get_u32(a_obj, a) < 0) return -1;
    if (get_u32(b_obj, b) < 0) {
        PyBuffer_Release(a);
        return -1;
    }
    return 0;
}

/* intersection_size(a, b): |A & B| of two sorted arrays of distinct uint32 (shingle sets), by one merge pass;
   twin of len(numpy.intersect1d(a, b, assume_unique=True)). */
static PyObject *intersection_size(PyObject *self, PyObject *args) {
    Py_buffer a, b;
    if (get_two_u32(args, &a, &b) < 0) return NULL;
    const uint32_t *x = a.buf, *y = b.buf;
    Py_ssize_t na = a.len / 4, nb = b.len / 4, i = 0, j = 0, n = 0;
    while (i < na && j < nb) {
        uint32_t u = x[i], v = y[j];
        n += u == v;
        i += u <= v;
        j += v <= u;
    }
    PyBuffer_Release(&a);
    PyBuffer_Release(&b);
    return PyLong_FromSsize_t(n);
}

/* equal_count(a, b): how many positions hold equal values in two uint32 arrays of one length (MinHash signatures:
   the estimated Jaccard is equal_count / length); twin of numpy.count_nonzero(a == b). */
static PyObject *equal_count(PyObject *self, PyObject *args) {
    Py_buffer a, b;
    if (get_two_u32(args, &a, &b) < 0) return NULL;
    PyObject *result = NULL;
    if (a.len != b.len) {
        PyErr_SetString(PyExc_ValueError, "equal_count() needs two arrays of the same length");
    } else {
        const uint32_t *x = a.buf, *y = b.buf;
        Py_ssize_t n = a.len / 4, same = 0;
        for (Py_ssize_t i = 0; i < n; i++) same += x[i] == y[i];
        result = PyLong_FromSsize_t(same);
    }
    PyBuffer_Release(&a);
    PyBuffer_Release(&b);
    return result;
}

/* Shingle set k of the flat file `fd` (uint32 values offsets[k] .. offsets[k + 1]) into *buf (grown as needed,
   malloc: called without the GIL). 0, -1 with errno on a read error or a file shorter than its offsets. */
static int read_set(int fd, const int64_t *offsets, int64_t k, uint32_t **buf, Py_ssize_t *cap, Py_ssize_t *len) {
    int64_t start = offsets[k], stop = offsets[k + 1];
    if (start < 0 || stop < start) { errno = EINVAL; return -1; }
    Py_ssize_t n = (Py_ssize_t)(stop - start);
    if (n > *cap) {
        Py_ssize_t c = n > 2 * *cap ? n : 2 * *cap;
        uint32_t *nb = realloc(*buf, (size_t)c * 4);
        if (!nb) { errno = ENOMEM; return -1; }
        *buf = nb;
        *cap = c;
    }
    char *p = (char *)*buf;
    size_t want = (size_t)n * 4;
    off_t at = (off_t)start * 4;
    while (want) {
        ssize_t r = pread(fd, p, want, at);
        if (r < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (r == 0) { errno = EIO; return -1; }  /* the file ends before the offsets say */
        p += r;
        want -= (size_t)r;
        at += r;
    }
    *len = n;
    return 0;
}

/* verify_exact(fd, offsets, codes, containment) -> bytes of one float64 per code: the exact Jaccard (or, with
   containment, the share of the smaller set in the larger) of the shingle sets a = code >> 32 and
   b = code & 0xFFFFFFFF read from the flat uint32 file `fd`, set k being values offsets[k] .. offsets[k + 1]
   (offsets: int64 bytes; codes: uint64 bytes, best sorted so that set a is read once per run of its pairs).
   Twin of sketch.verify.exact_jaccard / containment over RowFile reads (clustered.verify_pairs). */
static PyObject *verify_exact(PyObject *self, PyObject *args) {
    int fd, use_containment;
    Py_buffer off, codes;
    if (!PyArg_ParseTuple(args, "iy*y*p", &fd, &off, &codes, &use_containment)) return NULL;
    PyObject *result = NULL;
    if (off.len % 8 || codes.len % 8 || off.len < 8) {
        PyErr_SetString(PyExc_ValueError, "verify_exact() needs int64 offsets (at least one) and uint64 codes");
        goto done;
    }
    int64_t nsets = off.len / 8 - 1;
    Py_ssize_t npairs = codes.len / 8;
    result = PyBytes_FromStringAndSize(NULL, npairs * 8);
    if (!result) goto done;
    double *out = (double *)PyBytes_AS_STRING(result);
    const int64_t *offsets = off.buf;
    const uint64_t *code = codes.buf;
    uint32_t *x = NULL, *y = NULL;
    Py_ssize_t xcap = 0, ycap = 0, na = 0, nb = 0;
    int64_t last = -1;
    int err = 0, bad = 0;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t k = 0; k < npairs; k++) {
        int64_t a = (int64_t)(code[k] >> 32), b = (int64_t)(code[k] & 0xFFFFFFFFu);
        if (a >= nsets || b >= nsets) { bad = 1; break; }
        if (a != last) {
            if (read_set(fd, offsets, a, &x, &xcap, &na) < 0) { err = errno; break; }
            last = a;
        }
        if (read_set(fd, offsets, b, &y, &ycap, &nb) < 0) { err = errno; break; }
        Py_ssize_t i = 0, j = 0, inter = 0;
        while (i < na && j < nb) {
            uint32_t u = x[i], v = y[j];
            inter += u == v;
            i += u <= v;
            j += v <= u;
        }
        if (use_containment)
            out[k] = (na == 0 || nb == 0) ? (double)(na == nb) : (double)inter / (double)(na < nb ? na : nb);
        else
            out[k] = (na == 0 && nb == 0) ? 1.0 : (double)inter / (double)(na + nb - inter);
    }
    Py_END_ALLOW_THREADS
    free(x);
    free(y);
    if (bad) {
        PyErr_SetString(PyExc_IndexError, "verify_exact(): a pair names a set past the offsets");
        Py_CLEAR(result);
    } else if (err) {
        errno = err;
        PyErr_SetFromErrno(PyExc_OSError);
        Py_CLEAR(result);
    }
done:
    PyBuffer_Release(&off);
    PyBuffer_Release(&codes);
    return result;
}

static PyMethodDef module_methods[] = {
    {"intersection_size", intersection_size, METH_VARARGS,
     "|A & B| of two sorted arrays of distinct uint32 (len(numpy.intersect1d(a, b, assume_unique=True)))."},
    {"equal_count", equal_count, METH_VARARGS,
     "equal_count(a, b) -> how many positions of two equally long uint32 arrays hold equal values."},
    {"verify_exact", verify_exact, METH_VARARGS,
     "verify_exact(fd, offsets, codes, containment) -> float64 bytes: the exact score of each pair of shingle sets "
     "read from a flat uint32 file."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_lsh", "C twin of the in-memory LSH band index.", -1,
                                    module_methods};

PyMODINIT_FUNC PyInit__lsh(void) {
    if (PyType_Ready(&BandIndexType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    Py_INCREF(&BandIndexType);
    if (PyModule_AddObject(m, "BandIndex", (PyObject *)&BandIndexType) < 0) {
        Py_DECREF(&BandIndexType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
