"""Performance harness: arabic-dedupe against its MinHash peers on one generated Arabic corpus.

    python -m benchmarks.run_bench --size-mb 40 [--scales 1,4,16] [--peers all|none|name,...] [--workers 2]
                                   [--repeat 1] [--micro/--no-micro] [--profile] [--out results/bench-DATE.json]

Steps, in order:
1. build (or reuse from /tmp) the corpus of each scale (``benchmarks/corpus.py``);
2. at every scale, ``python -m dedupe run CORPUS --quiet --workers N`` as a subprocess in two configurations,
   ``full`` and ``near_only`` (``--no-strip --no-repeats``), measured from a fresh wrapper process: wall time, the
   largest single process's peak RSS (RUSAGE_CHILDREN of the wrapper) and the sampled peak of the RSS summed over
   the process tree (workers included);
3. each peer (``benchmarks.peers.run_peer``; at 1x only unless --peers-all-scales); a missing or failing peer is a
   ``skipped`` row with its reason;
4. the signature-stage micro-benchmark: our ``MinHasher.signatures`` vs rensa's ``RMinHash`` on the same shingles;
5. optionally (--profile) cProfile of our pipeline with one worker on the 1x corpus: the top functions by tottime.

It prints a table and writes everything (with machine info, load, git commit) as JSON, and a Markdown rendering
beside it (``.md``) for the README.
"""
from __future__ import annotations

import argparse
import datetime as dt
import glob
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
from array import array
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
WORK = Path(os.environ.get("BENCH_WORK", "/tmp/arabic-dedupe-bench/work"))
RENSA_VENV = Path(os.environ.get("PEER_VENVS", "/tmp/arabic-dedupe-peers")) / "rensa"

CONFIGS = {"full": [], "near_only": ["--no-strip", "--no-repeats"]}


# ----------------------------------------------------------------------------- measuring a subprocess tree

def _tree_rss_kb(root: int) -> int:
    """Sum of VmRSS over ``root`` and all its descendants (psutil when installed, else /proc)."""
    try:
        import psutil  # type: ignore

        p = psutil.Process(root)
        procs = [p, *p.children(recursive=True)]
        total = 0
        for q in procs:
            try:
                total += q.memory_info().rss // 1024
            except psutil.Error:
                pass
        return total
    except ImportError:
        pass
    except Exception:
        return 0
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            with open(stat) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.split("/")[2])
        children.setdefault(int(fields[1]), []).append(pid)  # fields[1] = ppid
        rss[pid] = int(fields[21]) * (os.sysconf("SC_PAGE_SIZE") // 1024)  # fields[21] = rss in pages
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def _measure_main() -> None:
    """Entry of the fresh wrapper process: run argv[1:], print one JSON line of measurements.

    A new wrapper per run so that RUSAGE_CHILDREN's max RSS belongs to this run only.
    """
    cmd = sys.argv[1:]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=os.environ.get("BENCH_CHILD_CWD"))
    peak_tree = 0
    import threading

    out: dict[str, bytes] = {}
    readers = [threading.Thread(target=lambda k, s: out.__setitem__(k, s.read()), args=(k, s), daemon=True)
               for k, s in (("stdout", proc.stdout), ("stderr", proc.stderr))]
    for r in readers:
        r.start()
    # The tree's RSS is sampled at 10 Hz in a thread and the run's end is taken when wait() returns:
    # until 2026-12-07 this loop polled the process between 0.1 s sleeps and read the clock after
    # the poll that saw it gone, so every wall time of ours (not the peers', who time themselves)
    # carried 0-100 ms of that sleep.
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak_tree
        while not stop.is_set():
            peak_tree = max(peak_tree, _tree_rss_kb(proc.pid))
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    proc.wait()
    seconds = time.perf_counter() - t0
    stop.set()
    sampler.join()
    for r in readers:
        r.join()
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "returncode": proc.returncode, "wall_seconds": round(seconds, 3),
        "peak_rss_mb": round(ru.ru_maxrss / 1024, 1), "tree_rss_mb": round(peak_tree / 1024, 1),
        "cpu_seconds": round(ru.ru_utime + ru.ru_stime, 2),
        "stderr_tail": out.get("stderr", b"").decode("utf-8", "replace")[-1500:],
    }))


