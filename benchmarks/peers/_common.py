"""Shared helpers for the peer runners.

Each run_<peer>.py is executed by the python of that peer's own venv, so this module must only use
the standard library (it is found because a script's directory is on sys.path).
"""

import argparse
import gzip
import json
import os
import resource
import time


def parse_args(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--input", required=True, help="JSONL(.gz) with fields id, text")
    p.add_argument("--workdir", required=True, help="scratch directory for this run")
    p.add_argument("--threshold", type=float, default=0.8)
    p.add_argument("--num-perm", type=int, default=128)
    p.add_argument("--ngram", type=int, default=5)
    p.add_argument("--out", required=True, help="RESULT.json to write")
    args = p.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    return args


def open_text(path, mode="rt"):
    return gzip.open(path, mode, encoding="utf-8") if path.endswith(".gz") else open(path, mode, encoding="utf-8")


def iter_docs(path):
    """(id, text) in input order, streamed. ids are compared as str."""
    with open_text(path) as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                yield str(d["id"]), d.get("text") or ""


def read_docs(path):
    return list(iter_docs(path))


def input_stats(path):
    """(docs_in, bytes_in): number of docs and UTF-8 bytes of their text fields (streamed, low memory)."""
    n = nbytes = 0
    for _, t in iter_docs(path):
        n += 1
        nbytes += len(t.encode("utf-8"))
    return n, nbytes


def whitespace_shingles(text, n):
    """Set of word n-grams over whitespace tokens (the shingling of the naive datasketch baseline).

    A doc with 1..n-1 tokens yields its whole token sequence as a single shingle (so short exact
    duplicates still match); an empty doc yields the empty set and is never indexed nor removed.
    """
    toks = text.split()
    if not toks:
        return set()
    if len(toks) < n:
        return {" ".join(toks)}
    return {" ".join(toks[i : i + n]) for i in range(len(toks) - n + 1)}


def signatures(docs, n, sign):
    """``sign(shingles)`` for each document's whitespace word n-grams; None for a document without any
    (empty documents are never indexed or removed)."""
    out = []
    for _, text in docs:
        sh = whitespace_shingles(text, n)
        out.append(sign(sh) if sh else None)
    return out


def lsh_params(threshold, num_perm):
    """(bands, rows) minimising weighted FP+FN like datasketch.MinHashLSH / text-dedup's optimal_param
    (equal weights 0.5/0.5), so peers that take b x r instead of a threshold get the same banding."""
    def integrate(f, a, b, steps=1000):
        h = (b - a) / steps
        return sum(f(a + (i + 0.5) * h) for i in range(steps)) * h

    best, best_err = None, float("inf")
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            fp = integrate(lambda s: 1 - (1 - s ** r) ** b, 0.0, threshold)
            fn = integrate(lambda s: 1 - (1 - (1 - s ** r) ** b), threshold, 1.0)
            err = 0.5 * fp + 0.5 * fn
            if err < best_err:
                best, best_err = (b, r), err
    return best


def peak_rss_mb():
    """Max resident set size of this process and of its waited-for children (Linux: ru_maxrss in KiB).
    Note: this is the largest single process, not the sum over parallel workers."""
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(self_kb, child_kb) / 1024, 1)


class Timer:
    def __enter__(self):
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.t0


def write_result(args, tool, version, seconds, removed_ids, notes, docs_in=None, bytes_in=None, **extra):
    peak = peak_rss_mb()  # before anything below allocates
    if docs_in is None or bytes_in is None:
        docs_in, bytes_in = input_stats(args.input)
    res = {
        "tool": tool,
        "version": version,
        "seconds": round(seconds, 3),
        "peak_rss_mb": peak,
        "docs_in": docs_in,
        "bytes_in": bytes_in,
        "mb_per_s": round(bytes_in / 1e6 / seconds, 3) if seconds > 0 else None,
        "removed": len(set(removed_ids)),
        "threshold": args.threshold,
        "num_perm": args.num_perm,
        "ngram": args.ngram,
        **extra,
        "notes": notes,
        "removed_ids": sorted(set(map(str, removed_ids))),
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(res, f, ensure_ascii=False, indent=1)
    print(json.dumps({k: v for k, v in res.items() if k != "removed_ids"}, ensure_ascii=False))
    return res
