"""Reading documents from .txt and JSON-lines files, quarantining what cannot be read.

Readers never raise on bad data: a record that cannot be decoded or parsed, a
missing or non-string text field, a line over the size limit, a truncated
compressed stream, a binary or unopenable file, all become ``Quarantined`` items
carrying the file, line, error and the (escaped) raw content, and reading goes
on. Things that are not errors but deserve a note (an empty file, a legacy
encoding, an id seen before) are passed to ``warn`` and counted in ``notes``.
Memory stays bounded by ``max_record_bytes`` whatever the input: lines are read
with a limit, and an over-long line is skipped in chunks, never held whole.
"""
from __future__ import annotations

import bz2
import io
import gzip
import lzma
import os
from collections import Counter
from dataclasses import dataclass
from typing import IO, Callable, Iterator

import orjson
import xxhash
import zstandard

from ..document import Document, Quarantined
from ..text.native import utf8_len
from .decoding import Decoder, UndecodableError
from .listing import InputFile

Item = Document | Quarantined


@dataclass(slots=True)
class RawLine:
    """One JSON line not parsed yet: the executor hands these to the workers (``parse_fast``).

    Lines the fast path cannot take (not UTF-8, a BOM, malformed, no text field,
    over the size limit...) come back unparsed and the main process parses them in
    input order with the file's ``Decoder`` (``Reader.parse_raw``), so legacy
    encodings, quarantine records and notes are exactly what reading in place gives.
    """

    source: str
    line: int
    raw: bytes
    complete: bool
    file_no: int


def record_fields(record, text_field: str, id_field: str, source: str, line: int) -> tuple[str, str] | str:
    """``(text, id)`` of a parsed JSON record, or why it cannot be a document.

    The id is the id field as a string, else ``<file>:<line>``.
    """
    if not isinstance(record, dict):
        return f"expected a JSON object, got {type(record).__name__}"
    text = record.get(text_field)
    if not isinstance(text, str):
        what = "missing" if text is None else f"not a string ({type(text).__name__})"
        return f"text field {text_field!r} {what}"
    doc_id = record.get(id_field)
    return text, (f"{source}:{line}" if doc_id is None else str(doc_id))


def parse_fast(item: RawLine, text_field: str, id_field: str) -> Document | RawLine:
    """The Document of a plain UTF-8 JSON object line with a string text field, else the line itself.

    Same Document as ``Reader`` makes for such a line (UTF-8 lines never touch the
    decoder's state); the stateful part (duplicate ids) is ``Reader.register``.
    """
    raw = item.raw
    if not item.complete or b"\x00" in raw or raw.startswith(b"\xef\xbb\xbf"):
        return item
    try:
        record = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return item
    # record_fields, inline: orjson makes exact dicts and strs
    if type(record) is not dict:
        return item
    text = record.get(text_field)
    if type(text) is not str:
        return item
    doc_id = record.get(id_field)
    doc_id = f"{item.source}:{item.line}" if doc_id is None else str(doc_id)
    # seq -1: the executor numbers items as they come back from the workers
    return Document(doc_id, text, item.source, item.line, -1, record, bytes_in=utf8_len(text), registered=False)


def read_range(path: str, offset: int, length: int) -> bytes:
    """``length`` bytes of a file from ``offset`` (a worker reading the block ``read_blocks`` found).

    The file stays open for the next call with the same path (a worker's blocks come in
    file order). Fewer bytes than the main process read means the file changed under the
    run: an error, not a silent difference.
    """
    global _open_path, _open_fd
    if path != _open_path:
        if _open_fd is not None:
            os.close(_open_fd)
            _open_path = _open_fd = None
        _open_fd = os.open(path, os.O_RDONLY)
        _open_path = path
    data = os.pread(_open_fd, length, offset)
    if len(data) != length:
        raise OSError(f"{path} changed while it was being read ({len(data)} bytes at {offset} instead of {length})")
    return data


_open_path: str | None = None
_open_fd: int | None = None