def measure(cmd: list[str], timeout: float = 7200, cwd: Path | None = None) -> dict:
    """Run ``cmd`` (in ``cwd``) under a fresh wrapper process; wall seconds, peak RSS, CPU seconds."""
    wrapper = [sys.executable, "-c", "from benchmarks.run_bench import _measure_main; _measure_main()", *cmd]
    env = {**os.environ, "BENCH_CHILD_CWD": str(cwd or ROOT)}
    proc = subprocess.run(wrapper, capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env)
    if proc.returncode != 0:
        raise RuntimeError(f"measuring wrapper failed: {proc.stderr[-1500:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------- machine and load

def machine_info() -> dict:
    cpu = ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass

    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], capture_output=True, text=True, cwd=ROOT, timeout=30).stdout.strip()
        except Exception:
            return ""

    dirty = git("status", "--porcelain", "--untracked-files=no", "--", "dedupe")
    return {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "nproc": os.cpu_count(), "cpu": cpu, "mem_total": mem,
        "python": platform.python_version(), "platform": platform.platform(),
        "git_commit": git("rev-parse", "--short", "HEAD"),
        "dedupe_dirty": bool(dirty), "dedupe_dirty_files": dirty.splitlines()[:30],
    }


def snapshot_code(live: bool, code_dir: str | None = None) -> tuple[Path, dict]:
    """Where ``python -m dedupe`` runs from: a copy of dedupe/ taken now (default), or the live tree.

    Others edit dedupe/ while benchmarks run; a copy keeps every run of one benchmark on the same code
    (a half-saved edit broke a run once). The digest of the copied sources is recorded.
    """
    import hashlib

    src = Path(code_dir) / "dedupe" if code_dir else ROOT / "dedupe"
    h = hashlib.sha256()
    for f in sorted(src.rglob("*.py")):
        h.update(str(f.relative_to(src)).encode() + b"\0" + f.read_bytes())
    info = {"code": "live" if live else "snapshot", "dedupe_sources_sha256": h.hexdigest()[:16]}
    if live:
        return compile_bytecode(ROOT, info)
    if code_dir:
        info["snapshot_dir"] = str(Path(code_dir).resolve())
        origin = Path(code_dir) / "SNAPSHOT.json"
        if origin.is_file():
            info["snapshot_of"] = json.loads(origin.read_text())
        return compile_bytecode(Path(code_dir).resolve(), info)
    dest = WORK / f"code-{info['dedupe_sources_sha256']}"
    if not (dest / "dedupe").is_dir():
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(src, dest / "dedupe", ignore=shutil.ignore_patterns("__pycache__"))
        m = machine_info()
        (dest / "SNAPSHOT.json").write_text(json.dumps(
            {k: m[k] for k in ("date", "git_commit", "dedupe_dirty", "dedupe_dirty_files")}, indent=1) + "\n")
    origin = dest / "SNAPSHOT.json"
    if origin.is_file():
        info["snapshot_of"] = json.loads(origin.read_text())
    info["snapshot_dir"] = str(dest)
    return compile_bytecode(dest, info)


def compile_bytecode(code_dir: Path, info: dict) -> tuple[Path, dict]:
    """Write the ``.pyc`` files of ``code_dir/dedupe`` now, as ``pip install`` does at install time
    (and say so in ``info``); returns its arguments.

    Otherwise, with ``PYTHONDONTWRITEBYTECODE`` set (as on the benchmark machine) or a read-only
    tree, every timed run compiles the package's sources again (~0.1 s of each run's start-up),
    which an installed package never does, and the peers are installed packages."""
    import compileall

    compileall.compile_dir(str(code_dir / "dedupe"), quiet=1)
    info["bytecode"] = "compiled before timing, as pip install does"
    return code_dir, info


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# ----------------------------------------------------------------------------- ours

