"""python -m benchmarks.peers INPUT WORKDIR [peer ...]  -> runs peers, prints one summary line each."""
import json
import sys

from . import PEERS, run_peer

if len(sys.argv) < 3:
    sys.exit(__doc__)
for name in sys.argv[3:] or PEERS:
    r = run_peer(name, sys.argv[1], sys.argv[2])
    print(json.dumps({k: v for k, v in r.items() if k != "removed_ids"}, ensure_ascii=False), flush=True)
