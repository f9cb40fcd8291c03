"""Fuzzing: random bytes and JSON into the readers, random Unicode into the normalizer and the
boilerplate stripper, random broken corpora into the CLI. No crash, no traceback, invariants hold."""
import gzip
import io
from contextlib import redirect_stderr

import orjson
import zstandard
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from dedupe import Config, clean, match_key, run
from dedupe.cli import main
from dedupe.document import Document, Quarantined
from dedupe.io.decoding import Decoder, UndecodableError, arabic_evidence, arabic_share
from dedupe.io.listing import InputFile
from dedupe.io.readers import ENCODING_FIELD, Reader
from dedupe.text.boilerplate import strip_lines

from conftest import read_jsonl_dir

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SLOW = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئىة"
arabic_words = st.text(alphabet=ARABIC, min_size=1, max_size=8)
arabic_text = st.lists(arabic_words, min_size=3, max_size=30).map(" ".join)
# Unicode that exercises the normalizer: Arabic letters, presentation forms, diacritics, tatweel,
# invisibles, bidi controls, space variants, line breaks, digits, plus anything else
tricky = st.text(alphabet=st.one_of(
    st.sampled_from(list(ARABIC + "\u064b\u064c\u064e\u0650\u0651\u0652\u0640\u0670\u06cc\u06a9\u0660\u0669\u06f4")),
    st.characters(min_codepoint=0xFB50, max_codepoint=0xFEFF),
    st.sampled_from(list("\u200b\u200c\u200d\u200e\u200f\u202a\u202e\u2066\u00a0\u2009\u3000\r\n\u2028\u2029\t \x00\x85")),
    st.characters(blacklist_categories=("Cs",)),
), max_size=80)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=12,
)


def _items(path, kind="jsonl", comp=None):
    return list(Reader().read(InputFile(path, path.name, kind, comp)))


# ---------------------------------------------------------------- readers