def _removed_ids(outdir: Path) -> tuple[list[str], dict[str, int]]:
    """Ids removed as duplicates (exact or near), and the count per reason (all reasons)."""
    ids, reasons = [], {}
    for part in sorted(outdir.glob("removed/part-*.jsonl")):
        with open(part, encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                reasons[rec["reason"]] = reasons.get(rec["reason"], 0) + 1
                if rec["reason"] in ("exact_duplicate", "near_duplicate"):
                    ids.append(str(rec["id"]))
    return ids, reasons


CODE_DIR = ROOT  # where python -m dedupe runs from; main() points it at the snapshot


def run_ours(corpus: Path, config: str, workers: int, tag: str) -> dict:
    out = WORK / f"ours-{tag}-{config}"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "dedupe", "run", str(corpus), "-o", str(out), "--quiet", "--overwrite",
           "--workers", str(workers), *CONFIGS[config]]
    load_before = load()
    m = measure(cmd, cwd=CODE_DIR)
    row = {"tool": "arabic-dedupe", "config": config, "workers": workers, "load_before": load_before,
           "load_after": load(), **{k: m[k] for k in ("wall_seconds", "peak_rss_mb", "tree_rss_mb", "cpu_seconds")}}
    if m["returncode"] != 0:
        return {**row, "skipped": f"exit {m['returncode']}: {m['stderr_tail']}"}
    stats = json.loads((out / "stats.json").read_text())
    ids, reasons = _removed_ids(out)
    shutil.rmtree(out, ignore_errors=True)
    row.update(seconds=m["wall_seconds"], internal_seconds=stats.get("seconds"), docs_in=stats.get("documents_in"),
               removed_by_reason=reasons, removed_ids=ids,
               notes="wall time of the subprocess (interpreter start, imports, reading and writing included); "
                     "removed = exact + near duplicates")
    return row


def run_peer_row(name: str, corpus: Path, tag: str) -> dict:
    try:
        load_before = load()
        # run_peer from a small fresh process: Linux carries the parent's RSS high-water mark into a (v)forked
        # child's ru_maxrss, so launching from this (large) process would floor every peer's peak RSS at ours
        code = ("import json, resource, sys; from benchmarks.peers import run_peer; "
                "r = run_peer(sys.argv[1], sys.argv[2], sys.argv[3]); "
                "ru = resource.getrusage(resource.RUSAGE_CHILDREN); "
                "r['cpu_seconds'] = round(ru.ru_utime + ru.ru_stime, 2); print(json.dumps(r))")
        proc = subprocess.run([sys.executable, "-c", code, name, str(corpus), str(WORK / f"peer-{tag}")],
                              capture_output=True, text=True, cwd=ROOT, timeout=7200)
        if proc.returncode != 0:
            raise RuntimeError(f"launcher exited {proc.returncode}: {proc.stderr[-1500:]}")
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        r["load_before"], r["load_after"] = load_before, load()
    except Exception as e:  # the harness never crashes on a peer
        r = {"tool": name, "skipped": f"{type(e).__name__}: {e}"}
    r.setdefault("tool", name)
    r["config"] = "peer"
    shutil.rmtree(WORK / f"peer-{tag}" / name, ignore_errors=True)
    return r


# ----------------------------------------------------------------------------- the table

def finish_rows(rows: list[dict], text_bytes: int, planted: set[str]) -> None:
    """Add MB/s, docs/s, removed counts and the speed ratio against our full run, in place."""
    ours = next((r for r in rows if r.get("tool") == "arabic-dedupe" and r.get("config") == "full"
                 and "skipped" not in r), None)
    for r in rows:
        if "skipped" in r:
            continue
        s = r["seconds"]
        r["mb_per_s"] = round(text_bytes / 1e6 / s, 2) if s else None
        r["docs_per_s"] = round(r["docs_in"] / s, 1) if s and r.get("docs_in") else None
        ids = set(r.pop("removed_ids", []) or [])
        r["removed"] = len(ids) if ids or "removed" not in r else r["removed"]
        r["planted_removed"] = len(ids & planted)
        r["planted_recall_rough"] = round(len(ids & planted) / len(planted), 3) if planted else None
        r["other_removed"] = len(ids - planted)
    for r in rows:
        if "skipped" not in r and ours and r.get("mb_per_s"):
            r["ours_x_faster"] = round(ours["mb_per_s"] / r["mb_per_s"], 2)


