"""Peer MinHash deduplicators for benchmarking arabic-dedupe against.

Each peer lives in its own virtualenv (made by benchmarks/setup_peers.sh under $PEER_VENVS, default
/tmp/arabic-dedupe-peers) so their dependency stacks never meet ours; run_peer() runs
benchmarks/peers/run_<name>.py with that venv's python and returns the RESULT.json it wrote:
{"tool", "version", "seconds", "peak_rss_mb", "docs_in", "bytes_in", "removed_ids", "notes", ...}.
"""

import json
import os
import subprocess

PEERS = ["datatrove", "text_dedup", "datasketch_naive", "rensa"]

_HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_VENVS = "/tmp/arabic-dedupe-peers"


def _venv_dir(name, venvs):
    # one venv per peer, named like the peer (the rensa venv also holds datasketch)
    return os.path.join(venvs or os.environ.get("PEER_VENVS", DEFAULT_VENVS), name)


def run_peer(name, input_path, workdir, threshold=0.8, num_perm=128, ngram=5, venvs=None, timeout=3600):
    """Run one peer on a JSONL(.gz) file; return its parsed RESULT.json, or {"tool", "skipped": reason}."""
    if name not in PEERS:
        return {"tool": name, "skipped": f"unknown peer (known: {', '.join(PEERS)})"}
    venv = _venv_dir(name, venvs)
    python = os.path.join(venv, "bin", "python")
    if not (os.path.isfile(os.path.join(venv, ".ok")) and os.access(python, os.X_OK)):
        return {"tool": name, "skipped": f"venv {venv} missing or incomplete: run benchmarks/setup_peers.sh"}
    os.makedirs(workdir, exist_ok=True)
    out = os.path.join(workdir, f"{name}.result.json")
    if os.path.exists(out):
        os.remove(out)
    cmd = [
        python, os.path.join(_HERE, f"run_{name}.py"),
        "--input", os.path.abspath(input_path), "--workdir", os.path.join(os.path.abspath(workdir), name),
        "--threshold", str(threshold), "--num-perm", str(num_perm), "--ngram", str(ngram), "--out", out,
    ]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=_HERE)
    except subprocess.TimeoutExpired:
        return {"tool": name, "skipped": f"timed out after {timeout}s"}
    if proc.returncode != 0 or not os.path.exists(out):
        tail = (proc.stderr or proc.stdout or "")[-2000:]
        return {"tool": name, "skipped": f"runner exited {proc.returncode}: {tail}"}
    with open(out, encoding="utf-8") as f:
        return json.load(f)
