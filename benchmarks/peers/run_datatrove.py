"""datatrove peer: the 4-stage MinHash pipeline of its examples/minhash_deduplication.py, run locally.

Stages: JsonlReader -> MinhashDedupSignature (language "arb" -> datatrove's tokenizer table gives
SpaCyTokenizer("ar") = spacy.blank("ar")), MinhashDedupBuckets (one task per bucket), MinhashDedupCluster
(1 task), JsonlReader -> MinhashDedupFilter(exclusion_writer=JsonlWriter) -> JsonlWriter.
LocalPipelineExecutor tasks=2/workers=2. JsonlReader shards by *file*, so the input is first split
(untimed, order kept) into 2 files, else one task would get everything.
MinhashConfig takes bands x rows, not threshold/num_perm: we use the same (b, r) that datasketch's
MinHashLSH and text-dedup derive for (threshold, num_perm), i.e. 9 x 13 = 117 hashes for 0.8/128 (those two
also only use b*r of the num_perm values). Other MinhashConfig fields at defaults (64-bit xxhash,
default text normalisation). start_method="fork" (default forkserver) so that worker processes are
reaped children of this process and RUSAGE_CHILDREN sees them.
"""
import glob
import gzip
import json
import os
import shutil
from importlib.metadata import version

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.dedup import MinhashDedupSignature
from datatrove.pipeline.dedup.minhash import (
    MinhashConfig,
    MinhashDedupBuckets,
    MinhashDedupCluster,
    MinhashDedupFilter,
)
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers.jsonl import JsonlWriter
from datatrove.utils.typeshelper import Languages
from datatrove.utils.word_tokenizers import load_word_tokenizer

from _common import Timer, lsh_params, open_text, parse_args, write_result

TASKS = WORKERS = 2
# "arb_Arab", not "arb"/"ar": datatrove 0.10.1 reads the CSV flag "FALSE" as truthy, so bare "arb" maps to
# StanzaTokenizer("mt") (needs stanza + a download) and "ar" to spacy "xx"; "arb_Arab" gives spacy "ar".
LANG = Languages.standard_arabic__arab

args = parse_args(__doc__)
base = os.path.join(args.workdir, "datatrove")
shutil.rmtree(base, ignore_errors=True)  # its executor skips tasks it finds completed in logging_dir
shards, sigs, bkts, rmv = (os.path.join(base, d) for d in ("input", "signatures", "buckets", "remove_ids"))
os.makedirs(shards)

# --- untimed: split input into TASKS contiguous shards, lines unchanged; count docs/bytes meanwhile
with open_text(args.input) as f:
    lines = [ln for ln in f if ln.strip()]
docs_in = len(lines)
bytes_in = sum(len((json.loads(ln).get("text") or "").encode("utf-8")) for ln in lines)
per = -(-docs_in // TASKS)
for k in range(TASKS):
    with gzip.open(os.path.join(shards, f"part{k}.jsonl.gz"), "wt", encoding="utf-8") as o:
        o.writelines(lines[k * per : (k + 1) * per])
del lines

b, r = lsh_params(args.threshold, args.num_perm)
cfg = MinhashConfig(n_grams=args.ngram, num_buckets=b, hashes_per_bucket=r)
tokenizer = type(load_word_tokenizer(LANG)).__name__
ex = dict(workers=WORKERS, start_method="fork", skip_completed=False)
reader = lambda: JsonlReader(shards, glob_pattern="*.jsonl.gz")  # noqa: E731

stage1 = LocalPipelineExecutor(
    pipeline=[reader(), MinhashDedupSignature(output_folder=sigs, config=cfg, language=LANG)],
    tasks=TASKS, logging_dir=f"{base}/logs/1", **ex)
stage2 = LocalPipelineExecutor(
    pipeline=[MinhashDedupBuckets(input_folder=sigs, output_folder=bkts, config=cfg)],
    tasks=cfg.num_buckets, logging_dir=f"{base}/logs/2", **ex)
stage3 = LocalPipelineExecutor(
    pipeline=[MinhashDedupCluster(input_folder=bkts, output_folder=rmv, config=cfg)],
    tasks=1, logging_dir=f"{base}/logs/3", **ex)
stage4 = LocalPipelineExecutor(
    pipeline=[reader(), MinhashDedupFilter(input_folder=rmv, exclusion_writer=JsonlWriter(f"{base}/removed")),
              JsonlWriter(f"{base}/output")],
    tasks=TASKS, logging_dir=f"{base}/logs/4", **ex)

with Timer() as t_all:
    with Timer() as t_sig:
        stage1.run()
    stage2.run()
    stage3.run()
    stage4.run()

removed = []
for fn in sorted(glob.glob(f"{base}/removed/*.jsonl.gz")):
    with gzip.open(fn, "rt", encoding="utf-8") as f:
        removed += [str(json.loads(ln)["id"]) for ln in f if ln.strip()]

write_result(
    args, "datatrove", version("datatrove"), t_all.seconds, removed,
    notes=f"language={LANG} -> word tokenizer {tokenizer} (spacy.blank('ar')), text simplified by datatrove's "
    f"default TextNormConfig; MinhashConfig(n_grams={args.ngram}, num_buckets={b}, hashes_per_bucket={r}), "
    f"64-bit xxhash; 4 stages, tasks/workers={TASKS}, fork; seconds include JSONL read/write of all stages; "
    f"peak_rss is the largest single process, not the sum of parallel workers",
    docs_in=docs_in, bytes_in=bytes_in, signature_seconds=round(t_sig.seconds, 3), lsh_bands=b, lsh_rows=r,
)
