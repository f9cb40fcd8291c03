"""A second truth definition: the same exact Jaccard, on the text the dedup stage compares.

    python -m benchmarks.neardup.stripped_truth --bench /tmp/neardup_bench   # writes truth_stripped.json beside truth.json

`truth.json` ("raw" truth) is the exact Jaccard of word 5-gram shingles of the frozen
reference key (`truth_key`) of the RAW text, site chrome included. The pipeline
never compares raw text: each document first goes through its per-document stage
(`dedupe.steps.local`: `CleanStep`, then `StripStep` = chrome lines, inline trimming
and in-document repeated paragraphs), and only what is left reaches near-duplicate
detection. So the same wire story scraped with another byline line is J = 1.0 for
the dedup stage and 0.77 for the raw truth.

`truth_stripped.json` ("stripped" truth) has the same schema and is computed the
same way, except that every document is first passed through that per-document
stage (default `Config()`, no corpus line-frequency pass, which is off by default;
the same calls as the "ours" classifier of `benchmarks/boilerplate_eval.py`). The
match key and shingles stay the frozen `truth_key` ones: only the stripping is
taken from the package, not its normalizer.

Pairs recorded: every pair of truth.json, re-scored on the stripped text (same
kind; planted pairs always kept, whatever their Jaccard; `jaccard_raw` keeps the
old value), plus every other pair with stripped J >= 0.5 (found as in make_bench:
MinHash LSH at 0.3, checked exactly), with kind `natural` (two non-planted
documents) or `derived` (a planted variant is involved) and `new: true`.

CAVEAT (circularity): this truth trusts our own stripper. A line the stripper
wrongly removes (content taken for chrome) can raise two documents' stripped
Jaccard above the threshold, and then a removal that the raw truth calls a false
positive is scored correct here. Read the two definitions together: a removal
correct only under the stripped truth is correct *if* the stripper was right on
those two documents (`evaluate` lists how many such removals there are; check them
by hand, e.g. with `diagnose`). The stripped truth also moves whenever the stripper
changes: `params.stripper_digest` records the code it was computed with, and
`evaluate` warns when the current code differs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # allow `python benchmarks/neardup/stripped_truth.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    __package__ = "benchmarks.neardup"

from . import pairs as pairs_mod  # noqa: E402
from .truth_key import SHINGLE_SIZE, jaccard, text_shingles  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
MIN_JACCARD = 0.5
DEFINITION = "stripped"
TRUTH_FILE = "truth_stripped.json"
#: Code the stripped text depends on (hashed into params.stripper_digest).
STRIPPER_SOURCES = ("dedupe/text/*.py", "dedupe/steps/local.py", "dedupe/config.py", "dedupe/_csrc/*.c",
                    "dedupe/_csrc/*.h")
CAVEAT = ("caveat: the 'stripped' truth trusts our own chrome stripper (it is computed on the text after "
          "dedupe's clean + StripStep); a stripper error (content taken for chrome) can turn a false positive "
          "into a 'correct' removal. The removals correct only under the stripped truth are listed above "
          "('correct only under stripped'): check those by hand before citing the stripped figures.")


def stripper_digest(repo: Path = REPO) -> str:
    """sha256 over the source files the per-document stage depends on (to detect a stale truth)."""
    h = hashlib.sha256()
    for pattern in STRIPPER_SOURCES:
        for path in sorted(repo.glob(pattern)):
            h.update(str(path.relative_to(repo)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


class PipelineText:
    """The per-document stage of the pipeline (clean, then chrome stripping, trimming and in-document
    repeats), applied to one input record at a time; returns the text dedup compares."""

    def __init__(self) -> None:
        from dedupe import Config
        from dedupe.stats import Stats
        from dedupe.steps.local import CleanStep, StripStep

        config = Config()
        stats = Stats()
        self.steps = [CleanStep(stats, config), StripStep(stats, config)]

    def __call__(self, record: dict, seq: int = 0, source: str = "corpus.jsonl") -> str:
        from dedupe.document import Document

        doc = Document(id=str(record.get("id", seq)), text=record["text"], source=source, line=None,
                       seq=seq, record=record)
        for step in self.steps:
            step.process(doc)
        return doc.text


def stripped_texts(records: list[dict]) -> dict[str, str]:
    """{id: text after the pipeline's per-document stage} for corpus records."""
    stage = PipelineText()
    return {r["id"]: stage(r, i) for i, r in enumerate(records)}


def build(records: list[dict], raw_truth: dict, min_jaccard: float = MIN_JACCARD,
          texts: dict[str, str] | None = None) -> dict:
    """The stripped truth dict (schema of truth.json) for corpus `records` and their raw truth."""
    order = raw_truth["docs"]
    by_id = {r["id"]: r for r in records}
    if set(by_id) != set(order):
        raise ValueError("corpus records and truth.json list different documents")
    pos = {d: i for i, d in enumerate(order)}
    texts = texts if texts is not None else stripped_texts([by_id[d] for d in order])
    shingles = {d: text_shingles(texts[d]) for d in order}

    records_out: list[dict] = []
    known: set[tuple[str, str]] = set()
    for p in raw_truth["pairs"]:
        rec = {**p, "jaccard": round(jaccard(shingles[p["a"]], shingles[p["b"]]), 6), "jaccard_raw": p["jaccard"]}
        records_out.append(rec)
        known.add(tuple(sorted((p["a"], p["b"]))))
    for (x, y), j in pairs_mod.similar_pairs(shingles, min_jaccard, extra_candidates=()).items():
        if (x, y) in known:
            continue
        a, b = (x, y) if pos[x] < pos[y] else (y, x)
        kind = "derived" if "#" in a or "#" in b else "natural"
        records_out.append({"a": a, "b": b, "jaccard": round(j, 6), "kind": kind, "new": True})
    records_out.sort(key=lambda r: (pos[r["b"]], pos[r["a"]]))

    changed = sum(t != by_id[d]["text"] for d, t in texts.items())
    return {
        "docs": list(order),
        "pairs": records_out,
        "params": {
            "definition": DEFINITION,
            "text": "each document through dedupe's per-document stage (CleanStep + StripStep, default Config: "
                    "chrome lines, inline trimming, in-document repeats; no line-frequency pass)",
            "shingle": f"word {SHINGLE_SIZE}-grams of benchmarks.neardup.truth_key.match_key_tokens",
            "min_jaccard_recorded": min_jaccard,
            "raw_truth_params": raw_truth.get("params", {}),
            "stripper_digest": stripper_digest(),
            "caveat": CAVEAT,
            "counts": {"docs": len(order), "docs_changed_by_stage": changed,
                       "pairs": len(records_out), "new_pairs": sum(bool(r.get("new")) for r in records_out),
                       "pairs_by_kind": _count_kinds(records_out)},
        },
    }


def _count_kinds(records: list[dict]) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in records:
        out[r["kind"]] = out.get(r["kind"], 0) + 1
    return out


def load_corpus(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def write_for_bench(bench: Path) -> Path:
    """Compute DIR/truth_stripped.json from DIR/corpus.jsonl and DIR/truth.json."""
    with open(bench / "truth.json", encoding="utf-8") as fh:
        raw = json.load(fh)
    truth = build(load_corpus(bench / "corpus.jsonl"), raw)
    out = bench / TRUTH_FILE
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(truth, fh, ensure_ascii=False, indent=1)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bench", required=True, type=Path, help="directory with corpus.jsonl and truth.json")
    args = ap.parse_args(argv)
    t0 = time.time()
    out = write_for_bench(args.bench)
    with open(out, encoding="utf-8") as fh:
        counts = json.load(fh)["params"]["counts"]
    print(f"[stripped_truth] wrote {out} ({time.time() - t0:.0f}s)", file=sys.stderr)
    print(json.dumps(counts, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
