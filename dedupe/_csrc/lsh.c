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
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>

#define XXH_INLINE_ALL
#include "xxhash.h"

typedef struct {
    PyObject_HEAD
    Py_ssize_t bands, rows;
    /* open-addressing table: per slot the bucket's hash (0: empty) and its bucket number */
    uint64_t *slot_hash;
    int64_t *slot_bucket;
    Py_ssize_t capacity; /* a power of two */
    /* buckets: band number, last node of its key chain; band values in ``values`` (rows each) */
    int32_t *bucket_band;
    int64_t *bucket_head;
    uint32_t *values;
    Py_ssize_t buckets, buckets_cap;
    /* nodes: one per (key, band) inserted, chained newest first */
    int64_t *node_key;
    int64_t *node_next;
    Py_ssize_t nodes, nodes_cap;
    /* scratch for query results */
    int64_t *found;
    Py_ssize_t found_cap;
} BandIndex;

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

/* The bucket arrays grow together, and so do the node arrays. */
static int grow_buckets(BandIndex *s, Py_ssize_t need) {
    if (need <= s->buckets_cap) return 0;
    Py_ssize_t n = next_capacity(s->buckets_cap, need, 1024);
    if (resize((void **)&s->bucket_band, n, sizeof(int32_t)) < 0 ||
        resize((void **)&s->bucket_head, n, sizeof(int64_t)) < 0 ||
        resize((void **)&s->values, n, (size_t)s->rows * sizeof(uint32_t)) < 0)
        return -1;
    s->buckets_cap = n;
    return 0;
}

static int grow_nodes(BandIndex *s, Py_ssize_t need) {
    if (need <= s->nodes_cap) return 0;
    Py_ssize_t n = next_capacity(s->nodes_cap, need, 4096);
    if (resize((void **)&s->node_key, n, sizeof(int64_t)) < 0 || resize((void **)&s->node_next, n, sizeof(int64_t)) < 0)
        return -1;
    s->nodes_cap = n;
    return 0;
}

static inline uint64_t band_hash(const uint32_t *band, Py_ssize_t rows, Py_ssize_t b) {
    uint64_t h = XXH3_64bits_withSeed(band, (size_t)rows * 4, (uint64_t)b);
    return h ? h : 1; /* 0 marks an empty slot */
}

/* The slot of bucket (b, band) or of the empty slot where it would go. */
static inline Py_ssize_t find_slot(BandIndex *s, Py_ssize_t b, const uint32_t *band, uint64_t h) {
    Py_ssize_t mask = s->capacity - 1, i = (Py_ssize_t)(h & (uint64_t)mask);
    size_t width = (size_t)s->rows * 4;
    while (s->slot_hash[i]) {
        if (s->slot_hash[i] == h) {
            int64_t k = s->slot_bucket[i];
            if (s->bucket_band[k] == (int32_t)b && memcmp(s->values + k * s->rows, band, width) == 0) return i;
        }
        i = (i + 1) & mask;
    }
    return i;
}

