"""Paragraph-level near-duplicate benchmark: planted paragraph copies in real news, and the real corpus.

    python -m benchmarks.neardup.paragraph_bench [--out benchmarks/results/paragraph_neardup.json]
        [--docs 1500] [--almayadeen 500] [--per-kind 60] [--seed 0] [--no-corpus-run]

1. Hosts: ``--docs`` random SaudiNewsNet and ``--almayadeen`` AlMayadeen articles, put
   through the toolkit's clean + strip steps (paragraphs are judged *after* boilerplate
   stripping); a paragraph is a line of >= 20 match-key tokens. Articles that doc-level
   dedup would remove (exact or near copies of an earlier sampled one) are dropped first,
   so every removal measured here is a paragraph-level one.
2. Truth: the exact Jaccard of word 3-gram and 5-gram shingle sets of the frozen
   reference key (``truth_key.py``, independent of ``dedupe/``). Every paragraph's best
   match among the other sampled paragraphs is found (inverted shingle index, all
   candidates checked exactly). A paragraph with a best 3-gram J >= 0.3 is "natural"
   (a real near or partial copy); the others are "distinct".
3. Planted: ``--per-kind`` distinct source paragraphs per edit kind; an edited copy is
   inserted at a random position of a random *later* host (one per host). Kinds:
   orthographic (alef_hamza, yeh_teh, diacritics, tatweel, persian_letters, digits: truth
   J = 1), ``clitic_detach`` (proclitics written apart: و الحكومة), ``words_1`` /
   ``words_2`` / ``words_3`` (that many words replaced by words of another article),
   ``truncate_80`` (first 80 % of the words), ``ortho_word`` (alef_hamza + one word).
   A planted copy is a positive by construction, whatever its truth J (reported per kind).
4. Runs the toolkit's streaming pipeline (``run_batch`` + ``Deduper`` + ``ParagraphDedup``,
   exactly what ``arabic-dedupe run --paragraph-dedup`` does) per setting and reads the
   paragraph removals from the audit entries. Recall per kind = planted copies removed;
   precision = planted removed / (planted removed + distinct paragraphs removed);
   removals of natural paragraphs are counted apart, with the truth J to what they
   matched. A removal of a source paragraph (the earlier copy) is an error.
5. Real corpus (unless ``--no-corpus-run``): ``arabic-dedupe run`` on the whole of
   SaudiNewsNet, without paragraph dedup, exact-only, and at the default threshold
   (2 workers): counts and wall time; the truth J of every near removal against the
   paragraphs of the document it names (what the run kept).

Same seed and sources -> same corpus and figures (timings aside).
"""
from __future__ import annotations

import argparse
import collections
import gzip
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    __package__ = "benchmarks.neardup"

from dedupe import Config  # noqa: E402
from dedupe.document import Document  # noqa: E402
from dedupe.executors.shard import run_batch  # noqa: E402
from dedupe.steps.dedup import Deduper  # noqa: E402
from dedupe.steps.paragraph_dedup import RULE_NEAR, ParagraphDedup  # noqa: E402
from dedupe.stats import Stats  # noqa: E402