def block_lines(data: bytes, source: str, file_no: int, first_line: int, max_record_bytes: int) -> list[RawLine]:
    """The RawLines of a block of whole JSON lines (``Reader.read_blocks``), as ``Reader`` yields them.

    The same lines, numbers and flags as reading the file line by line (``Reader._lines``
    with ``raw_lines``): blank lines are counted but not yielded; a line of
    ``max_record_bytes + 2`` bytes or more (its end not counted) becomes the preview
    ``_lines`` makes of it (its first ``RAW_PREVIEW`` bytes, at most ``max_record_bytes + 2``)
    with ``complete`` false; the block's last piece is a line
    only if the block does not end with a line end (the end of the file).
    """
    limit = max_record_bytes + 2
    pieces = data.split(b"\n")
    if data.endswith(b"\n"):
        pieces.pop()
    out = []
    for number, line in enumerate(pieces, first_line):
        if len(line) >= limit:  # readline(limit) stops inside this line: over-long
            out.append(RawLine(source, number, line[:min(limit, RAW_PREVIEW)], False, file_no))
            continue
        raw = line.rstrip(b"\r")
        if not raw.strip() and len(raw) <= max_record_bytes:
            continue
        out.append(RawLine(source, number, raw, len(raw) <= max_record_bytes, file_no))
    return out


#: field added to a kept record whose bytes were not UTF-8 (value: the code page used)
ENCODING_FIELD = "input_encoding"
#: how much of an over-long record or a binary file the quarantine record keeps
RAW_PREVIEW = 64 * 1024
#: bytes looked at to call a JSON-lines file binary
SNIFF = 8192
STREAM_ERRORS = (OSError, EOFError, zstandard.ZstdError, lzma.LZMAError)


class _ZstdRaw(io.RawIOBase):
    """A zstd stream that raises ``EOFError`` when the input ends inside a frame.

    ``zstandard``'s own stream reader returns a clean end of file for a truncated
    frame, which would silently lose the rest of the file.
    """

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self._dctx = zstandard.ZstdDecompressor()
        self._obj = self._dctx.decompressobj()
        self._pending = b""
        self._in_frame = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._pending:
            chunk = self._raw.read(1 << 16)
            if not chunk:
                if self._in_frame:
                    raise EOFError("zstd stream ended inside a frame (truncated file)")
                return 0
            while chunk:
                self._in_frame = True
                self._pending += self._obj.decompress(chunk)
                if not self._obj.eof:
                    break
                chunk, self._in_frame = self._obj.unused_data, False
                self._obj = self._dctx.decompressobj()
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


def open_binary(f: InputFile, raw: IO[bytes] | None = None) -> IO[bytes]:
    """Open a possibly compressed file (or wrap its already open ``raw`` file) as a binary stream of its content."""
    raw = raw or open(f.path, "rb")
    if f.compression == ".gz":
        return gzip.GzipFile(fileobj=raw, mode="rb")
    if f.compression == ".bz2":
        return bz2.BZ2File(raw)
    if f.compression == ".xz":
        return lzma.LZMAFile(raw)
    if f.compression == ".zst":
        return io.BufferedReader(_ZstdRaw(raw), 1 << 16)
    return raw


def escape(raw: bytes) -> str:
    """Raw bytes as text, undecodable bytes written as ``\\xNN`` escapes."""
    return raw.decode("utf-8", "backslashreplace")


