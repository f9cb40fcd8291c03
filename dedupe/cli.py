"""``arabic-dedupe``: a thin CLI that builds a Config and calls an executor."""
from __future__ import annotations

import argparse
import atexit
import gc
import os
import sys
from typing import NoReturn, Sequence

from . import __version__
from .config import (AUTO_WORKERS_MAX, AUTO_WORKERS_MIN_BYTES, BACKENDS, COMPRESSIONS, KEEP_POLICIES, SCORES,
                     VERIFY_MODES, Config, parse_workers)
from .errors import ConfigError, DedupeError
from .text.normalize import KEY_UNIFICATIONS
from .executors.local import LocalExecutor

EPILOG = """\
stages, in order: read -> clean (Arabic orthography) -> strip site chrome and
in-document repeats -> exact dedup -> MinHash LSH near dedup -> sharded JSONL.
outputs: OUTDIR/kept/, OUTDIR/removed/ (id, reason, duplicate_of, similarity),
OUTDIR/quarantine/ (unreadable records with their error), OUTDIR/stats.json.
exit codes: 0 success, 2 bad usage or --strict stop on bad input, 1 other failure.
"""


def _paragraph_threshold(value: str) -> float:
    """``--paragraph-threshold``: a number, or ``exact`` for 1.0 (exact repeats only)."""
    if value.strip().lower() == "exact":
        return 1.0
    try:
        return float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number in (0, 1] or 'exact', got {value!r}") from None


def _workers(value: str) -> int | str:
    """``--workers``: ``auto`` or a whole number >= 1."""
    try:
        return parse_workers(value)
    except ConfigError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("--workers ")) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="arabic-dedupe", description="Clean and deduplicate Arabic text corpora.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the whole pipeline over files or directories", epilog=EPILOG,
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("inputs", nargs="+", metavar="INPUT",
                     help=".txt (one document per file) or .jsonl/.ndjson/.json (one per line), optionally "
                          ".gz/.zst/.bz2/.xz; directories are walked recursively in sorted order")
    run.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="output directory")
    run.add_argument("--config", metavar="TOML", help="settings file; flags given here override it")
    run.add_argument("--workers", type=_workers, metavar="N|auto",
                     help="worker processes; 1 runs in-process. Default auto: the CPUs this process may use, "
                          f"at most {AUTO_WORKERS_MAX}, and in-process for inputs under "
                          f"{AUTO_WORKERS_MIN_BYTES // 2**20} MiB. Output does not depend on it")
    run.add_argument("--threshold", type=float, help="near-duplicate Jaccard threshold (default 0.8)")
    run.add_argument("--num-perm", type=int, help="MinHash permutations (default 128)")
    run.add_argument("--ngram", type=int, help="word n-gram size of shingles (default 5)")
    run.add_argument("--candidate-threshold", type=float,
                     help="LSH candidate threshold, verified against --threshold (default 0.7)")
    run.add_argument("--verify", choices=VERIFY_MODES,
                     help="check candidates by exact shingle Jaccard or by signature estimate (default exact)")
    run.add_argument("--score", choices=SCORES, help="pair score: jaccard, or containment of the smaller doc (default jaccard)")
    run.add_argument("--clitics", action="store_true", default=None,
                     help="near-dup shingles ignore proclitics (و ف ب ل ال) written attached or detached")
    run.add_argument("--keep", choices=KEEP_POLICIES, help="which member of a duplicate cluster survives (default first)")
    run.add_argument("--clusters", action="store_true", default=None,
                     help="write OUTDIR/clusters.jsonl with every duplicate cluster, its survivor and similarities")
    run.add_argument("--index", choices=BACKENDS,
                     help="LSH index: memory, disk (external sort, for corpora larger than RAM), auto (default: disk past --memory-mb of input) or datasketch (its MinHashLSH, same candidates as memory, slower)")
    run.add_argument("--memory-mb", type=int, help="memory bound of the disk index and auto choice (default 1024)")
    run.add_argument("--paragraph-dedup", action="store_true", default=None,
                     help="remove paragraphs (>= 20 tokens) already seen, or nearly, in an earlier kept document")
    run.add_argument("--paragraph-threshold", type=_paragraph_threshold, metavar="T",
                     help="with --paragraph-dedup: paragraph shingle Jaccard that counts as a repeat "
                          "(default 0.7; 1.0 or 'exact': exact repeats only)")
    run.add_argument("--compression", choices=COMPRESSIONS, help="output compression (default none)")
    run.add_argument("--shard-docs", type=int, help="records per output shard (default 100000)")
    run.add_argument("--text-field", help="JSON field holding the text (default text)")
    run.add_argument("--id-field", help="JSON field holding the id (default id; else <file>:<line>)")
    run.add_argument("--max-record-bytes", type=int, help="larger records are quarantined (default 64 MiB)")
    run.add_argument("--strict", action="store_true", default=None, help="stop at the first unreadable record (exit 2)")
    run.add_argument("--quiet", action="store_true", default=None, help="no progress bar, warnings or summary")
    run.add_argument("--overwrite", action="store_true", default=None, help="replace the outputs of an earlier run in OUTDIR")
    run.add_argument("--resume", action="store_true", default=None,
                     help="finish an interrupted run in OUTDIR: same inputs and settings; completed shards are verified and kept")
    run.add_argument("--audit", action="store_true", default=None, help="write OUTDIR/audit/ with every stripped line and its rule (a repeated paragraph also names the line it repeats, repeat_of)")
    run.add_argument("--no-strip", dest="strip", action="store_false", default=None, help="keep site-chrome lines")
    run.add_argument("--no-repeats", dest="repeats", action="store_false", default=None, help="keep in-document repeated paragraphs")
    run.add_argument("--no-exact", dest="exact", action="store_false", default=None, help="skip exact-duplicate removal")
    run.add_argument("--no-near", dest="near", action="store_false", default=None, help="skip near-duplicate removal")
    run.add_argument("--strip-diacritics", action="store_true", default=None, help="also strip diacritics from the output text")
    run.add_argument("--digits-to-ascii", action="store_true", default=None, help="also write Arabic-Indic/Persian digits as ASCII")
    run.add_argument("--persian-to-arabic", action="store_true", default=None, help="also write Persian ی/ک as Arabic ي/ك in non-Persian text")
    run.add_argument("--linefreq", action="store_true", default=None,
                     help="first pass: lines shared by many documents of one source (outlet/domain) are chrome")
    run.add_argument("--linefreq-min-docs", type=int, help="documents of a source that make a line chrome (default 10)")
    run.add_argument("--key-keep", action="append", choices=KEY_UNIFICATIONS, metavar="STEP",
                     help="turn one match-key step off (repeatable): " + ", ".join(KEY_UNIFICATIONS))
    return parser


