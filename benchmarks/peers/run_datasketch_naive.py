"""Naive datasketch baseline: what a user writes in 20 lines.

MinHash(num_perm).update(shingle.encode()) per whitespace word n-gram, then MinHashLSH(threshold)
query-then-insert in input order: a doc with any LSH candidate already indexed is removed (the first
seen survives, and removed docs are not indexed). No Jaccard verification of candidates (plain LSH).
"""
import datasketch
from datasketch import MinHash, MinHashLSH

from _common import Timer, parse_args, read_docs, signatures, write_result

args = parse_args(__doc__)


def naive_minhash(shingles):
    """One MinHash.update call per shingle: the way most users write it."""
    m = MinHash(num_perm=args.num_perm)
    for s in shingles:
        m.update(s.encode("utf-8"))
    return m


docs = read_docs(args.input)  # not timed: reading/JSON parsing is not the tool's work
bytes_in = sum(len(t.encode("utf-8")) for _, t in docs)

removed = []
with Timer() as t_all:
    with Timer() as t_sig:
        sigs = signatures(docs, args.ngram, naive_minhash)
    lsh = MinHashLSH(threshold=args.threshold, num_perm=args.num_perm)
    for (doc_id, _), m in zip(docs, sigs):
        if m is None:
            continue  # empty doc: no shingles, never indexed or removed
        if lsh.query(m):
            removed.append(doc_id)
        else:
            lsh.insert(doc_id, m)

write_result(
    args, "datasketch_naive", datasketch.__version__, t_all.seconds, removed,
    notes=f"whitespace word {args.ngram}-grams, MinHash.update per shingle (sha1 default hashfunc), "
    f"MinHashLSH b,r={lsh.b},{lsh.r}; input read excluded from seconds; empty docs never removed",
    docs_in=len(docs), bytes_in=bytes_in, signature_seconds=round(t_sig.seconds, 3),
)
