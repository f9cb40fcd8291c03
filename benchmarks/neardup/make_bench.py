"""Build the labelled near-duplicate benchmark from SaudiNewsNet.

    python -m benchmarks.neardup.make_bench --out /tmp/neardup_bench [--base-docs 1500] [--seed 0]

Writes DIR/corpus.jsonl (`{"id", "text", "source", "meta"}` per line, in corpus order),
DIR/truth.json (the frozen raw-text truth) and DIR/truth_stripped.json (the same schema,
computed on the text after dedupe's per-document stage: see `stripped_truth`):

    {"docs": [ids in corpus order],
     "pairs": [{"a", "b", "jaccard", "kind", ...}],   # a precedes b in corpus order
     "params": {...}}

Steps (all randomness from one `random.Random(seed)`, so the output is deterministic):

1. Load SaudiNewsNet, keep docs with >= 400 characters, compute the reference
   match-key shingles (`truth_key`) of every one.
2. Natural pairs over the WHOLE file: MinHash LSH at a low threshold proposes
   candidates, the exact Jaccard decides; every pair >= 0.5 is kept. `exact` =
   byte-identical text, otherwise `natural`.
3. Sample `--base-docs` docs. Pull in whole connected components (of the >= 0.5
   graph) - first those touching the sample, then others - until the corpus holds
   `--natural-pairs` natural+exact pairs. Whole components, so no true duplicate
   of a corpus doc is missing from the corpus.
4. Plant variants on base docs that have NO >= 0.5 neighbour anywhere in the file
   (so each planted pair is an isolated, unambiguous cluster): `--per-kind` of
   every kind in `variants.PLANTED_KINDS`, each original used once. Variant id is
   `<orig>#<kind>`; the (original, variant) pair is always recorded, whatever its
   Jaccard.
5. Order: shuffle; each variant is placed at a random position AFTER its original,
   so "first seen survives" must keep the original.
6. Completeness check: LSH over the final corpus; any other >= 0.5 pair (e.g. a
   variant that also resembles an unrelated doc) is recorded with kind `derived`.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import hashlib
import json
import random
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # allow `python benchmarks/neardup/make_bench.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    __package__ = "benchmarks.neardup"

from . import pairs as pairs_mod  # noqa: E402
from .truth_key import SHINGLE_SIZE, jaccard, text_shingles  # noqa: E402
from .variants import PLANTED_KINDS, is_eligible, make_variant  # noqa: E402

DEFAULT_SOURCE = "/work/shared/corpora/saudinewsnet.jsonl.gz"
MIN_CHARS = 400
MIN_JACCARD = 0.5


def log(msg: str) -> None:
    print(f"[make_bench] {msg}", file=sys.stderr, flush=True)


def load_docs(path: str, min_chars: int) -> list[dict]:
    """SaudiNewsNet docs with at least `min_chars` characters, in file order."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        docs = [json.loads(line) for line in fh]
    return [d for d in docs if len(d.get("text") or "") >= min_chars]


