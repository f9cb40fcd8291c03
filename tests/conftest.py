from pathlib import Path

import orjson
import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpus_samples"
SHARED = ROOT.parent / "shared"


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