from . import variants  # noqa: E402
from .clitic_variants import detach  # noqa: E402
from .truth_key import jaccard, match_key_tokens, shingles  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
CORPORA = Path(os.environ.get("SHARED_CORPORA", "/work/shared/corpora"))
MIN_TOKENS = 20
NATURAL_J3 = 0.3
#: A non-planted removal is "lossy" when more than this share of its reference 3-grams is not in the kept match.
LOSSY = 0.3
#: Shingles in more paragraphs than this are not used to find truth neighbours (boilerplate-like phrases);
#: a pair with J >= 0.3 shares many shingles, so it still meets through a rarer one.
MAX_POSTING = 300
ORTHO = ("alef_hamza", "yeh_teh", "diacritics", "tatweel", "persian_letters", "digits")
KINDS = (*ORTHO, "clitic_detach", "words_1", "words_2", "words_3", "truncate_80", "ortho_word")
SETTINGS = [  # name, dedup overrides
    ("exact", {"paragraph_threshold": 1.0}),
    ("near 3-gram @0.9", {"paragraph_threshold": 0.9, "paragraph_ngram": 3}),
    ("near 3-gram @0.8", {"paragraph_threshold": 0.8, "paragraph_ngram": 3}),
    ("near 3-gram @0.7", {"paragraph_threshold": 0.7, "paragraph_ngram": 3}),
    ("near 3-gram @0.6", {"paragraph_threshold": 0.6, "paragraph_ngram": 3}),
    ("near 3-gram @0.5", {"paragraph_threshold": 0.5, "paragraph_ngram": 3}),
    ("near 4-gram @0.7", {"paragraph_threshold": 0.7, "paragraph_ngram": 4}),
    ("near 4-gram @0.6", {"paragraph_threshold": 0.6, "paragraph_ngram": 4}),
    ("near 5-gram @0.7", {"paragraph_threshold": 0.7, "paragraph_ngram": 5}),
    ("near 5-gram @0.6", {"paragraph_threshold": 0.6, "paragraph_ngram": 5}),
    ("near 5-gram @0.5", {"paragraph_threshold": 0.5, "paragraph_ngram": 5}),
    ("near 3-gram @0.7 clitics", {"paragraph_threshold": 0.7, "paragraph_ngram": 3, "clitics": True}),
]


def log(msg: str) -> None:
    print(f"[paragraph_bench] {msg}", file=sys.stderr, flush=True)


