"""text-dedup peer: `text_dedup.minhash` (its datasets-based MinHash+LSH+union-find script).

Called the way its CLI is documented (python -m text_dedup.minhash --path json --data_files FILE
--split train --column text ...), but in-process through the click command so that the timer covers
the tool's work and not interpreter start/imports. Input is read by datasets' packaged "json"
builder (handles .jsonl.gz), which works offline. Tool defaults kept: sha1 hash, 64-bit mode,
min_length=5, num_proc=os.cpu_count(), b/r from its optimal_param(threshold, num_perm).
"""
import os

os.environ.setdefault("HF_DATASETS_OFFLINE", "1")  # never touch the Hub
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import re
import shutil
from importlib.metadata import version

import datasets
from text_dedup import minhash as td_minhash

from _common import Timer, iter_docs, parse_args, write_result

args = parse_args(__doc__)
out_dir = os.path.join(args.workdir, "text_dedup_out")
cache_dir = os.path.join(args.workdir, "hf_cache")
shutil.rmtree(out_dir, ignore_errors=True)
shutil.rmtree(cache_dir, ignore_errors=True)  # no warm datasets cache between runs

cli = [
    "--path", "json", "--data_files", os.path.abspath(args.input), "--split", "train",
    "--cache_dir", cache_dir, "--output", out_dir, "--column", "text",
    "--threshold", str(args.threshold), "--num_perm", str(args.num_perm), "--ngram", str(args.ngram),
]
with Timer() as t:
    td_minhash.main.main(args=cli, standalone_mode=False)

# removed = input ids missing from the output, minus the docs its min_length pre-filter drops
# (same test as text_dedup.minhash: fewer than min_length \W-split tokens); those are reported apart.
NON_ALPHA = re.compile(r"\W", re.UNICODE)
kept = set(map(str, datasets.load_from_disk(out_dir)["id"]))
all_ids, short_ids, bytes_in = [], set(), 0
for doc_id, text in iter_docs(args.input):
    all_ids.append(doc_id)
    bytes_in += len(text.encode("utf-8"))
    if len(NON_ALPHA.split(text.lower())) < 5:
        short_ids.add(doc_id)
removed = [i for i in all_ids if i not in kept and i not in short_ids]
b, r = td_minhash.optimal_param(args.threshold, args.num_perm, false_positive_weight=0.5, false_negative_weight=0.5)
write_result(
    args, "text_dedup", version("text-dedup"), t.seconds, removed,
    notes=f"python -m text_dedup.minhash (in-process click call), datasets {datasets.__version__}; "
    f"tokens = re.split(r'\\W') of lowercased text, word {args.ngram}-grams, sha1, b,r={b},{r}; "
    f"seconds include datasets JSON load + save_to_disk; min_length=5 pre-filter drops short docs "
    f"(counted in dropped_short, not in removed); each cluster keeps its union-find root (union by rank), "
    f"often NOT the first doc, so compare clusters/counts with other peers rather than removed ids",
    docs_in=len(all_ids), bytes_in=bytes_in, dropped_short=len(short_ids & (set(all_ids) - kept)),
    lsh_bands=b, lsh_rows=r,
)
