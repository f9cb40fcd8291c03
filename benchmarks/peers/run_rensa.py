"""rensa peer: Rust R-MinHash (RMinHash) + rensa's own RMinHashLSH, in input order.

Same whitespace word n-gram shingles as the naive datasketch baseline; one RMinHash(num_perm,
seed=42).update(list_of_shingles) per doc (the README's usage). RMinHashLSH requires num_perm to be
divisible by num_bands, so datasketch's optimal (b=9, r=13) for 0.8/128 is impossible: we use 16 bands
(8 rows, LSH knee ~0.71, as in rensa's README LSH example) and keep a candidate only if
lsh.is_similar() (estimated Jaccard >= threshold) - the README's query-then-verify pattern.
First seen survives; removed docs are not indexed.
"""
from importlib.metadata import version

from rensa import RMinHash, RMinHashLSH

from _common import Timer, parse_args, read_docs, signatures, write_result

NUM_BANDS = 16

args = parse_args(__doc__)


def rensa_minhash(shingles):
    m = RMinHash(num_perm=args.num_perm, seed=42)
    m.update(list(shingles))
    return m


docs = read_docs(args.input)  # not timed
bytes_in = sum(len(t.encode("utf-8")) for _, t in docs)

removed = []
with Timer() as t_all:
    with Timer() as t_sig:
        sigs = signatures(docs, args.ngram, rensa_minhash)
    lsh = RMinHashLSH(threshold=args.threshold, num_perm=args.num_perm, num_bands=NUM_BANDS)
    for i, m in enumerate(sigs):
        if m is None:
            continue
        if any(lsh.is_similar(m, sigs[c]) for c in lsh.query(m)):
            removed.append(docs[i][0])
        else:
            lsh.insert(i, m)

write_result(
    args, "rensa", version("rensa"), t_all.seconds, removed,
    notes=f"RMinHash(seed=42) over whitespace word {args.ngram}-grams; RMinHashLSH num_bands={NUM_BANDS} "
    f"(rows {args.num_perm // NUM_BANDS}) + is_similar(jaccard>=threshold) verification; input read excluded "
    f"from seconds; empty docs never removed",
    docs_in=len(docs), bytes_in=bytes_in, signature_seconds=round(t_sig.seconds, 3),
    lsh_bands=NUM_BANDS, lsh_rows=args.num_perm // NUM_BANDS,
)