def file_sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def components(edges) -> dict[str, list[str]]:
    """Connected components of an undirected graph given as (a, b) edges: {root: sorted members}."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = collections.defaultdict(list)
    for x in parent:
        groups[find(x)].append(x)
    return {r: sorted(m) for r, m in groups.items()}


def select_natural(rng: random.Random, base: list[str], all_pairs: dict, target_pairs: int) -> set[str]:
    """Ids of the components to pull in: first those touching `base`, then others, until
    the number of >= 0.5 pairs inside the chosen components reaches `target_pairs`."""
    comps = components(all_pairs)
    member_of = {m: r for r, ms in comps.items() for m in ms}
    pairs_in = collections.Counter(member_of[a] for a, _ in all_pairs)
    base_set = set(base)
    touching = sorted({member_of[b] for b in base if b in member_of})
    others = sorted(set(comps) - set(touching))
    rng.shuffle(touching)
    rng.shuffle(others)
    pulled: set[str] = set()
    n_pairs = 0
    for root in touching + others:
        if n_pairs >= target_pairs:
            break
        pulled.update(comps[root])
        n_pairs += pairs_in[root]
    log(f"natural: {len(comps)} components in file, pulled {n_pairs} pairs, "
        f"{len(pulled - base_set)} extra docs")
    return pulled


def plant_variants(rng: random.Random, candidates: list[str], texts: dict[str, str],
                   per_kind: int) -> list[dict]:
    """Make `per_kind` variants of every planted kind, each from a distinct original.

    Kinds are served most-restrictive first (fewest eligible candidates) so that
    the permissive kinds do not use up the docs that e.g. drop_paragraph needs.
    """
    pool = list(candidates)
    rng.shuffle(pool)
    order = sorted(PLANTED_KINDS, key=lambda k: sum(is_eligible(k, texts[d]) for d in pool))
    used: set[str] = set()
    out = []
    for kind in order:
        made = 0
        for orig in pool:
            if made >= per_kind:
                break
            if orig in used or not is_eligible(kind, texts[orig]):
                continue
            text, detail = make_variant(kind, texts[orig], rng)
            if text == texts[orig]:
                continue
            used.add(orig)
            made += 1
            out.append({"id": f"{orig}#{kind}", "orig": orig, "kind": kind, "detail": detail,
                        "text": text})
        if made < per_kind:
            log(f"WARNING: only {made} eligible originals for kind {kind}")
    return out


def corpus_order(rng: random.Random, originals: list[str], variants: list[dict]) -> list[str]:
    """Random order in which every variant comes after its original.

    Each original gets a uniform key r; its variant gets a key uniform in (r, 1).
    """
    key = {d: rng.random() for d in originals}
    for v in variants:
        r = key[v["orig"]]
        key[v["id"]] = r + (1.0 - r) * rng.uniform(1e-9, 1.0)
    return sorted(key, key=lambda d: (key[d], d))


def build(source: str, base_docs: int, seed: int, per_kind: int, natural_pairs: int) -> tuple[list[dict], dict]:
    """Return (corpus records in order, truth dict)."""
    t0 = time.time()
    rng = random.Random(seed)
    docs = load_docs(source, MIN_CHARS)
    by_id = {d["id"]: d for d in docs}
    texts = {d["id"]: d["text"] for d in docs}
    shingles = {i: text_shingles(t) for i, t in texts.items()}
    log(f"{len(docs)} docs >= {MIN_CHARS} chars shingled ({time.time() - t0:.0f}s)")

    file_pairs = pairs_mod.similar_pairs(shingles, MIN_JACCARD)
    log(f"{len(file_pairs)} pairs >= {MIN_JACCARD} in the whole file ({time.time() - t0:.0f}s)")

    ids = sorted(texts)
    base = rng.sample(ids, min(base_docs, len(ids)))
    pulled = select_natural(rng, base, file_pairs, natural_pairs)
    has_neighbour = {x for p in file_pairs for x in p}
    plant_pool = sorted(b for b in base if b not in has_neighbour)
    variants = plant_variants(rng, plant_pool, texts, per_kind)
    originals = sorted(set(base) | pulled)
    order = corpus_order(rng, originals, variants)
    pos = {d: i for i, d in enumerate(order)}

    def ordered(a: str, b: str) -> tuple[str, str]:
        return (a, b) if pos[a] < pos[b] else (b, a)

    records: list[dict] = []
    for v in variants:
        shingles[v["id"]] = text_shingles(v["text"])
        a, b = ordered(v["orig"], v["id"])
        records.append({"a": a, "b": b, "jaccard": jaccard(shingles[a], shingles[b]),
                        "kind": v["kind"], "detail": v["detail"]})
    known = {tuple(sorted((r["a"], r["b"]))) for r in records}
    in_corpus = set(order)
    for (x, y), j in file_pairs.items():
        if x in in_corpus and y in in_corpus:
            a, b = ordered(x, y)
            kind = "exact" if texts[a] == texts[b] else "natural"
            records.append({"a": a, "b": b, "jaccard": j, "kind": kind})
            known.add((x, y))
    corpus_pairs = pairs_mod.similar_pairs({d: shingles[d] for d in order}, MIN_JACCARD)
    for (x, y), j in corpus_pairs.items():
        if (x, y) not in known:
            a, b = ordered(x, y)
            records.append({"a": a, "b": b, "jaccard": j, "kind": "derived"})
    records.sort(key=lambda r: (pos[r["b"]], pos[r["a"]]))
    for r in records:
        r["jaccard"] = round(r["jaccard"], 6)
    log(f"corpus {len(order)} docs, {len(records)} pairs ({time.time() - t0:.0f}s)")

    variant_by_id = {v["id"]: v for v in variants}
    corpus = []
    for d in order:
        if d in variant_by_id:
            v = variant_by_id[d]
            src = by_id[v["orig"]]
            corpus.append({"id": d, "text": v["text"], "source": src.get("source"),
                           "meta": {**(src.get("meta") or {}), "planted": v["kind"],
                                    "planted_detail": v["detail"], "original": v["orig"]}})
        else:
            corpus.append(by_id[d])

    truth = {
        "docs": order,
        "pairs": records,
        "params": {
            "source": source, "source_sha256": file_sha256(source), "seed": seed,
            "base_docs": base_docs, "per_kind": per_kind, "natural_pairs_target": natural_pairs,
            "min_chars": MIN_CHARS, "min_jaccard_recorded": MIN_JACCARD,
            "shingle": f"word {SHINGLE_SIZE}-grams of benchmarks.neardup.truth_key.match_key_tokens",
            "lsh_candidate_threshold": pairs_mod.LSH_THRESHOLD, "lsh_num_perm": pairs_mod.NUM_PERM,
            "planted_kinds": PLANTED_KINDS,
            "pair_order": "a precedes b in corpus order",
            "counts": {"docs": len(order), "originals": len(originals), "base": len(base),
                       "pulled_extra": len(pulled - set(base)), "variants": len(variants),
                       "pairs_by_kind": dict(collections.Counter(r["kind"] for r in records))},
        },
    }
    return corpus, truth


def write(out: Path, corpus: list[dict], truth: dict) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "corpus.jsonl", "w", encoding="utf-8") as fh:
        for rec in corpus:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    with open(out / "truth.json", "w", encoding="utf-8") as fh:
        json.dump(truth, fh, ensure_ascii=False, indent=1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, type=Path, help="output directory")
    ap.add_argument("--base-docs", type=int, default=1500, help="random SaudiNewsNet docs to sample")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--per-kind", type=int, default=40, help="planted variants per kind")
    ap.add_argument("--natural-pairs", type=int, default=500,
                    help="pull in duplicate clusters until the corpus has this many natural+exact pairs")
    ap.add_argument("--source", default=DEFAULT_SOURCE)
    ap.add_argument("--no-stripped-truth", action="store_true",
                    help="do not also write truth_stripped.json (the second truth definition, see stripped_truth.py)")
    args = ap.parse_args(argv)
    corpus, truth = build(args.source, args.base_docs, args.seed, args.per_kind, args.natural_pairs)
    write(args.out, corpus, truth)
    if not args.no_stripped_truth:
        from .stripped_truth import write_for_bench  # imports dedupe: only here

        log(f"wrote {write_for_bench(args.out)}")
    print(json.dumps(truth["params"]["counts"], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
