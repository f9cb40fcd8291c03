"""What the local executor needs to know of clustered mode before it imports it (``clustered`` imports numpy)."""
from __future__ import annotations

from ..config import Config

#: The work directory of clustered mode inside the output directory (``OUTDIR/.work``).
WORK = ".work"


def use_disk(config: Config, input_bytes: int) -> bool:
    """The disk index when asked for, or automatically when the input exceeds the memory bound."""
    backend = config.dedup.backend
    return backend == "disk" or (backend == "auto" and input_bytes > config.dedup.memory_mb * 2**20)
