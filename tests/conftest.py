from contextlib import contextmanager
from pathlib import Path

import orjson
import pytest

from dedupe.text import native

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpus_samples"
SHARED = ROOT.parent / "shared"
CORPORA = SHARED / "corpora"

#: Tests of the C accelerator against its Python twins, skipped when it is not there.
needs_native = pytest.mark.skipif(not native.AVAILABLE, reason="C accelerator not built (no compiler) or ARABIC_DEDUPE_PURE=1")


@contextmanager
def pure():
    """The package's pure-Python paths, in this process, for the duration."""
    saved = native.AVAILABLE
    native.AVAILABLE = False
    try:
        yield
    finally:
        native.AVAILABLE = saved


def read_jsonl_dir(directory: Path) -> list[dict]:
    """All records of a sharded output directory, in shard order."""
    import gzip

    import zstandard

    records = []
    for path in sorted(Path(directory).glob("part-*")):
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        elif path.suffix == ".zst":
            data = zstandard.ZstdDecompressor().stream_reader(data).read()
        records.extend(orjson.loads(line) for line in data.splitlines() if line)
    return records


@pytest.fixture
def seeds() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))}


@pytest.fixture(autouse=True)
def _no_tty_progress(monkeypatch):
    # keep test output readable whatever terminal pytest runs in
    monkeypatch.setenv("TQDM_DISABLE", "1")
