#!/usr/bin/env bash
# Create one virtualenv per benchmark peer under $PEER_VENVS (default /tmp/arabic-dedupe-peers).
# Idempotent: a venv whose .ok marker exists is skipped. A peer that fails to install is reported,
# not fatal (its venv is left without .ok, so run_peer() reports it as skipped).
# Usage: bash benchmarks/setup_peers.sh [peer ...]      (default: all peers)
set -u
VENVS="${PEER_VENVS:-/tmp/arabic-dedupe-peers}"
PY="${PEER_PYTHON:-python3.11}"
mkdir -p "$VENVS"

# Requirement lines per peer. The tools are pinned to the versions the runners were written against
# (their APIs move: rensa's LSH, datatrove's tokenizer table); the full freeze of each venv is
# written to $VENVS/<peer>/versions.txt.
declare -A REQS=(
  # datatrove's word tokenizer for language "arb_Arab" is SpaCyTokenizer("ar") = spacy.blank("ar")
  # (rule-based, ships inside spacy, works offline, no model download). spacy is only in datatrove's
  # heavy [multilingual] extra (stanza, spacy[ja], ...), so add plain spacy. JsonlReader needs orjson ([io]).
  [datatrove]="datatrove[io,processing]==0.10.1 spacy==3.8.18"
  # text-dedup 0.4.x: minhash over a local/HF dataset via `python -m text_dedup.minhash`.
  [text_dedup]="text-dedup==0.4.0"
  # rensa (Rust MinHash); datasketch alongside it for comparisons. The naive baseline has its own venv.
  [rensa]="rensa==0.5.0 datasketch==2.0.0 xxhash"
  [datasketch_naive]="datasketch==2.0.0 xxhash"
)
PEERS=("$@"); [ ${#PEERS[@]} -eq 0 ] && PEERS=(datatrove text_dedup datasketch_naive rensa)

for p in "${PEERS[@]}"; do
  d="$VENVS/$p"
  if [ -z "${REQS[$p]+x}" ]; then echo "[$p] unknown peer (known: ${!REQS[*]})" >&2; continue; fi
  if [ -f "$d/.ok" ]; then echo "[$p] exists, skipping ($d)"; continue; fi
  echo "[$p] creating venv $d"
  rm -rf "$d"
  if "$PY" -m venv "$d" && "$d/bin/pip" install -q --upgrade pip 2>/dev/null \
     && "$d/bin/pip" install -q ${REQS[$p]} 2> >(grep -v 'is ignored: it is neither' >&2); then
    "$d/bin/pip" freeze > "$d/versions.txt"
    touch "$d/.ok"
    echo "[$p] OK: $(grep -iE '^(datatrove|text.dedup|rensa|datasketch|xxhash|spacy|datasets)==' "$d/versions.txt" | tr '\n' ' ')"
  else
    echo "[$p] FAILED to install (${REQS[$p]}); runs of this peer will be reported as skipped" >&2
  fi
done
echo "peer venvs in $VENVS"
exit 0  # a failing peer is reported above, not fatal