COLUMNS = [("tool", "tool"), ("config", "config"), ("seconds", "seconds"), ("mb_per_s", "MB/s"),
           ("docs_per_s", "docs/s"), ("peak_rss_mb", "peak RSS MB"), ("tree_rss_mb", "tree RSS MB"),
           ("cpu_seconds", "CPU s"), ("removed", "removed"), ("planted_recall_rough", "planted removed"),
           ("ours_x_faster", "ours (full) is N x faster")]


def render(rows: list[dict], md: bool = False) -> str:
    table = []
    for r in rows:
        if "skipped" in r:
            table.append([r.get("tool", "?"), r.get("config", ""), "skipped: " + str(r["skipped"]).strip()
                          .splitlines()[-1][:100] if str(r["skipped"]).strip() else "skipped"])
            continue
        table.append(["" if r.get(k) is None else str(r.get(k)) for k, _ in COLUMNS])
    head = [h for _, h in COLUMNS]
    if md:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(t + [""] * (len(head) - len(t))) + " |" for t in table]
        return "\n".join(lines)
    widths = [max(len(head[i]), *(len(t[i]) for t in table if len(t) > i and len(t) == len(head))) for i in range(len(head))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths))]
    for t in table:
        lines.append("  ".join(c.ljust(w) for c, w in zip(t, widths)) if len(t) == len(head) else "  ".join(t))
    return "\n".join(lines)


# ----------------------------------------------------------------------------- signature micro-benchmark

_RENSA_CODE = r"""
import json, sys, time
import numpy as np
from rensa import RMinHash
flat = np.load(sys.argv[1]); offsets = np.load(sys.argv[2]); num_perm = int(sys.argv[3]); texts_path = sys.argv[4]
docs = [[str(int(h)) for h in flat[offsets[i]:offsets[i + 1]]] for i in range(len(offsets) - 1)]  # not timed
t0 = time.perf_counter()
for sh in docs:
    if sh:
        m = RMinHash(num_perm=num_perm, seed=42); m.update(sh); m.digest()
sig = time.perf_counter() - t0
texts = [json.loads(l)["text"] for l in open(texts_path, encoding="utf-8")]  # not timed
t0 = time.perf_counter()
for text in texts:
    toks = text.split()
    if not toks:
        continue
    sh = [" ".join(toks[i:i + 5]) for i in range(len(toks) - 4)] or [" ".join(toks)]
    m = RMinHash(num_perm=num_perm, seed=42); m.update(sh); m.digest()
full = time.perf_counter() - t0
print(json.dumps({"signature_seconds": sig, "with_shingling_seconds": full}))
"""


