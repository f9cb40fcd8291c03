"""The one type that flows between pipeline steps."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Document:
    """A document on its way through the pipeline.

    ``record`` is the input record (for ``.txt`` inputs, a synthesized one); the
    kept output is that record with its text field replaced by ``text``.
    ``removal`` stays None while the document is kept; a step that removes it sets
    ``reason`` and, for duplicates, ``duplicate_of`` and ``similarity``.
    """

    id: str
    text: str
    source: str
    line: int | None
    seq: int
    record: dict[str, Any]
    reason: str | None = None
    duplicate_of: str | None = None
    similarity: float | None = None
    lines_stripped: int = 0
    paragraphs_removed: int = 0
    bytes_in: int = 0
    exact_hash: int = 0
    tokens: Any = None  # uint64 match-key token hashes (a "Q" memoryview; dropped once signed)
    signature: Any = None  # array("I") (MinHasher.signature_rows): datasketch MinHash hash values
    shingles: Any = None  # array("I") of sorted unique uint32 shingle hashes, kept for exact verification
    paragraphs: Any = None  # (line index, match-key hash, tokens) per line, for paragraph dedup
    audit: list[tuple] = field(default_factory=list)  # (line, rule, text[, extra fields of the audit record])
    registered: bool = True  # False: parsed in a worker, the reader has not seen its id yet (Reader.register)
    payload: bytes | None = None  # the kept record as a JSON line (newline included), serialized in the worker (text and record then dropped)
    bytes_out: int = 0  # UTF-8 bytes of the kept text, when ``payload`` is set
    chars: int = 0  # characters of the kept text, when ``payload`` is set (``--keep longest``)

    def length(self) -> int:
        """Characters of the cleaned text, also after the worker dropped it for ``payload``."""
        return self.chars if self.text is None else len(self.text)

    @property
    def removed(self) -> bool:
        return self.reason is not None

    def remove(self, reason: str, duplicate_of: str | None = None, similarity: float | None = None) -> None:
        self.reason = reason
        self.duplicate_of = duplicate_of
        self.similarity = similarity


@dataclass(slots=True)
class Quarantined:
    """An input record that could not be read, kept with its error and raw bytes."""

    source: str
    line: int | None
    error: str
    raw: str
    seq: int = -1

    def to_record(self) -> dict[str, Any]:
        return {"source": self.source, "line": self.line, "error": self.error, "raw": self.raw}