def load(name: str) -> list[dict]:
    with gzip.open(CORPORA / name, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def base_config(**dedup) -> Config:
    return Config().replace(run={"quiet": True}, boilerplate={"audit": True},
                            dedup={"paragraph_dedup": True, **dedup})


def pipeline(records: list[dict], config: Config) -> tuple[list[Document], float]:
    """The CLI's streaming decisions, in order; returns the decided documents and the seconds taken."""
    t0 = time.perf_counter()
    stats = Stats()
    deduper = Deduper(stats, config, ParagraphDedup(stats, config).apply)
    docs = [Document(r["id"], r["text"], "bench", n, n, r) for n, r in enumerate(records)]
    out = []
    for start in range(0, len(docs), 256):
        batch, _ = run_batch(docs[start : start + 256], config)
        for doc in batch:
            if not doc.removed:
                deduper.decide(doc)
            out.append(doc)
    return out, time.perf_counter() - t0


def key(text: str) -> str:
    return " ".join(match_key_tokens(text))


# ------------------------------------------------------------------------------------ edits

def replace_words(text: str, k: int, rng: random.Random, vocab: list[str]) -> str:
    words = text.split(" ")
    spots = [i for i, w in enumerate(words) if len(match_key_tokens(w)) == 1]
    for i in rng.sample(spots, min(k, len(spots))):
        words[i] = rng.choice(vocab)
    return " ".join(words)


def edit(kind: str, text: str, rng: random.Random, vocab: list[str]) -> str:
    if kind in ORTHO:
        return variants.ORTHOGRAPHIC[kind](text, rng)
    if kind == "clitic_detach":
        return detach(text, rng)
    if kind.startswith("words_"):
        return replace_words(text, int(kind[-1]), rng, vocab)
    if kind == "truncate_80":
        words = text.split(" ")
        return " ".join(words[: max(1, round(len(words) * 0.8))])
    if kind == "ortho_word":
        return replace_words(variants.alef_hamza(text, rng), 1, rng, vocab)
    raise ValueError(kind)


def eligible(kind: str, text: str) -> bool:
    if kind in ORTHO:
        return variants.ELIGIBLE[kind](text) and key(variants.ORTHOGRAPHIC[kind](text, random.Random(0))) == key(text) \
            and variants.ORTHOGRAPHIC[kind](text, random.Random(0)) != text
    if kind == "clitic_detach":
        return detach(text, random.Random(0)) != text
    if kind == "truncate_80":  # a copy under the minimum paragraph length is never removed, by design
        return len(match_key_tokens(edit(kind, text, random.Random(0), []))) >= MIN_TOKENS
    return True


# ------------------------------------------------------------------------------------ truth

def truth_sets(texts: list[str]) -> tuple[list[set], list[set]]:
    toks = [match_key_tokens(t) for t in texts]
    return [shingles(t, 3) for t in toks], [shingles(t, 5) for t in toks]


def best_neighbours(sets: list[set], groups: list[int]) -> list[tuple[int, float]]:
    """For every set, (index, J) of its most similar set in another group (-1, 0.0 if none shares a shingle)."""
    postings: dict[str, list[int]] = collections.defaultdict(list)
    for i, s in enumerate(sets):
        for sh in s:
            postings[sh].append(i)
    best = [(-1, 0.0)] * len(sets)
    for i, s in enumerate(sets):
        cands = set()
        for sh in s:
            p = postings[sh]
            if len(p) <= MAX_POSTING:
                cands.update(p)
        for j in cands:
            if groups[j] != groups[i]:
                jac = jaccard(s, sets[j])
                if jac > best[i][1]:
                    best[i] = (j, jac)
    return best


# ------------------------------------------------------------------------------------ build

def build(args) -> tuple[list[dict], dict]:
    rng = random.Random(args.seed)
    pool = [("saudinewsnet", r) for r in rng.sample([r for r in load("saudinewsnet.jsonl.gz") if len(r.get("text") or "") >= 400], args.docs)]
    pool += [("almayadeen", r) for r in rng.sample([r for r in load("almayadeen.jsonl.gz") if len(r.get("text") or "") >= 400], args.almayadeen)]
    rng.shuffle(pool)
    # clean + strip + doc-level dedup, exactly as a run does; keep the survivors' stripped text
    records = [{"id": r["id"], "text": r["text"], "title": (r.get("meta") or {}).get("title")} for _, r in pool]
    decided, _ = pipeline(records, base_config(paragraph_dedup=False))
    hosts = [{"id": d.id, "text": d.text, "corpus": src} for d, (src, _) in zip(decided, pool) if not d.removed]
    log(f"{len(hosts)} host articles after doc-level dedup (of {len(pool)})")
    # paragraphs (>= 20 reference tokens) and their natural neighbours
    paras = [(h, i, line) for h, doc in enumerate(hosts) for i, line in enumerate(doc["text"].split("\n"))
             if len(match_key_tokens(line)) >= MIN_TOKENS]
    s3, _ = truth_sets([p[2] for p in paras])
    nb = best_neighbours(s3, [p[0] for p in paras])
    natural = {k for k, (_, j) in enumerate(nb) if j >= NATURAL_J3}
    log(f"{len(paras)} paragraphs, {len(natural)} with a natural neighbour (3-gram J >= {NATURAL_J3})")
    vocab = sorted({w for _, _, line in paras for w in line.split(" ") if len(w) >= 4})
    # plant: sources are distinct paragraphs without natural neighbour; each copy goes to a later host
    candidates = [k for k in range(len(paras)) if k not in natural and paras[k][0] < len(hosts) - 50]
    rng.shuffle(candidates)
    used_sources, used_hosts, planted = set(), set(), []
    by_host_src = {paras[k][0] for k in candidates}
    it = iter(candidates)
    for kind in KINDS:
        n = 0
        for k in it:
            h, i, text = paras[k]
            if h in used_sources or h in used_hosts or not eligible(kind, text):
                continue
            later = [x for x in range(h + 1, len(hosts)) if x not in used_hosts and x not in used_sources]
            if not later:
                continue
            host = rng.choice(later)
            copy = edit(kind, text, rng, vocab)
            used_sources.add(h)
            used_hosts.add(host)
            planted.append({"kind": kind, "source": hosts[h]["id"], "host": hosts[host]["id"], "host_pos": host,
                            "text": copy, "original": text})
            n += 1
            if n == args.per_kind:
                break
    del by_host_src
    for p in planted:
        lines = hosts[p["host_pos"]]["text"].split("\n")
        at = rng.randrange(len(lines) + 1)
        lines.insert(at, p["text"])
        hosts[p["host_pos"]]["text"] = "\n".join(lines)
    for p in planted:
        a3, a5 = truth_sets([p["original"], p["text"]])
        p["j3"], p["j5"] = round(jaccard(a3[0], a3[1]), 4), round(jaccard(a5[0], a5[1]), 4)
        p["tokens"] = len(match_key_tokens(p["original"]))
    meta = {"hosts": len(hosts), "paragraphs": len(paras), "natural_paragraphs": len(natural),
            "planted": len(planted), "per_kind": dict(collections.Counter(p["kind"] for p in planted))}
    return hosts, {"planted": planted, "meta": meta}


# ------------------------------------------------------------------------------------ evaluate

def evaluate(hosts: list[dict], truth: dict, name: str, overrides: dict, examples: list | None = None) -> dict:
    records = [{"id": h["id"], "text": h["text"]} for h in hosts]
    decided, seconds = pipeline(records, base_config(**overrides))
    planted = {(p["host"], key(p["text"])): p for p in truth["planted"]}
    sources = {(p["source"], key(p["original"])) for p in truth["planted"]}
    final = {d.id: d.text for d in decided if not d.removed}
    texts = [line for h in hosts for line in h["text"].split("\n") if len(match_key_tokens(line)) >= MIN_TOKENS]
    s3 = dict(zip(map(key, texts), truth_sets(texts)[0]))
    removed_planted, distinct_fp, natural_removed, source_errors, too_short = set(), [], [], 0, 0
    novel: list[float] = []  # per non-planted removal: share of its 3-grams absent from the paragraph it matched
    by_host = {p["host"]: (p["host"], key(p["text"])) for p in truth["planted"]}
    for d in decided:
        if d.reason == "too_short_after_paragraph_dedup":
            too_short += 1
            if d.id in by_host:  # the planted copy went with its (too short) host: it is not in the output
                removed_planted.add(by_host[d.id])
        for entry in d.audit:
            if not entry[1].startswith("paragraph_"):
                continue
            line_key = key(entry[2])
            ident = (d.id, line_key)
            if ident in planted:
                removed_planted.add(ident)
                continue
            if ident in sources:
                source_errors += 1
            other = final.get(entry[3]["duplicate_of"], "")
            mine = s3.get(line_key) or truth_sets([entry[2]])[0][0]
            j, match = max(((jaccard(mine, s3.get(key(l)) or truth_sets([l])[0][0]), l) for l in other.split("\n")
                            if l.strip()), default=(0.0, ""))
            (natural_removed if j >= NATURAL_J3 else distinct_fp).append(round(j, 3))
            kept3 = s3.get(key(match)) or truth_sets([match])[0][0] if match else set()
            novel.append(1 - len(mine & kept3) / len(mine) if mine else 0.0)
            if examples is not None:
                examples.append({"j3": round(j, 3), "tool_similarity": entry[3]["similarity"], "removed": entry[2],
                                 "kept": match})
    per_kind = {}
    for kind in KINDS:
        ps = [p for p in truth["planted"] if p["kind"] == kind]
        hit = [p for p in ps if (p["host"], key(p["text"])) in removed_planted]
        per_kind[kind] = {"n": len(ps), "recall": round(len(hit) / len(ps), 3) if ps else None,
                          "mean_truth_j3": round(sum(p["j3"] for p in ps) / len(ps), 3) if ps else None,
                          "mean_truth_j5": round(sum(p["j5"] for p in ps) / len(ps), 3) if ps else None}
    tp = len(removed_planted)
    return {"setting": name, "overrides": overrides, "seconds": round(seconds, 2),
            "recall": round(tp / len(truth["planted"]), 3),
            "precision": round(tp / (tp + len(distinct_fp)), 4) if tp + len(distinct_fp) else None,
            "planted_removed": tp, "distinct_removed": len(distinct_fp), "distinct_removed_truth_j3": sorted(distinct_fp),
            "natural_removed": len(natural_removed),
            "natural_removed_truth_j3": {f"{lo:g}-{hi:g}": sum(lo <= j < hi for j in natural_removed)
                                         for lo, hi in ((0.3, 0.5), (0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.01))},
            "natural_lossy_removals": sum(x > LOSSY for x in novel),
            "source_paragraphs_removed": source_errors,
            "documents_too_short": too_short, "per_kind": per_kind}


def corpus_runs(threshold: float) -> dict:
    """The CLI on all of SaudiNewsNet: off, exact-only, default near; counts, times, truth J of near removals."""
    out: dict = {}
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    src = str(CORPORA / "saudinewsnet.jsonl.gz")
    with tempfile.TemporaryDirectory() as tmp:
        for name, flags in (("off", []), ("exact", ["--paragraph-dedup", "--paragraph-threshold", "exact"]),
                            (f"near@{threshold}", ["--paragraph-dedup", "--audit"])):
            target = Path(tmp) / name.replace("@", "_")
            cmd = [sys.executable, "-m", "dedupe", "run", src, "-o", str(target), "--overwrite", "--workers", "2", "--quiet", *flags]
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, env=env, cwd=ROOT)
            wall = time.perf_counter() - t0
            stats = json.loads((target / "stats.json").read_text())
            out[name] = {"wall_seconds": round(wall, 2), "documents_kept": stats["documents_kept"],
                         "documents_removed": stats["documents_removed"],
                         "paragraphs_removed_across_documents": stats["paragraphs_removed_across_documents"],
                         "paragraphs_near_removed_across_documents": stats.get("paragraphs_near_removed_across_documents", 0),
                         "bytes_out": stats["bytes_out"], "step_seconds": stats["step_seconds"]}
            if "--audit" in flags:
                out[name]["near_removals_truth_j"] = _near_truth(target)
    return out