def micro_signatures(corpus: Path, num_perm: int = 128, ngram: int = 5, max_mb: float = 40) -> dict:
    """Signature stage only, ours vs rensa, on identical shingle sets; tokenization excluded for both.

    Shingles: the pipeline's own (clean -> match-key token hashes per line -> ``shingle_hashes`` word 5-grams,
    32-bit). Ours gets them as the uint32 arrays the pipeline uses, in batches of 256 docs; rensa gets each as
    its decimal string (its API hashes strings), one ``RMinHash(128).update(list)`` per doc. A second, looser
    pair includes shingling for both: ours = TokenHasher + shingle_hashes + signatures on cleaned text; rensa =
    whitespace 5-gram strings built in Python + RMinHash (the rensa peer's way) on the same cleaned text.
    """
    import numpy as np

    if str(CODE_DIR) not in sys.path:
        sys.path.insert(0, str(CODE_DIR))
    from dedupe.sketch.minhash import MinHasher
    from dedupe.text.normalize import clean
    from dedupe.text.shingle import TokenHasher, shingle_hashes, shingle_hashes_batch

    texts, nbytes = [], 0
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            t = clean(json.loads(line)["text"])
            texts.append(t)
            nbytes += len(t.encode("utf-8"))
            if nbytes >= max_mb * 1e6:
                break

    def shingles_of(batch_texts: list[str], hasher: TokenHasher) -> list:
        out = []
        for t in batch_texts:
            toks = np.fromiter((h for line in t.split("\n") for h in hasher.line(line)), dtype=np.uint64)
            out.append(shingle_hashes(toks, ngram))
        return out

    def tokens_of(batch_texts: list[str], hasher: TokenHasher) -> list:
        return [memoryview(b"".join(hasher.lines_bytes(t.split("\n"), {}))).cast("Q") for t in batch_texts]

    hasher = TokenHasher()
    shingles = shingles_of(texts, hasher)  # not timed
    mh = MinHasher(num_perm)
    B = 256
    # the pipeline's call (SignStep): one MinHasher.signature_rows per batch over the batch's shingles, flat
    batches = []
    for i in range(0, len(shingles), B):  # not timed
        part = shingles[i:i + B]
        flat = array("I", np.concatenate(part).tobytes() if part else b"")
        batches.append((flat, np.cumsum([len(s) for s in part]).tolist()))
    t0 = time.perf_counter()
    for flat, ends in batches:
        mh.signature_rows(flat, ends)
    ours_sig = time.perf_counter() - t0
    hasher = TokenHasher()  # cold cache, as a worker starts
    t0 = time.perf_counter()
    for i in range(0, len(texts), B):
        mh.signature_rows(*shingle_hashes_batch(tokens_of(texts[i:i + B], hasher), ngram))
    ours_full = time.perf_counter() - t0
    n_shingles = int(sum(len(s) for s in shingles))
    res = {"docs": len(texts), "text_bytes_cleaned": nbytes, "shingles": n_shingles, "num_perm": num_perm,
           "ours_signature_seconds": round(ours_sig, 3),
           "ours_signature_mb_per_s": round(nbytes / 1e6 / ours_sig, 1),
           "ours_with_shingling_seconds": round(ours_full, 3),
           "ours_with_shingling_mb_per_s": round(nbytes / 1e6 / ours_full, 1),
           "note": "MB/s = UTF-8 MB of cleaned text / seconds, one process, one thread each; "
                   "'signature' excludes tokenization for both (same shingle sets), 'with_shingling' includes it "
                   "for both (ours: match-key tokens; rensa: whitespace 5-gram strings)"}
    python = RENSA_VENV / "bin" / "python"
    if not python.exists():
        res["rensa_skipped"] = f"{python} missing: run benchmarks/setup_peers.sh rensa"
        return res
    with tempfile.TemporaryDirectory(prefix="bench-micro-") as tmp:
        offsets = np.zeros(len(shingles) + 1, dtype=np.int64)
        offsets[1:] = np.cumsum([len(s) for s in shingles])
        np.save(f"{tmp}/flat.npy", np.concatenate(shingles) if shingles else np.empty(0, np.uint32))
        np.save(f"{tmp}/offsets.npy", offsets)
        with open(f"{tmp}/texts.jsonl", "w", encoding="utf-8") as f:
            for t in texts:
                f.write(json.dumps({"text": t}, ensure_ascii=False) + "\n")
        proc = subprocess.run([str(python), "-c", _RENSA_CODE, f"{tmp}/flat.npy", f"{tmp}/offsets.npy",
                               str(num_perm), f"{tmp}/texts.jsonl"], capture_output=True, text=True, timeout=3600)
    if proc.returncode != 0:
        res["rensa_skipped"] = f"exit {proc.returncode}: {proc.stderr[-1000:]}"
        return res
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    res.update(rensa_signature_seconds=round(r["signature_seconds"], 3),
               rensa_signature_mb_per_s=round(nbytes / 1e6 / r["signature_seconds"], 1),
               rensa_with_shingling_seconds=round(r["with_shingling_seconds"], 3),
               rensa_with_shingling_mb_per_s=round(nbytes / 1e6 / r["with_shingling_seconds"], 1))
    res["ours_vs_rensa_signature"] = round(r["signature_seconds"] / ours_sig, 2)
    res["ours_vs_rensa_with_shingling"] = round(r["with_shingling_seconds"] / ours_full, 2)
    return res