@FAST
@given(st.binary(max_size=600))
def test_random_bytes_jsonl_one_item_per_nonblank_line(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fz") / "r.jsonl"
    path.write_bytes(data)
    items = _items(path)
    assert all(isinstance(i, (Document, Quarantined)) for i in items)
    assert len(items) == sum(1 for seg in data.split(b"\n") if seg.rstrip(b"\r\n").strip())
    for item in items:
        if isinstance(item, Quarantined):
            assert item.line is not None and item.error
            orjson.dumps(item.to_record())  # always writable


@FAST
@given(st.binary(max_size=600), st.sampled_from([None, ".gz", ".zst"]))
def test_random_bytes_txt_and_compressed_never_raise(tmp_path_factory, data, comp):
    path = tmp_path_factory.mktemp("fz") / f"r.txt{comp or ''}"
    path.write_bytes(data)
    items = _items(path, "txt", comp)
    assert len(items) == 1 and isinstance(items[0], (Document, Quarantined))
    if isinstance(items[0], Document):  # decoded: either UTF-8 or, on evidence, a legacy Arabic page
        assert items[0].record.get(ENCODING_FIELD) in (None, "cp1256", "iso8859_6", "utf-16-le", "utf-16-be")
        assert "\x00" not in items[0].text


@FAST
@given(st.lists(json_values, min_size=1, max_size=8))
def test_random_json_lines(tmp_path_factory, values):
    path = tmp_path_factory.mktemp("fz") / "j.jsonl"
    path.write_bytes(b"".join(orjson.dumps(v) + b"\n" for v in values))
    items = _items(path)
    assert len(items) == len(values)
    for value, item in zip(values, items):
        ok = isinstance(value, dict) and isinstance(value.get("text"), str)
        assert isinstance(item, Document) == ok
        if ok:
            assert item.text == value["text"] and item.record == value


@FAST
@given(arabic_text, st.sampled_from(["cp1256", "iso8859_6"]))
def test_legacy_encoded_arabic_decodes_exactly_or_is_quarantined(text, encoding):
    raw = text.encode(encoding)
    assume(not _is_utf8(raw))
    try:
        decoded, used = Decoder().decode(raw)
    except UndecodableError:
        return  # quarantined, never replaced
    if (decoded, used) != (text, encoding):
        # only bytes that read as clean Arabic in both pages may be taken for the other one (real text
        # has letters such as ف ق ك that ISO-8859-6 lacks at Windows-1256's positions; random letters may not)
        other = "cp1256" if encoding == "iso8859_6" else "iso8859_6"
        assert used == other
        assert arabic_share(decoded) == 1.0 and arabic_evidence(decoded) is None


@FAST
@given(st.binary(min_size=1, max_size=300))
def test_random_bytes_are_never_decoded_as_legacy_arabic_noise(data):
    assume(not _is_utf8(data))
    try:
        text, encoding = Decoder().decode(data)
    except UndecodableError:
        return
    # accepted only with positive evidence: mostly Arabic, spaced like words
    assert encoding in ("cp1256", "iso8859_6") and arabic_evidence(text) is None


def _is_utf8(raw):
    try:
        raw.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


# ---------------------------------------------------------------- text

@settings(max_examples=300, deadline=None)
@given(tricky)
def test_clean_is_idempotent_and_match_key_total(text):
    once = clean(text)
    assert clean(once) == once
    assert isinstance(match_key(text), str) and isinstance(match_key(once), str)


@settings(max_examples=150, deadline=None)
@given(st.lists(tricky, max_size=12), st.one_of(st.none(), tricky))
def test_strip_lines_one_verdict_per_line(lines, title):
    cleaned = [clean(line).replace("\n", " ") for line in lines]
    for candidate in (lines, cleaned):
        verdicts = strip_lines(candidate, title)
        assert len(verdicts) == len(candidate)
        assert all(v is None or isinstance(v, str) for v in verdicts)


# ---------------------------------------------------------------- whole runs

good_docs = st.lists(arabic_text, min_size=1, max_size=12)
bad_lines = st.lists(st.one_of(
    st.binary(max_size=30).filter(lambda b: b"\n" not in b and b.strip()),
    st.just(b'{"id": "x", "text": '), st.just(b'{"text": 7}'), st.just(b"[]"),
    st.just(b'{"text": "caf\xe9"}'),
), max_size=6)


@SLOW
@given(good_docs, bad_lines, st.data())
def test_random_corpora_nothing_lost_nothing_duplicated(tmp_path_factory, docs, bad, data):
    """Random documents, random bad lines and random duplicates over several files and compressions."""
    tmp = tmp_path_factory.mktemp("corp")
    records = [{"id": f"d{i}", "text": t} for i, t in enumerate(docs)]
    copies = data.draw(st.lists(st.sampled_from(records), max_size=4))
    records += [{"id": f"c{i}", "text": r["text"]} for i, r in enumerate(copies)]
    lines = [orjson.dumps(r) for r in records] + bad
    order = data.draw(st.permutations(range(len(lines))))
    lines = [lines[i] for i in order]
    n_files = data.draw(st.integers(1, 3))
    (tmp / "in").mkdir()
    for k in range(n_files):
        body = b"\n".join(lines[k::n_files]) + b"\n"
        comp = data.draw(st.sampled_from(["", ".gz", ".zst"]))
        body = {"": body, ".gz": gzip.compress(body, mtime=0), ".zst": zstandard.ZstdCompressor().compress(body)}[comp]
        (tmp / "in" / f"f{k}.jsonl{comp}").write_bytes(body)
    stats = run(tmp / "in", tmp / "out", Config().replace(run={"quiet": True}, io={"shard_docs": 3}))
    kept, removed = read_jsonl_dir(tmp / "out" / "kept"), read_jsonl_dir(tmp / "out" / "removed")
    quarantined = read_jsonl_dir(tmp / "out" / "quarantine")
    assert stats["documents_in"] == len(lines) == len(kept) + len(removed) + len(quarantined)
    assert sorted(r["id"] for r in kept + removed) == sorted(r["id"] for r in records)  # each exactly once
    assert len(quarantined) == len(bad)
    # a document whose text occurs once in the corpus (after cleaning) is never removed as a duplicate
    key_counts = {}
    for r in records:
        key_counts[match_key(clean(r["text"]))] = key_counts.get(match_key(clean(r["text"])), 0) + 1
    by_id = {r["id"]: r for r in records}
    for r in removed:
        if r["reason"] == "exact_duplicate":
            assert key_counts[match_key(clean(by_id[r["id"]]["text"]))] > 1


@SLOW
@given(st.binary(max_size=400), st.booleans())
def test_cli_never_shows_a_traceback(tmp_path_factory, data, strict):
    tmp = tmp_path_factory.mktemp("cli")
    (tmp / "x.jsonl").write_bytes(data)
    (tmp / "y.txt").write_bytes(data)
    err = io.StringIO()
    with redirect_stderr(err):
        code = main(["run", str(tmp), "-o", str(tmp / "out"), "--quiet", *(["--strict"] if strict else [])])
    assert code in ((0, 2) if strict else (0,))
    assert "Traceback" not in err.getvalue()