#: CLI flag -> (config section, key)
FLAG_MAP = {
    "workers": ("run", "workers"), "strict": ("run", "strict"), "quiet": ("run", "quiet"),
    "overwrite": ("run", "overwrite"), "resume": ("run", "resume"),
    "threshold": ("dedup", "threshold"), "num_perm": ("dedup", "num_perm"), "ngram": ("dedup", "ngram"),
    "exact": ("dedup", "exact"), "near": ("dedup", "near"),
    "candidate_threshold": ("dedup", "candidate_threshold"), "verify": ("dedup", "verify"), "score": ("dedup", "score"),
    "clitics": ("dedup", "clitics"),
    "keep": ("dedup", "keep"), "clusters": ("dedup", "clusters"), "index": ("dedup", "backend"),
    "memory_mb": ("dedup", "memory_mb"), "paragraph_dedup": ("dedup", "paragraph_dedup"),
    "paragraph_threshold": ("dedup", "paragraph_threshold"),
    "compression": ("io", "compression"), "shard_docs": ("io", "shard_docs"), "text_field": ("io", "text_field"),
    "id_field": ("io", "id_field"), "max_record_bytes": ("io", "max_record_bytes"),
    "linefreq": ("boilerplate", "linefreq"), "linefreq_min_docs": ("boilerplate", "linefreq_min_docs"),
    "audit": ("boilerplate", "audit"), "strip": ("boilerplate", "strip"), "repeats": ("boilerplate", "repeats"),
    "strip_diacritics": ("normalize", "strip_diacritics"), "digits_to_ascii": ("normalize", "digits_to_ascii"),
    "persian_to_arabic": ("normalize", "persian_to_arabic"),
}