# ----------------------------------------------------------------------------- profile

def profile(corpus: Path, top: int = 25) -> dict:
    import pstats

    out = WORK / "ours-profile"
    shutil.rmtree(out, ignore_errors=True)
    prof = WORK / "ours.prof"
    cmd = [sys.executable, "-m", "cProfile", "-o", str(prof), "-m", "dedupe", "run", str(corpus), "-o", str(out),
           "--quiet", "--overwrite", "--workers", "1"]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=CODE_DIR)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        return {"skipped": proc.stderr[-1500:]}
    st = pstats.Stats(str(prof))
    total = st.total_tt
    rows = []
    for (file, line, func), (cc, nc, tt, ct, _) in st.stats.items():
        rows.append({"function": f"{os.path.relpath(file, CODE_DIR) if file.startswith(str(CODE_DIR)) else file}:{line}({func})",
                     "ncalls": nc, "tottime": round(tt, 3), "cumtime": round(ct, 3),
                     "tottime_share": round(tt / total, 3) if total else None})
    rows.sort(key=lambda r: -r["tottime"])
    by_cum = sorted(rows, key=lambda r: -r["cumtime"])
    shutil.rmtree(out, ignore_errors=True)
    return {"wall_seconds_profiled": round(wall, 2), "total_tottime": round(total, 2), "profile_file": str(prof),
            "top_tottime": rows[:top], "top_cumtime": by_cum[:top]}


# ----------------------------------------------------------------------------- main

def write_markdown(result: dict, md: Path) -> None:
    """The tables of a result JSON as Markdown, headed by machine, code and load."""
    mi = result["machine"]
    code = mi.get("snapshot_of") or mi if mi["code"] == "snapshot" else mi
    parts = [f"Measured {mi['date']} on {mi['nproc']} cpus ({mi['cpu']}), python {mi['python']}; code: {mi['code']} "
             f"of commit {code.get('git_commit')}{' + uncommitted changes in dedupe/' if code.get('dedupe_dirty') else ''}"
             f"{' taken ' + code['date'] if mi['code'] == 'snapshot' and code.get('date') else ''} "
             f"(dedupe sources sha256 {mi['dedupe_sources_sha256']}); "
             f"load {result['load_at_start']} at start, {result['load_at_end']} at end.\n"]
    for s in result["scales"]:
        parts.append(f"### {s['scale']:g}x: {s['size_mb']:g} MB, {s['corpus_meta']['docs']} docs "
                     f"({s['planted']} planted variants/copies)\n\n" + render(s["rows"], md=True) + "\n")
    scaling = result.get("scaling")
    if scaling:
        parts.append("### Scaling (full)\n\n| scale | seconds | MB/s | peak RSS MB | tree RSS MB | time vs linear |\n|---|---|---|---|---|---|")
        parts += [f"| {x['scale']:g}x | {x['seconds']} | {x['mb_per_s']} | {x['peak_rss_mb']} | {x['tree_rss_mb']} | "
                  f"{x['time_vs_linear']} |" for x in scaling]
    micro = result.get("micro") or {}
    if "ours_signature_mb_per_s" in micro:
        parts.append(f"\n### Signature stage ({micro['docs']} docs, {micro['text_bytes_cleaned'] / 1e6:.1f} MB cleaned text, "
                     f"{micro['shingles']} shingles, {micro['num_perm']} permutations, one thread)\n\n"
                     "| | ours MB/s | rensa MB/s |\n|---|---|---|\n"
                     f"| signature only (tokenization excluded for both) | {micro['ours_signature_mb_per_s']} | "
                     f"{micro.get('rensa_signature_mb_per_s', micro.get('rensa_skipped', ''))} |\n"
                     f"| with shingling (included for both) | {micro['ours_with_shingling_mb_per_s']} | "
                     f"{micro.get('rensa_with_shingling_mb_per_s', '')} |")
    prof = result.get("profile") or {}
    if prof.get("top_tottime"):
        parts.append(f"\n### cProfile, 1 worker ({prof['wall_seconds_profiled']} s under the profiler)\n\n"
                     "| tottime s | share | calls | function |\n|---|---|---|---|")
        parts += [f"| {r['tottime']} | {r['tottime_share']} | {r['ncalls']} | `{r['function']}` |" for r in prof["top_tottime"][:15]]
    md.write_text("\n".join(parts) + "\n")


