"""Fixed-size records of a flat file, read back without a memory map."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np


class RowFile:
    """Fixed-size records of a flat file read with ``os.pread``: ``[i]`` one, ``[a:b]`` a block.

    Used instead of a memory map for what is read back from work files (clustered
    mode's signatures, shingle sets and ids; the disk index's run files): pages of
    a map that has been read stay in the process's resident set until it is
    unmapped, which made RSS grow with the corpus (the shingle file alone is about
    a third of the input size); a read leaves only the returned array.
    """

    def __init__(self, path: Path, dtype, width: int = 1) -> None:
        self.dtype = np.dtype(dtype)
        self.width = width
        self.row_bytes = self.dtype.itemsize * width
        self.fd = os.open(path, os.O_RDONLY)
        self.rows = os.fstat(self.fd).st_size // self.row_bytes

    def __len__(self) -> int:
        return self.rows

    def read(self, start: int, stop: int) -> np.ndarray:
        """Rows ``start`` to ``stop`` (flat when ``width`` is 1)."""
        stop = min(stop, self.rows)
        if stop <= start:
            data = b""
        else:
            data = os.pread(self.fd, (stop - start) * self.row_bytes, start * self.row_bytes)
        arr = np.frombuffer(data, dtype=self.dtype)
        return arr if self.width == 1 else arr.reshape(-1, self.width)

    def __getitem__(self, key):
        if isinstance(key, slice):
            start, stop, step = key.indices(self.rows)
            if step != 1:
                raise ValueError("RowFile slices take no step")
            return self.read(start, stop)
        key = int(key)
        return self.read(key, key + 1)[0]

    def close(self) -> None:
        os.close(self.fd)
