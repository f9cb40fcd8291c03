"""Bytes to text: UTF-8 (with or without BOM), else a legacy Arabic code page on positive evidence.

Old Arabic corpora are often Windows-1256 or ISO-8859-6. Windows-1256 maps almost
every byte to some character, so "it decodes" proves nothing: garbage, binary
data or Latin-1 text would all come out as something. The rule (documented in
the README):

1. charset-normalizer, restricted to the two Arabic code pages, must find the
   bytes plausible in one of them (its mess detector rejects noise);
2. each code page that decodes the bytes strictly is a candidate if the text
   looks like Arabic (``arabic_evidence``): no control characters but
   tab/newline/CR/FF; at least ``MIN_ARABIC_LETTERS`` Arabic letters; at least
   80 % of the non-ASCII characters Arabic script; no run of more than
   ``MAX_RUN`` non-ASCII characters without a space (real words are short,
   noise has no spaces);
3. the candidate with the larger Arabic share wins (ISO-8859-6 text read as
   Windows-1256 shows Latin letters such as ``ç``); on a tie, charset-normalizer's
   choice, else Windows-1256. Very short texts can be ambiguous between the two
   pages; the choice is recorded in the record, so it can be audited.

Anything else is undecodable: the caller quarantines it, nothing is replaced.
"""
from __future__ import annotations

import re

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}
LEGACY = ("cp1256", "iso8859_6")
MIN_ARABIC_LETTERS = 3
MIN_ARABIC_SHARE = 0.8
MAX_RUN = 40

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff\u0750-\u077f]")
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff\u00a0\u00ab\u00bb\u00d7\u00f7\u200c-\u200f\u2013\u2014\u2018-\u201e\u2026]")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f\s]{%d,}" % (MAX_RUN + 1))


class UndecodableError(ValueError):
    """Bytes that are neither UTF-8 nor, on evidence, a legacy Arabic encoding; ``offset`` is the first bad byte."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.offset = offset


def arabic_evidence(text: str) -> str | None:
    """Why ``text`` does not look like Arabic, or None when it does.

    >>> arabic_evidence("مرحبا بالعالم") is None, arabic_evidence("café crème")
    (True, 'fewer than 3 Arabic letters')
    """
    if _CONTROL.search(text):
        return "control characters"
    if len(_ARABIC_LETTER.findall(text)) < MIN_ARABIC_LETTERS:
        return f"fewer than {MIN_ARABIC_LETTERS} Arabic letters"
    if arabic_share(text) < MIN_ARABIC_SHARE:
        return f"less than {MIN_ARABIC_SHARE:.0%} of non-ASCII characters are Arabic"
    if _NON_ASCII_RUN.search(text):
        return f"a run of more than {MAX_RUN} non-ASCII characters without a space"
    return None


def arabic_share(text: str) -> float:
    """Share of the non-ASCII characters that are Arabic script (or its usual punctuation)."""
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    return len(_ARABIC_SCRIPT.findall(text)) / non_ascii if non_ascii else 0.0


def _detector_verdict(raw: bytes) -> str | None:
    from charset_normalizer import from_bytes  # imported on first legacy line only

    best = from_bytes(raw, cp_isolation=list(LEGACY)).best()
    return best.encoding if best is not None and best.encoding in LEGACY else None


class Decoder:
    """Decodes the records of one file; remembers a legacy encoding once the detector confirmed it.

    ``decode`` returns ``(text, encoding)``; encoding is ``"utf-8"`` for UTF-8
    input (BOM or not), else the legacy code page that was accepted.
    """

    def __init__(self, legacy: bool = True) -> None:
        self.legacy = legacy
        self.confirmed: str | None = None  # charset-normalizer's verdict earlier in this file (it is slow)

    def decode(self, raw: bytes, allow_utf16: bool = False) -> tuple[str, str]:
        if raw.startswith(UTF8_BOM):
            try:
                return raw[3:].decode("utf-8"), "utf-8"
            except UnicodeDecodeError as exc:
                raise UndecodableError(_utf8_message(exc, raw, 3) + " (after a UTF-8 BOM)", exc.start + 3) from None
        if allow_utf16 and raw[:2] in UTF16_BOMS:
            encoding = UTF16_BOMS[raw[:2]]
            try:
                text = raw[2:].decode(encoding)
            except UnicodeDecodeError as exc:
                raise UndecodableError(f"invalid {encoding} at byte {exc.start + 2}", exc.start + 2) from None
            bad = _CONTROL.search(text)
            if bad:  # a UTF-16 BOM followed by binary data
                raise UndecodableError(f"{encoding} text with control characters (binary?)", 2 + 2 * bad.start())
            return text, encoding
        try:
            return raw.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            first = exc
        message = _utf8_message(first, raw)
        if not self.legacy:
            raise UndecodableError(message, first.start)
        return self._legacy(raw, message, first.start)

    def _legacy(self, raw: bytes, message: str, offset: int) -> tuple[str, str]:
        candidates: dict[str, str] = {}
        reasons: list[str] = []
        for encoding in LEGACY:
            text = _try(raw, encoding)
            why = "undefined bytes" if text is None else arabic_evidence(text)
            if why is None:
                candidates[encoding] = text
            else:
                reasons.append(f"{encoding}: {why}")
        if not candidates:
            raise UndecodableError(f"{message}; no Arabic code page fits ({'; '.join(reasons)})", offset)
        best = max(arabic_share(t) for t in candidates.values())
        tied = [e for e, t in candidates.items() if arabic_share(t) == best]
        if self.confirmed in tied:  # this file's code page, already vouched for by the detector
            return candidates[self.confirmed], self.confirmed
        verdict = _detector_verdict(raw)
        if verdict is None:
            raise UndecodableError(f"{message}; charset-normalizer finds no plausible Arabic code page", offset)
        self.confirmed = verdict
        encoding = verdict if verdict in tied else tied[0]
        return candidates[encoding], encoding


def _try(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return None


def _utf8_message(exc: UnicodeDecodeError, raw: bytes, offset: int = 0) -> str:
    start = exc.start + offset
    return f"invalid UTF-8 at byte {start}: {raw[start:start + 4]!r}"
