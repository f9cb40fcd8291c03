"""Benchmark corpus of a requested size, with duplicates planted, as one JSONL file.

Why a generated corpus: the real Arabic news we have (SaudiNewsNet + AlMayadeen, ~49 MB of text) is smaller than
the 4x / 16x scaling runs need, and a throughput number means little unless the duplicate share is known and the
same at every size. So the stream is, by document count (all decisions from one ``random.Random(seed)``):

* ~81% new documents: first the real articles in a seeded shuffled order, then, once they are used up,
  synthetic articles made of 3-8 paragraphs drawn from random real articles (``syn-N``), so that a 640 MB corpus
  is not 13 copies of the same 49 MB;
* ~15% planted variants (``benchmarks/neardup/variants.py``: orthographic, structural and combo kinds) of a
  random earlier new document (``<orig>#<kind>#N``);
* ~4% exact copies of a random earlier new document (``<orig>#copy#N``).

Every variant and copy comes after its original. The real articles also carry their own natural duplicates.
Without /work/shared the pool is the five articles of corpus_samples/ and synthetic documents shuffle the words of
each borrowed paragraph (with so few sources, plain paragraph mixes would be near-duplicates of each other).

Same size, seed and sources -> byte-identical file. Files are cached under $BENCH_CACHE (default
/tmp/arabic-dedupe-bench) with a ``.meta.json`` beside them (counts per kind, bytes, sources).

    python -m benchmarks.corpus --size-mb 40 [--seed 0] [--out FILE]
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import random
import sys
from pathlib import Path

from benchmarks.neardup import variants

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SHARED_CORPORA", ROOT.parent / "shared" / "corpora"))
SOURCES = ("saudinewsnet.jsonl.gz", "almayadeen.jsonl.gz")
SAMPLES = ROOT / "corpus_samples"
CACHE = Path(os.environ.get("BENCH_CACHE", "/tmp/arabic-dedupe-bench"))
VERSION = 1  # bump when the generation recipe changes (part of the cache key)

P_VARIANT = 0.15
P_COPY = 0.04


def load_pool() -> tuple[list[tuple[str, str]], str]:
    """(id, text) of the real documents, and a label of where they came from."""
    files = [SHARED / name for name in SOURCES]
    if all(f.is_file() for f in files):
        pool = []
        for f in files:
            with gzip.open(f, "rt", encoding="utf-8") as fh:
                for line in fh:
                    rec = json.loads(line)
                    if (rec.get("text") or "").strip():
                        pool.append((str(rec["id"]), rec["text"]))
        return pool, "shared:" + "+".join(SOURCES)
    pool = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(SAMPLES.glob("*.txt"))]
    if not pool:
        raise SystemExit(f"no corpus: neither {SHARED} nor {SAMPLES} has documents")
    return pool, "corpus_samples"


class _Generator:
    def __init__(self, pool: list[tuple[str, str]], seed: int, shuffle_words: bool) -> None:
        self.rng = random.Random(seed)
        self.pool = pool[:]
        self.rng.shuffle(self.pool)
        self.shuffle_words = shuffle_words
        self.paras = [[p for p in text.split("\n") if p.strip()] for _, text in self.pool]
        self.para_owners = [i for i, ps in enumerate(self.paras) if ps]
        self.next_real = 0
        self.n_syn = 0
        # originals are kept as recipes (real index, or the paragraph picks of a synthetic doc), not as text,
        # so memory stays at the size of the pool however large the corpus grows
        self.originals: list[tuple[str, object]] = []

    def _synthetic_text(self, recipe: list[tuple[int, int, int]]) -> str:
        out = []
        for doc, para, word_seed in recipe:
            text = self.paras[doc][para]
            if self.shuffle_words:
                words = text.split()
                random.Random(word_seed).shuffle(words)
                text = " ".join(words)
            out.append(text)
        return "\n".join(out)

    def text_of(self, original: tuple[str, object]) -> str:
        _, how = original
        return self.pool[how][1] if isinstance(how, int) else self._synthetic_text(how)

    def new_document(self) -> tuple[str, str, str]:
        if self.next_real < len(self.pool):
            i = self.next_real
            self.next_real += 1
            self.originals.append((self.pool[i][0], i))
            return self.pool[i][0], self.pool[i][1], "real"
        rng = self.rng
        recipe = []
        for _ in range(rng.randint(3, 8)):
            doc = rng.choice(self.para_owners)
            recipe.append((doc, rng.randrange(len(self.paras[doc])), rng.randrange(1 << 30)))
        self.n_syn += 1
        doc_id = f"syn-{self.n_syn:07d}"
        self.originals.append((doc_id, recipe))
        return doc_id, self._synthetic_text(recipe), "synthetic"

    def emit(self, n: int) -> tuple[dict, str]:
        rng = self.rng
        u = rng.random()
        if self.originals and u < P_VARIANT + P_COPY:
            orig = self.originals[rng.randrange(len(self.originals))]
            text = self.text_of(orig)
            if u < P_COPY:
                return {"id": f"{orig[0]}#copy#{n}", "text": text, "meta": {"planted": "copy", "original": orig[0]}}, "copy"
            kinds = [k for k in variants.PLANTED_KINDS if variants.is_eligible(k, text)]
            kind = rng.choice(kinds)
            vtext, detail = variants.make_variant(kind, text, rng)
            rec = {"id": f"{orig[0]}#{kind}#{n}", "text": vtext,
                   "meta": {"planted": kind, "planted_detail": detail, "original": orig[0]}}
            return rec, "variant"
        doc_id, text, how = self.new_document()
        return {"id": doc_id, "text": text}, how


def build(size_mb: float, seed: int = 0, out: str | Path | None = None, quiet: bool = False) -> tuple[Path, dict]:
    """Write (or reuse from the cache) the corpus; return its path and metadata."""
    pool, origin = load_pool()
    digest = hashlib.sha256(repr((VERSION, origin, len(pool), sum(len(t) for _, t in pool))).encode()).hexdigest()[:10]
    path = Path(out) if out else CACHE / f"corpus-{size_mb:g}mb-seed{seed}-{digest}.jsonl"
    meta_path = path.with_name(path.name + ".meta.json")
    if path.is_file() and meta_path.is_file():
        meta = json.loads(meta_path.read_text())
        if meta.get("digest") == digest and meta.get("size_mb") == size_mb and meta.get("seed") == seed:
            return path, meta
    path.parent.mkdir(parents=True, exist_ok=True)
    gen = _Generator(pool, seed, shuffle_words=(origin == "corpus_samples"))
    target = int(size_mb * 1e6)
    counts = {"real": 0, "synthetic": 0, "variant": 0, "copy": 0}
    kinds: dict[str, int] = {}
    total = n = 0
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        while total < target:
            rec, how = gen.emit(n)
            counts[how] += 1
            if how == "variant":
                kinds[rec["meta"]["planted"]] = kinds.get(rec["meta"]["planted"], 0) + 1
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
            total += len(rec["text"].encode("utf-8"))
            n += 1
            if not quiet and n % 20000 == 0:
                print(f"  corpus: {total / 1e6:.0f}/{size_mb:g} MB", file=sys.stderr, flush=True)
    os.replace(tmp, path)
    meta = {"size_mb": size_mb, "seed": seed, "digest": digest, "origin": origin, "pool_docs": len(pool),
            "docs": n, "text_bytes": total, "file_bytes": path.stat().st_size, "counts": counts,
            "variant_kinds": dict(sorted(kinds.items())), "version": VERSION}
    meta_path.write_text(json.dumps(meta, indent=1) + "\n")
    return path, meta


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--size-mb", type=float, default=40, help="UTF-8 MB of document text (default 40)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", help="output JSONL (default: cached under $BENCH_CACHE)")
    args = p.parse_args(argv)
    path, meta = build(args.size_mb, args.seed, args.out)
    print(path)
    print(json.dumps(meta, indent=1))


if __name__ == "__main__":
    main()