def _near_truth(target: Path) -> dict:
    """Truth (reference-key 3- and 5-gram J) of each near removal against the best paragraph of the document it names."""
    kept = {}
    for f in sorted((target / "kept").glob("part-*")):
        for line in open(f, encoding="utf-8"):
            r = json.loads(line)
            kept[r["id"]] = r["text"]
    j3s, j5s = [], []
    for f in sorted((target / "audit").glob("part-*")):
        for line in open(f, encoding="utf-8"):
            a = json.loads(line)
            if a["rule"] != RULE_NEAR:
                continue
            m3, m5 = truth_sets([a["text"]])
            best = (0.0, 0.0)
            for other in kept.get(a["duplicate_of"], "").split("\n"):
                if other.strip():
                    o3, o5 = truth_sets([other])
                    best = max(best, (jaccard(m3[0], o3[0]), jaccard(m5[0], o5[0])))
            j3s.append(best[0])
            j5s.append(best[1])
    edges = [0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001]
    hist = {f"{lo:g}-{min(hi, 1):g}": sum(lo <= j < hi for j in j3s) for lo, hi in zip(edges, edges[1:])}
    return {"n": len(j3s), "j3_histogram": hist, "j3_below_0.5": sum(j < 0.5 for j in j3s),
            "median_j3": sorted(j3s)[len(j3s) // 2] if j3s else None,
            "median_j5": sorted(j5s)[len(j5s) // 2] if j5s else None}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "paragraph_neardup.json"))
    ap.add_argument("--docs", type=int, default=1500)
    ap.add_argument("--almayadeen", type=int, default=500)
    ap.add_argument("--per-kind", type=int, default=60)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-corpus-run", action="store_true")
    ap.add_argument("--only", nargs="*", help="setting names to run (default all)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    hosts, truth = build(args)
    log(f"built in {time.perf_counter() - t0:.1f} s: {truth['meta']}")
    results = []
    for name, overrides in SETTINGS:
        if args.only and name not in args.only:
            continue
        r = evaluate(hosts, truth, name, overrides)
        log(f"{name:28s} P={r['precision']} R={r['recall']} distinct_fp={r['distinct_removed']} "
            f"natural={r['natural_removed']} lossy={r['natural_lossy_removals']} src_err={r['source_paragraphs_removed']} too_short={r['documents_too_short']} "
            + " ".join(f"{k}={v['recall']}" for k, v in r["per_kind"].items()))
        results.append(r)
    default = Config().dedup
    report = {"params": {**vars(args), "min_tokens": MIN_TOKENS, "natural_j3": NATURAL_J3,
                         "default_threshold": default.paragraph_threshold, "default_ngram": default.paragraph_ngram},
              "bench": truth["meta"], "settings": results}
    if not args.no_corpus_run:
        report["saudinewsnet"] = corpus_runs(default.paragraph_threshold)
        log(json.dumps(report["saudinewsnet"], ensure_ascii=False))
    Path(args.out).write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    log(f"wrote {args.out} in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