static int rehash(BandIndex *s, Py_ssize_t capacity) {
    uint64_t *hash = PyMem_Calloc((size_t)capacity, sizeof(uint64_t));
    int64_t *bucket = PyMem_Malloc((size_t)capacity * sizeof(int64_t));
    if (!hash || !bucket) {
        PyMem_Free(hash);
        PyMem_Free(bucket);
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t mask = capacity - 1;
    for (Py_ssize_t i = 0; i < s->capacity; i++) {
        if (!s->slot_hash[i]) continue;
        Py_ssize_t j = (Py_ssize_t)(s->slot_hash[i] & (uint64_t)mask);
        while (hash[j]) j = (j + 1) & mask;
        hash[j] = s->slot_hash[i];
        bucket[j] = s->slot_bucket[i];
    }
    PyMem_Free(s->slot_hash);
    PyMem_Free(s->slot_bucket);
    s->slot_hash = hash;
    s->slot_bucket = bucket;
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
    if (!s->slot_hash) {
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

static PyObject *BandIndex_query(BandIndex *s, PyObject *sig) {
    Py_buffer view;
    if (get_signature(s, sig, &view) < 0) return NULL;
    const uint32_t *values = view.buf;
    Py_ssize_t n = 0;
    for (Py_ssize_t b = 0; b < s->bands; b++) {
        const uint32_t *band = values + b * s->rows;
        Py_ssize_t i = find_slot(s, b, band, band_hash(band, s->rows, b));
        if (!s->slot_hash[i]) continue;
        for (int64_t node = s->bucket_head[s->slot_bucket[i]]; node >= 0; node = s->node_next[node]) {
            if (grow((void **)&s->found, &s->found_cap, n + 1, sizeof(int64_t)) < 0) {
                PyBuffer_Release(&view);
                return NULL;
            }
            s->found[n++] = s->node_key[node];
        }
    }
    PyBuffer_Release(&view);
    if (n > 1) qsort(s->found, (size_t)n, sizeof(int64_t), cmp_int64);
    PyObject *out = PyList_New(0);
    if (!out) return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (i && s->found[i] == s->found[i - 1]) continue;
        PyObject *key = PyLong_FromLongLong(s->found[i]);
        if (!key || PyList_Append(out, key) < 0) {
            Py_XDECREF(key);
            Py_DECREF(out);
            return NULL;
        }
        Py_DECREF(key);
    }
    return out;
}

static PyObject *BandIndex_insert(BandIndex *s, PyObject *args) {
    long long key;
    PyObject *sig;
    if (!PyArg_ParseTuple(args, "LO", &key, &sig)) return NULL;
    Py_buffer view;
    if (get_signature(s, sig, &view) < 0) return NULL;
    const uint32_t *values = view.buf;
    if (grow_nodes(s, s->nodes + s->bands) < 0) goto fail;
    for (Py_ssize_t b = 0; b < s->bands; b++) {
        if ((s->buckets + 1) * 2 > s->capacity && rehash(s, s->capacity * 2) < 0) goto fail;
        const uint32_t *band = values + b * s->rows;
        uint64_t h = band_hash(band, s->rows, b);
        Py_ssize_t i = find_slot(s, b, band, h);
        if (!s->slot_hash[i]) {
            if (grow_buckets(s, s->buckets + 1) < 0) goto fail;
            int64_t k = s->buckets++;
            s->bucket_band[k] = (int32_t)b;
            s->bucket_head[k] = -1;
            memcpy(s->values + k * s->rows, band, (size_t)s->rows * 4);
            s->slot_hash[i] = h;
            s->slot_bucket[i] = k;
        }
        int64_t k = s->slot_bucket[i];
        int64_t node = s->nodes++;
        s->node_key[node] = key;
        s->node_next[node] = s->bucket_head[k];
        s->bucket_head[k] = node;
    }
    PyBuffer_Release(&view);
    Py_RETURN_NONE;
fail:
    PyBuffer_Release(&view);
    return NULL;
}

static int BandIndex_init(BandIndex *s, PyObject *args, PyObject *kwds) {
    Py_ssize_t bands, rows;
    static char *names[] = {"bands", "rows", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "nn", names, &bands, &rows)) return -1;
    if (bands < 1 || rows < 1 || bands > INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "bands and rows must be >= 1");
        return -1;
    }
    if (s->slot_hash) {
        PyErr_SetString(PyExc_RuntimeError, "BandIndex is already initialized");
        return -1;
    }
    s->bands = bands;
    s->rows = rows;
    s->capacity = 1024;
    s->slot_hash = PyMem_Calloc((size_t)s->capacity, sizeof(uint64_t));
    s->slot_bucket = PyMem_Malloc((size_t)s->capacity * sizeof(int64_t));
    if (!s->slot_hash || !s->slot_bucket) {
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

static void BandIndex_dealloc(BandIndex *s) {
    PyMem_Free(s->slot_hash);
    PyMem_Free(s->slot_bucket);
    PyMem_Free(s->bucket_band);
    PyMem_Free(s->bucket_head);
    PyMem_Free(s->values);
    PyMem_Free(s->node_key);
    PyMem_Free(s->node_next);
    PyMem_Free(s->found);
    Py_TYPE(s)->tp_free((PyObject *)s);
}

static PyObject *BandIndex_nbytes(BandIndex *s, void *closure) {
    size_t n = (size_t)s->capacity * (sizeof(uint64_t) + sizeof(int64_t)) +
               (size_t)s->buckets_cap * (sizeof(int32_t) + sizeof(int64_t) + (size_t)s->rows * 4) +
               (size_t)s->nodes_cap * 2 * sizeof(int64_t) + (size_t)s->found_cap * sizeof(int64_t);
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

/* intersection_size(a, b): |A & B| of two sorted arrays of distinct uint32 (shingle sets), by one merge pass;
   twin of len(numpy.intersect1d(a, b, assume_unique=True)). */
static PyObject *intersection_size(PyObject *self, PyObject *args) {
    PyObject *a_obj, *b_obj;
    if (!PyArg_ParseTuple(args, "OO", &a_obj, &b_obj)) return NULL;
    Py_buffer a, b;
    if (get_u32(a_obj, &a) < 0) return NULL;
    if (get_u32(b_obj, &b) < 0) {
        PyBuffer_Release(&a);
        return NULL;
    }
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