def decode(raw: bytes) -> str:
    """Strict UTF-8, BOM removed; raises UnicodeDecodeError with the offset."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    return raw.decode("utf-8")


class IdTracker:
    """Counts ids seen before, in 8 bytes per id (xxh3-64 of the id, sorted numpy runs)."""

    def __init__(self, pending_max: int = 1 << 18) -> None:
        self.pending: set[int] = set()
        self.sorted = ()  # a numpy uint64 array once pending_max ids were seen (numpy imported only then)
        self.pending_max = pending_max

    def seen(self, doc_id: str) -> bool:
        """True if ``doc_id`` was added before; adds it."""
        h = xxhash.xxh3_64_intdigest(doc_id.encode("utf-8", "surrogatepass"))
        if h in self.pending:
            return True
        if len(self.sorted):  # empty until pending_max ids were seen: most runs never search
            import numpy as np

            i = int(np.searchsorted(self.sorted, np.uint64(h)))
            if i < len(self.sorted) and int(self.sorted[i]) == h:
                return True
        self.pending.add(h)
        if len(self.pending) >= self.pending_max:
            import numpy as np

            merged = np.concatenate([np.asarray(self.sorted, dtype=np.uint64), np.fromiter(self.pending, np.uint64, len(self.pending))])
            self.sorted = np.sort(merged, kind="stable")
            self.pending.clear()
        return False


class Reader:
    """Yields Documents and Quarantined items of one file, in order.

    One Reader reads all files of a run: it tracks ids across files. ``notes``
    counts ``empty_files``, ``binary_files``, ``legacy_encoding`` records and
    ``duplicate_ids``.
    """

    def __init__(self, text_field: str = "text", id_field: str = "id", max_record_bytes: int = 64 << 20,
                 warn: Callable[[str], None] | None = None) -> None:
        self.text_field = text_field
        self.id_field = id_field
        self.max_record_bytes = max_record_bytes
        self.warn = warn or (lambda message: None)
        self.notes: Counter[str] = Counter()
        self.ids = IdTracker()
        self._warned: set[tuple[str, str]] = set()
        self._raw: IO[bytes] | None = None
        #: with ``raw_lines``, JSON lines are yielded as RawLine; their file's Decoder stays here
        self.raw_lines = False
        self._decoders: list[tuple[InputFile, Decoder]] = []  # by file number (names may repeat)

    @property
    def duplicate_ids(self) -> int:
        return self.notes["duplicate_ids"]

    def tell(self) -> int:
        """Bytes of the current file read so far, on disk (compressed bytes for compressed files).

        Progress bars use it to move within a large file, not only between files.
        """
        try:
            return self._raw.tell() if self._raw is not None else 0
        except (OSError, ValueError):
            return 0

    def read(self, f: InputFile) -> Iterator[Item]:
        try:
            self._raw = open(f.path, "rb")
            stream = open_binary(f, self._raw)
        except OSError as exc:
            yield Quarantined(f.name, None, f"cannot open: {exc.strerror or exc}", "")
            return
        try:
            with stream:
                if f.kind == "txt":
                    yield from self._read_txt(f, stream)
                else:
                    yield from self._read_jsonl(f, stream)
        finally:
            self._raw.close()  # gzip/bz2/lzma readers leave a file object they were given open

    def parse_raw(self, item: RawLine) -> Item:
        """Parse a line the fast path left, in input order, as reading in place would have."""
        f, decoder = self._decoders[item.file_no]
        return self._parse_line(f, item.line, item.raw, item.complete, decoder)

    def register(self, doc: Document) -> None:
        """The stateful part of reading a fast-parsed document: note an id used before."""
        if self.ids.seen(doc.id):
            where = doc.source if doc.line is None else f"{doc.source}:{doc.line}"
            self._note("duplicate_ids", f"{where}: id {doc.id!r} was used before; kept as a separate document",
                       doc.source)

    def _note(self, key: str, message: str, f: InputFile | str | None = None) -> None:
        """Count a note; warn once per kind and file (a legacy-encoded file would else drown real problems)."""
        self.notes[key] += 1
        if f is not None:
            name = f if isinstance(f, str) else f.name
            if (key, name) in self._warned:
                return
            self._warned.add((key, name))
            message += " (further ones in this file are counted in stats.json, not shown)"
        self.warn(f"warning: {message}")

    def _document(self, f: InputFile, doc_id: str, text: str, line: int | None, record: dict,
                  encoding: str, size: int) -> Document:
        if encoding != "utf-8":
            record[ENCODING_FIELD] = encoding
            if encoding.startswith(("cp", "iso")):
                self._note("legacy_encoding", f"{f.name}{'' if line is None else f':{line}'}: not UTF-8, decoded as "
                                              f"{encoding} ({ENCODING_FIELD} in the kept record)", f)
        if self.ids.seen(doc_id):
            self._note("duplicate_ids", f"{f.name}{'' if line is None else f':{line}'}: id {doc_id!r} was used before; "
                                        "kept as a separate document", f)
        return Document(doc_id, text, f.name, line, -1, record, bytes_in=size)

    def _read_txt(self, f: InputFile, stream: IO[bytes]) -> Iterator[Item]:
        try:
            raw = stream.read(self.max_record_bytes + 1)
        except STREAM_ERRORS as exc:
            what = f"{f.compression} stream" if f.compression else "file"
            yield Quarantined(f.name, None, f"corrupt or truncated {what}: {exc}", "")
            return
        if len(raw) > self.max_record_bytes:
            yield Quarantined(f.name, None, f"file larger than max_record_bytes ({self.max_record_bytes}); "
                                            f"raw holds the first {RAW_PREVIEW} bytes", escape(raw[:RAW_PREVIEW]))
            return
        decoder = Decoder()
        if b"\x00" in raw and raw[:2] not in (b"\xff\xfe", b"\xfe\xff"):
            cut = f"; raw holds the first {RAW_PREVIEW} bytes" if len(raw) > RAW_PREVIEW else ""
            yield Quarantined(f.name, None, f"binary content (NUL bytes){cut}", escape(raw[:RAW_PREVIEW]))
            return
        try:
            text, encoding = decoder.decode(raw, allow_utf16=True)
        except UndecodableError as exc:
            yield Quarantined(f.name, raw.count(b"\n", 0, exc.offset) + 1, str(exc), escape(raw))
            return
        if not text.strip():
            self._note("empty_files", f"{f.name}: empty file; recorded in removed/ as empty_after_cleaning")
        record = {"id": f.name, "text": text, "source": f.name}
        yield self._document(f, f.name, text, None, record, encoding, len(raw))

    def read_blocks(self, f: InputFile, size: int, small_from: int | None = None,
                    small: int = 1 << 18) -> Iterator[tuple[str, int, int, bytes, int] | Item]:
        """An uncompressed JSON-lines file as blocks of whole lines, for the workers to split.

        Yields ``(source, file_no, first_line, data, offset)`` blocks of about ``size`` bytes
        (``small`` bytes from file offset ``small_from`` on, when given)
        that end at a line end (or at the end of the file), in file order, ``offset`` being
        where ``data`` starts in the file; ``block_lines`` turns one into the RawLines
        ``read`` would have yielded, so this process reads the bytes without making an
        object per line. A line of ``max_record_bytes + 2`` bytes or more is not held
        whole: it is yielded here as a RawLine of the same preview ``_lines`` makes (not
        complete), and the rest is skipped.
        Errors and notes are those of ``read``; a read error quarantines what follows
        the blocks already yielded.
        """
        limit = self.max_record_bytes + 2
        try:
            self._raw = raw = open(f.path, "rb")
        except OSError as exc:
            yield Quarantined(f.name, None, f"cannot open: {exc.strerror or exc}", "")
            return
        decoder = Decoder()
        self._decoders.append((f, decoder))
        file_no = len(self._decoders) - 1
        lineno = 0  # lines before the next block
        records = False
        with raw:
            try:
                if b"\x00" in raw.peek(SNIFF)[:SNIFF]:
                    self._note("binary_files", f"{f.name}: binary content (NUL bytes); every line is quarantined")
                carry = b""
                offset = 0  # where carry (then data) starts in the file
                while True:
                    chunk = raw.read(size if small_from is None or offset + len(carry) < small_from else small)
                    data = carry + chunk if carry else chunk
                    if not data:
                        break
                    cut = len(data) if not chunk else data.rfind(b"\n") + 1
                    if cut == 0:
                        if len(data) < limit:
                            carry = data
                            continue
                        yield RawLine(f.name, lineno + 1, data[:min(limit, RAW_PREVIEW)], False, file_no)  # over-long
                        lineno += 1
                        records = True
                        carry = self._skip_line(raw)
                        offset = raw.tell() - len(carry)
                        continue
                    block, carry = data[:cut], data[cut:]
                    if not records:
                        # a record: what block_lines yields, a line with text or one of blanks too long
                        # to be skipped as blank (over max_record_bytes without its "\r"s)
                        records = bool(block.strip()) or any(
                            len(x) >= limit or len(x.rstrip(b"\r")) > self.max_record_bytes for x in block.split(b"\n"))
                    yield f.name, file_no, lineno + 1, block, offset
                    lineno += block.count(b"\n")
                    offset += cut
            except STREAM_ERRORS as exc:
                records = True
                yield Quarantined(f.name, lineno + 1, f"corrupt or truncated file after line {lineno}: {exc}", "")
        if not records:
            self._note("empty_files", f"{f.name}: no records (empty file)")

    @staticmethod
    def _skip_line(raw: IO[bytes]) -> bytes:
        """Read past the end of the current line without holding it; what follows that end."""
        while True:
            chunk = raw.read(1 << 20)
            if not chunk:
                return b""
            end = chunk.find(b"\n")
            if end >= 0:
                return chunk[end + 1:]

    def _read_jsonl(self, f: InputFile, stream: IO[bytes]) -> Iterator[Item]:
        lineno = records = 0
        decoder = Decoder()
        self._decoders.append((f, decoder))
        file_no = len(self._decoders) - 1
        try:
            head = stream.peek(SNIFF)[:SNIFF] if hasattr(stream, "peek") else b""
            if b"\x00" in head:
                self._note("binary_files", f"{f.name}: binary content (NUL bytes); every line is quarantined")
            for raw, complete in self._lines(stream):
                lineno += 1
                if complete and not raw.strip():
                    continue
                records += 1
                if self.raw_lines:
                    yield RawLine(f.name, lineno, raw, complete, file_no)
                else:
                    yield self._parse_line(f, lineno, raw, complete, decoder)
        except STREAM_ERRORS as exc:
            records += 1
            what = f"{f.compression} stream" if f.compression else "file"
            yield Quarantined(f.name, lineno + 1, f"corrupt or truncated {what} after line {lineno}: {exc}", "")
        if not records:
            self._note("empty_files", f"{f.name}: no records (empty file)")

    def _lines(self, stream: IO[bytes]) -> Iterator[tuple[bytes, bool]]:
        """Lines without their end, and whether each fits in ``max_record_bytes``; memory stays bounded."""
        limit = self.max_record_bytes + 2  # room for CRLF
        while True:
            line = stream.readline(limit)
            if not line:
                return
            if len(line) < limit or line.endswith(b"\n"):
                yield line.rstrip(b"\r\n"), len(line.rstrip(b"\r\n")) <= self.max_record_bytes
                continue
            prefix = line[:RAW_PREVIEW]
            del line
            while True:  # skip the rest of an over-long line without holding it
                chunk = stream.readline(1 << 20)
                if not chunk or chunk.endswith(b"\n"):
                    break
            yield prefix, False

    def _parse_line(self, f: InputFile, lineno: int, raw: bytes, complete: bool, decoder: Decoder) -> Item:
        if not complete:
            return Quarantined(f.name, lineno, f"record larger than max_record_bytes ({self.max_record_bytes}); "
                                               f"raw holds the first {RAW_PREVIEW} bytes", escape(raw[:RAW_PREVIEW]))
        if b"\x00" in raw:
            return Quarantined(f.name, lineno, "binary content (NUL bytes)", escape(raw))
        try:
            text, encoding = decoder.decode(raw)
            record = orjson.loads(text)
        except UndecodableError as exc:
            return Quarantined(f.name, lineno, str(exc), escape(raw))
        except orjson.JSONDecodeError as exc:
            return Quarantined(f.name, lineno, f"malformed JSON: {exc}", escape(raw))
        fields = record_fields(record, self.text_field, self.id_field, f.name, lineno)
        if isinstance(fields, str):
            return Quarantined(f.name, lineno, fields, escape(raw))
        text, doc_id = fields
        return self._document(f, doc_id, text, lineno, record, encoding, utf8_len(text))
