"""Reading documents from .txt and JSON-lines files, quarantining what cannot be read.

Readers never raise on bad data: a record that cannot be decoded or parsed, a
missing or non-string text field, a line over the size limit, a truncated
compressed stream, all become ``Quarantined`` items carrying the file, line,
error and the raw content, and reading goes on.
"""
from __future__ import annotations

import bz2
import io
import gzip
import lzma
from typing import IO, Iterator

import orjson
import zstandard

from ..document import Document, Quarantined
from .listing import InputFile

Item = Document | Quarantined


def open_binary(f: InputFile) -> IO[bytes]:
    """Open a possibly compressed file as a binary stream of its content."""
    raw = open(f.path, "rb")
    if f.compression == ".gz":
        return gzip.GzipFile(fileobj=raw, mode="rb")
    if f.compression == ".bz2":
        return bz2.BZ2File(raw)
    if f.compression == ".xz":
        return lzma.LZMAFile(raw)
    if f.compression == ".zst":
        # the zstd reader has no readline: buffer it so lines can be iterated
        return io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True, closefd=True))
    return raw


def escape(raw: bytes) -> str:
    """Raw bytes as text, undecodable bytes written as ``\\xNN`` escapes."""
    return raw.decode("utf-8", "backslashreplace")


def decode(raw: bytes) -> str:
    """Strict UTF-8, BOM removed; raises UnicodeDecodeError with the offset."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    return raw.decode("utf-8")


def _decode_error(exc: UnicodeDecodeError, raw: bytes) -> tuple[int, str]:
    line = raw.count(b"\n", 0, exc.start) + 1
    return line, f"invalid UTF-8 at byte {exc.start}: {raw[exc.start:exc.start + 4]!r}"


class Reader:
    """Yields Documents and Quarantined items of one file, in order."""

    def __init__(self, text_field: str = "text", id_field: str = "id", max_record_bytes: int = 64 << 20) -> None:
        self.text_field = text_field
        self.id_field = id_field
        self.max_record_bytes = max_record_bytes

    def read(self, f: InputFile) -> Iterator[Item]:
        try:
            stream = open_binary(f)
        except OSError as exc:
            yield Quarantined(f.name, None, f"cannot open: {exc.strerror or exc}", "")
            return
        with stream:
            if f.kind == "txt":
                yield from self._read_txt(f, stream)
            else:
                yield from self._read_jsonl(f, stream)

    def _read_txt(self, f: InputFile, stream: IO[bytes]) -> Iterator[Item]:
        try:
            raw = stream.read(self.max_record_bytes + 1)
        except (OSError, EOFError, zstandard.ZstdError, lzma.LZMAError) as exc:
            yield Quarantined(f.name, None, f"corrupt or truncated {f.compression} stream: {exc}", "")
            return
        if len(raw) > self.max_record_bytes:
            yield Quarantined(f.name, None, f"file larger than max_record_bytes ({self.max_record_bytes})", escape(raw))
            return
        if b"\x00" in raw:
            yield Quarantined(f.name, None, "binary content (NUL bytes)", escape(raw))
            return
        try:
            text = decode(raw)
        except UnicodeDecodeError as exc:
            line, msg = _decode_error(exc, raw)
            yield Quarantined(f.name, line, msg, escape(raw))
            return
        record = {"id": f.name, "text": text, "source": f.name}
        yield Document(f.name, text, f.name, None, -1, record, bytes_in=len(raw))

    def _read_jsonl(self, f: InputFile, stream: IO[bytes]) -> Iterator[Item]:
        lineno = 0
        try:
            for raw in stream:
                lineno += 1
                if not raw.strip():
                    continue
                yield self._parse_line(f, lineno, raw)
        except (OSError, EOFError, zstandard.ZstdError, lzma.LZMAError) as exc:
            yield Quarantined(f.name, lineno + 1, f"corrupt or truncated {f.compression or ''} stream after line {lineno}: {exc}", "")

    def _parse_line(self, f: InputFile, lineno: int, raw: bytes) -> Item:
        raw = raw.rstrip(b"\r\n")
        if len(raw) > self.max_record_bytes:
            return Quarantined(f.name, lineno, f"record larger than max_record_bytes ({self.max_record_bytes})", escape(raw))
        try:
            record = orjson.loads(decode(raw))
        except UnicodeDecodeError as exc:
            return Quarantined(f.name, lineno, _decode_error(exc, raw)[1], escape(raw))
        except orjson.JSONDecodeError as exc:
            return Quarantined(f.name, lineno, f"malformed JSON: {exc}", escape(raw))
        if not isinstance(record, dict):
            return Quarantined(f.name, lineno, f"expected a JSON object, got {type(record).__name__}", escape(raw))
        text = record.get(self.text_field)
        if not isinstance(text, str):
            what = "missing" if text is None else f"not a string ({type(text).__name__})"
            return Quarantined(f.name, lineno, f"text field {self.text_field!r} {what}", escape(raw))
        doc_id = record.get(self.id_field)
        doc_id = f"{f.name}:{lineno}" if doc_id is None else str(doc_id)
        return Document(doc_id, text, f.name, lineno, -1, record, bytes_in=len(text.encode()))