def planted_ids(corpus: Path) -> set[str]:
    ids = set()
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            if '"planted"' in line:
                ids.add(str(json.loads(line)["id"]))
    return ids


def main(argv: list[str] | None = None) -> int:
    from benchmarks import corpus as corpus_mod
    from benchmarks.peers import PEERS

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--size-mb", type=float, default=40, help="1x corpus size, MB of UTF-8 text (default 40)")
    p.add_argument("--scales", default="1", help="comma-separated multiples of --size-mb (default 1; e.g. 1,4,16)")
    p.add_argument("--peers", default="all", help="all | none | comma-separated names of " + ",".join(PEERS))
    p.add_argument("--peers-all-scales", action="store_true", help="run peers at every scale, not only the first")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--repeat", type=int, default=1, help="runs of ours per config; the fastest is reported")
    p.add_argument("--configs", default="full,near_only", help="our configs: full,near_only")
    p.add_argument("--micro", action=argparse.BooleanOptionalAction, default=True,
                   help="signature-stage micro-benchmark vs rensa (default on)")
    p.add_argument("--profile", action="store_true", help="cProfile our pipeline (1 worker) on the first scale")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--live-code", action="store_true",
                   help="run dedupe/ from the working tree as it changes, not from a copy taken at start")
    p.add_argument("--code-dir", help="run the dedupe/ inside this directory (e.g. an earlier run's snapshot_dir)")
    p.add_argument("--all-configs-all-scales", action="store_true",
                   help="run every --configs entry at every scale (default: scales after the first run only full)")
    p.add_argument("--out", help="JSON to write (default benchmarks/results/bench-<UTC date-time>.json)")
    args = p.parse_args(argv)

    scales = [float(s) for s in args.scales.split(",") if s.strip()]
    peers = [] if args.peers == "none" else PEERS if args.peers == "all" else [s.strip() for s in args.peers.split(",") if s.strip()]
    configs = [c.strip() for c in args.configs.split(",") if c.strip()]
    for c in configs:
        if c not in CONFIGS:
            p.error(f"unknown config {c!r}; choose from {', '.join(CONFIGS)}")
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d-%H%M")
    out = Path(args.out) if args.out else RESULTS / f"bench-{stamp}.json"
    n = 2
    while not args.out and out.exists():  # two runs started in one minute: the second must not overwrite the first
        out = RESULTS / f"bench-{stamp}-{n}.json"
        n += 1
    out.parent.mkdir(parents=True, exist_ok=True)
    WORK.mkdir(parents=True, exist_ok=True)

    global CODE_DIR
    CODE_DIR, code_info = snapshot_code(args.live_code, args.code_dir)
    result = {"machine": {**machine_info(), **code_info}, "load_at_start": load(), "args": vars(args), "scales": [], "micro": None,
              "profile": None}
    print(f"machine: {result['machine']['nproc']} cpus, {result['machine']['cpu']}, python "
          f"{result['machine']['python']}, commit {result['machine']['git_commit']}"
          f"{' (dedupe/ dirty)' if result['machine']['dedupe_dirty'] else ''}, load {result['load_at_start']}",
          flush=True)

    def save() -> None:
        out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n")

    first_corpus = None
    for k, scale in enumerate(scales):
        size = args.size_mb * scale
        t0 = time.perf_counter()
        path, meta = corpus_mod.build(size, args.seed)
        print(f"\n== {scale:g}x: {path} ({meta['docs']} docs, {meta['text_bytes'] / 1e6:.1f} MB text, "
              f"built/cached in {time.perf_counter() - t0:.1f} s)", flush=True)
        first_corpus = first_corpus or path
        planted = planted_ids(path)
        rows: list[dict] = []
        tag = f"{size:g}mb"
        for config in configs:
            if k > 0 and config != "full" and not args.all_configs_all_scales:
                continue
            runs = []
            for _ in range(max(1, args.repeat)):
                try:
                    runs.append(run_ours(path, config, args.workers, tag))
                except Exception as e:
                    runs.append({"tool": "arabic-dedupe", "config": config, "skipped": f"{type(e).__name__}: {e}"})
                print(f"  ours {config}: {runs[-1].get('seconds', runs[-1].get('skipped'))} s, "
                      f"load {load()}", flush=True)
            ok = [r for r in runs if "skipped" not in r]
            best = min(ok, key=lambda r: r["seconds"]) if ok else runs[-1]
            if len(runs) > 1:
                best["all_seconds"] = [r.get("seconds") for r in runs]
            rows.append(best)
        if k == 0 or args.peers_all_scales:
            for name in peers:
                r = run_peer_row(name, path, tag)
                print(f"  {name}: {r.get('seconds', r.get('skipped', ''))}", flush=True)
                rows.append(r)
        finish_rows(rows, meta["text_bytes"], planted)
        result["scales"].append({"scale": scale, "size_mb": size, "corpus": str(path), "corpus_meta": meta,
                                 "planted": len(planted), "rows": rows})
        save()
        print(render(rows), flush=True)

    full = [(s["scale"], r) for s in result["scales"] for r in s["rows"]
            if r.get("tool") == "arabic-dedupe" and r.get("config") == "full" and "skipped" not in r]
    if len(full) > 1:
        base_scale, base = full[0]
        result["scaling"] = [{"scale": sc, "seconds": r["seconds"], "mb_per_s": r["mb_per_s"],
                              "peak_rss_mb": r["peak_rss_mb"], "tree_rss_mb": r["tree_rss_mb"],
                              "time_vs_linear": round(r["seconds"] / (base["seconds"] * sc / base_scale), 2)}
                             for sc, r in full]
        print("\nscaling (time_vs_linear = seconds / (1x seconds * scale); 1.0 = linear)")
        for s in result["scaling"]:
            print(f"  {s['scale']:>4g}x  {s['seconds']:>8} s  {s['mb_per_s']:>6} MB/s  peak RSS {s['peak_rss_mb']} MB "
                  f"(tree {s['tree_rss_mb']} MB)  time_vs_linear {s['time_vs_linear']}")
        save()

    if args.micro and first_corpus:
        print("\n== signature stage micro-benchmark", flush=True)
        try:
            result["micro"] = micro_signatures(first_corpus, max_mb=args.size_mb)
        except Exception as e:
            result["micro"] = {"skipped": f"{type(e).__name__}: {e}"}
        print(json.dumps(result["micro"], indent=1), flush=True)
        save()

    if args.profile and first_corpus:
        print("\n== cProfile, 1 worker", flush=True)
        result["profile"] = profile(first_corpus)
        for r in (result["profile"].get("top_tottime") or [])[:15]:
            print(f"  {r['tottime']:>8} s  {r['tottime_share']:>6}  {r['ncalls']:>9}  {r['function']}")
        save()

    result["load_at_end"] = load()
    save()
    md = out.with_suffix(".md")
    write_markdown(result, md)
    print(f"\nwrote {out} and {md}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
