"""Sharded JSON-lines output: a shard appears under its final name only when complete."""
from __future__ import annotations

import gzip
import os
from pathlib import Path
from typing import Any, BinaryIO

import orjson
import zstandard

SUFFIX = {"none": ".jsonl", "gzip": ".jsonl.gz", "zstd": ".jsonl.zst"}


class ShardedWriter:
    """Writes records to ``DIR/part-00000.jsonl[.gz|.zst]``, ``shard_docs`` per shard.

    Each shard is written to a hidden temporary name and renamed when closed, so a
    killed run never leaves a shard that looks complete but is not. Compressed
    output is deterministic (gzip without a timestamp).
    """

    def __init__(self, directory: Path, shard_docs: int, compression: str = "none") -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.shard_docs = shard_docs
        self.compression = compression
        self.shard = 0
        self.count = 0
        self.bytes_written = 0
        self._raw: BinaryIO | None = None
        self._out: Any = None
        self._tmp: Path | None = None

    def _final(self) -> Path:
        return self.directory / f"part-{self.shard:05d}{SUFFIX[self.compression]}"

    def _open(self) -> None:
        final = self._final()
        self._tmp = final.with_name(f".{final.name}.tmp")
        self._raw = open(self._tmp, "wb")
        if self.compression == "gzip":
            self._out = gzip.GzipFile(filename="", mode="wb", fileobj=self._raw, mtime=0)
        elif self.compression == "zstd":
            self._out = zstandard.ZstdCompressor(level=3).stream_writer(self._raw, closefd=False)
        else:
            self._out = self._raw

    def write(self, record: dict[str, Any]) -> None:
        if self._out is None:
            self._open()
        data = orjson.dumps(record) + b"\n"
        self._out.write(data)
        self.bytes_written += len(data)
        self.count += 1
        if self.count % self.shard_docs == 0:
            self._close_shard()

    def _close_shard(self) -> None:
        if self._out is not self._raw:
            self._out.close()
        self._raw.flush()
        os.fsync(self._raw.fileno())
        self._raw.close()
        os.replace(self._tmp, self._final())
        self._out = self._raw = self._tmp = None
        self.shard += 1

    def close(self) -> None:
        if self._out is not None:
            self._close_shard()

    def __enter__(self) -> "ShardedWriter":
        return self

    def __exit__(self, exc_type, *_: Any) -> None:
        if exc_type is None:
            self.close()
        elif self._raw is not None:
            self._raw.close()  # leave the temporary file: it is not a shard