def config_from_args(args: argparse.Namespace) -> Config:
    base = Config.from_toml(args.config) if args.config else Config()
    overrides: dict[str, dict] = {}
    for flag, (section, key) in FLAG_MAP.items():
        value = getattr(args, flag)
        if value is not None:
            overrides.setdefault(section, {})[key] = value
    if args.key_keep:
        kept = set(args.key_keep)
        overrides.setdefault("normalize", {})["key_unify"] = tuple(s for s in base.normalize.key_unify if s not in kept)
    return base.replace(**overrides)


def summary(stats: dict, output: str) -> str:
    mb = stats["bytes_in"] / 1e6
    rate = mb / stats["seconds"] if stats["seconds"] else 0.0
    lines = [
        f"documents in: {stats['documents_in']:,}   kept: {stats['documents_kept']:,}   "
        f"removed: {sum(stats['documents_removed'].values()):,}   quarantined: {stats['documents_quarantined']:,}",
    ]
    for reason, n in stats["documents_removed"].items():
        lines.append(f"  removed as {reason}: {n:,}")
    lines.append(f"lines stripped: {stats['lines_stripped']:,}   lines trimmed: {stats['lines_trimmed']:,}   "
                 f"repeated paragraphs removed: {stats['paragraphs_removed']:,}")
    if stats["paragraphs_removed_across_documents"]:
        near = stats.get("paragraphs_near_removed_across_documents")
        lines.append(f"paragraphs already seen in earlier documents removed: {stats['paragraphs_removed_across_documents']:,}"
                     + (f" ({near:,} near copies)" if near else ""))
    lines.append(f"{mb:.1f} MB in {stats['seconds']:.2f} s ({rate:.1f} MB/s) -> {output}")
    return "\n".join(lines)


def _tune_malloc() -> None:
    """glibc: keep freed buffers of up to 32 MiB in the heap for reuse instead of unmapping them.

    The run allocates and frees many 64 KiB - 2 MiB buffers (input blocks, pickled
    batches, records); by default glibc maps each one fresh, and every page of it
    faults (40 MB, 2 workers: 85,000 minor faults -> 49,000, about 0.1 CPU-s less).
    Done by the command line only (a library must not change its host's allocator),
    and not when the user set the allocator through the environment. The workers
    are forked from this process and inherit it.
    """
    if not sys.platform.startswith("linux") or any(k.startswith(("MALLOC_", "GLIBC_TUNABLES")) for k in os.environ):
        return
    try:
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
        mallopt(-3, 32 << 20)  # M_MMAP_THRESHOLD
        mallopt(-1, 128 << 20)  # M_TRIM_THRESHOLD: free memory kept at the top of the heap before returning it
    except (OSError, AttributeError):  # not glibc
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (``entry`` is the console script around it)."""
    args = build_parser().parse_args(argv)
    _tune_malloc()
    try:
        config = config_from_args(args)
        stats = LocalExecutor(config).run(args.inputs, args.output)
    except DedupeError as exc:
        print(f"arabic-dedupe: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("arabic-dedupe: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        print(f"arabic-dedupe: error:{where} {exc.strerror or exc}", file=sys.stderr)
        return 1
    if not config.run.quiet:
        print(summary(stats, args.output))
    return 0


def entry(argv: Sequence[str] | None = None) -> NoReturn:
    """The ``arabic-dedupe`` console script and ``python -m dedupe``: ``main``, then exit at once.

    By the time ``main`` returns every output file is closed and renamed, the worker pool is
    gone and ``stats.json`` is written. What a normal interpreter exit adds is freeing the run's
    objects one by one (the LSH index, a signature and a shingle array per kept document) and
    unloading the modules: 25-30 ms measured after a 55 MB run, ~2 % of it, spent after the
    work is done. So the atexit handlers run, the standard streams are flushed, and the process
    ends with ``os._exit``. Code that calls ``main`` itself (tests, a pipeline) keeps a normal exit,
    and so does a run under a profiler or tracer (``python -m cProfile -o ... -m dedupe``,
    coverage), which writes its results at exit.
    """
    gc.freeze()  # the objects of the imports, made with the collector off (dedupe/__init__.py): never garbage
    code = main(argv)
    if sys.getprofile() is not None or sys.gettrace() is not None:
        raise SystemExit(code)
    try:
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader of our output went away (`| head`): nothing left to tell it
        pass
    os._exit(code)
