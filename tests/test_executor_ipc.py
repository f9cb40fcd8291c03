"""What crosses the process boundary: packed tasks and results come back equal to what was packed."""
import pickle
from array import array
from dataclasses import fields

import numpy as np
import orjson
import pytest

from dedupe import Config
from dedupe.document import Document, Quarantined
from dedupe.executors import shard
from dedupe.io.readers import RawLine


def _assert_same(a, b):
    assert type(a) is type(b)
    for f in fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
            assert isinstance(x, np.ndarray) and isinstance(y, np.ndarray), f.name
            assert x.dtype == y.dtype and np.array_equal(x, y), f.name
        else:
            assert x == y, f.name


def _raw(i, text):
    return RawLine("c.jsonl", i + 1, orjson.dumps({"id": f"d{i}", "text": text}), True, 0)


def test_worker_batch_round_trip_equals_in_process_batch(seeds):
    """A batch through pack_tasks -> worker -> pack_results -> pickle -> unpack_results equals the
    same batch processed in this process (text and record aside, which the worker drops on purpose)."""
    config = Config()
    texts = [*seeds.values(), "", "   ", *seeds.values(), "قصير جدا"]
    items = [_raw(i, t) for i, t in enumerate(texts)]
    items.insert(3, Quarantined("c.jsonl", 99, "malformed JSON", "{"))
    items.append(RawLine("c.jsonl", 50, b"{not json", True, 0))  # left for the main process

    task = pickle.loads(pickle.dumps(shard.pack_tasks(items)))
    assert task[0] == "items"  # a Quarantined item keeps the batch as objects
    raw_only = [it for it in items if type(it) is RawLine]
    raw_task = pickle.loads(pickle.dumps(shard.pack_tasks(raw_only)))
    assert raw_task[0] == "raw" and all(type(s) is tuple for s in raw_task[1])
    for a, b in zip(shard.unpack_tasks(raw_task), raw_only):
        _assert_same(a, b)

    shard.init_worker(config)
    packed, _ = shard.run_worker_batch(task)
    got = shard.unpack_results(pickle.loads(pickle.dumps(packed)))
    shard.init_worker(config)
    expected, _ = shard.run_worker_batch(("items", items))  # the same worker code, not packed
    expected = shard.unpack_results(expected)
    reference, _ = shard.run_batch(list(items), config)

    assert len(got) == len(items)
    signed = [d for d in got if type(d) is Document and d.signature is not None]
    assert len(signed) >= 8 and any(d.removed for d in got if type(d) is Document)
    for a, b, ref in zip(got, expected, reference):
        _assert_same(a, b)
        if type(ref) is Document:
            assert a.id == ref.id and a.reason == ref.reason and a.exact_hash == ref.exact_hash
            if ref.signature is not None:
                assert np.array_equal(a.signature, ref.signature) and np.array_equal(a.shingles, ref.shingles)
                # own copies, not views of the batch: an array('I') is never a view
                assert type(a.signature) is type(ref.signature) is array and type(a.shingles) is array
            if not ref.removed:
                assert orjson.loads(a.payload) == {"id": ref.id, "text": ref.text}
        else:
            assert a == ref


# ---------------------------------------------------------------- reading in blocks

from hypothesis import example, given, settings, HealthCheck
from hypothesis import strategies as st

from dedupe.io.listing import InputFile
from dedupe.io.readers import Reader, block_lines, read_range

_pieces = st.lists(st.one_of(
    st.sampled_from([b"", b" ", b"\t \r", b"\r", b"\r\r", b'{"id": 1, "text": "\xd9\x86\xd8\xb5"}', b"{bad",
                     b"\x00\x01", b"\xff\xfe", b"x" * 9, b"y" * 10, b"z" * 11, b" " * 12, b"\xd9" * 13]),
    st.binary(max_size=30)), max_size=25)


def _lines_by_reader(path, max_record_bytes):
    reader = Reader(max_record_bytes=max_record_bytes, warn=lambda m: None)
    reader.raw_lines = True
    items = list(reader.read(InputFile(path, path.name, "jsonl", None)))
    return [(i.source, i.line, i.raw, i.complete, i.file_no) if type(i) is RawLine else i for i in items], reader.notes


def _lines_by_blocks(path, max_record_bytes, size, small_from=None, small=1 << 18):
    reader = Reader(max_record_bytes=max_record_bytes, warn=lambda m: None)
    out = []
    for part in reader.read_blocks(InputFile(path, path.name, "jsonl", None), size, small_from, small):
        if type(part) is tuple:
            source, file_no, first_line, data, offset = part
            assert read_range(str(path), offset, len(data)) == data  # what a worker reads at that offset
            out.extend(block_lines(data, source, file_no, first_line, max_record_bytes))
        else:
            out.append(part)
    return [(i.source, i.line, i.raw, i.complete, i.file_no) if type(i) is RawLine else i for i in out], reader.notes


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=_pieces, ends=st.lists(st.sampled_from([b"\n", b"\r\n"]), min_size=25, max_size=25),
       final_newline=st.booleans(), max_record_bytes=st.integers(1, 14), size=st.integers(1, 40),
       small_from=st.none() | st.integers(-5, 800), small=st.integers(1, 40))
# a file whose one record is a blank line just over max_record_bytes (not over-long for readline): it is
# quarantined, and the file is not noted as empty (read_blocks once said it was)
@example(pieces=[b" " * 12], ends=[b"\n"] * 25, final_newline=False, max_record_bytes=11, size=1, small_from=None,
         small=1)
def test_blocks_give_the_lines_line_by_line_reading_gives(tmp_path, pieces, ends, final_newline, max_record_bytes, size,
                                                          small_from, small):
    """Same RawLines (number, bytes, complete flag), same over-long handling, same notes, for any
    block size (and smaller blocks from any offset on: the end of a run, ``read_tasks``), line ends,
    blank and over-long lines and a missing final line end."""
    data = b"".join(p + e for p, e in zip(pieces, ends))
    if pieces and not final_newline:
        data = data[: -len(ends[len(pieces) - 1])]
    path = tmp_path / "f.jsonl"
    path.write_bytes(data)
    assert _lines_by_blocks(path, max_record_bytes, size, small_from, small) == _lines_by_reader(path, max_record_bytes)


def test_over_long_line_is_not_held_whole(tmp_path):
    """A line far over max_record_bytes spans many blocks: it comes back as its preview, the next line intact."""
    path = tmp_path / "f.jsonl"
    path.write_bytes(b"a" * 300_000 + b"\n" + b'{"text": "ok"}\n')
    got, _ = _lines_by_blocks(path, 1000, 4096)
    assert got == _lines_by_reader(path, 1000)[0]
    assert [(line, len(raw), complete) for _, line, raw, complete, _ in got] == [(1, 1002, False), (2, 14, True)]


def test_a_file_cut_short_under_the_run_is_an_error(tmp_path):
    path = tmp_path / "f.jsonl"
    path.write_bytes(b'{"text": "a"}\n' * 10)
    assert read_range(str(path), 14, 28) == b'{"text": "a"}\n' * 2
    path.write_bytes(b'{"text": "a"}\n')
    with pytest.raises(OSError, match="changed while it was being read"):
        read_range(str(path), 14, 28)


def _echo_big(n):
    return b"x" * n


@pytest.mark.skipif(not hasattr(__import__("fcntl"), "F_GETPIPE_SZ") if __import__("sys").platform == "linux"
                    else True, reason="pipe sizes are Linux's")
def test_result_pipe_widened_and_results_intact():
    """The pool's result pipe holds 1 MiB (fewer turns per packed batch); results larger than it arrive whole;
    a size over the system's limit is ignored, not an error."""
    import fcntl
    import multiprocessing as mp

    from dedupe.executors.local import _Pool

    with open("/proc/sys/fs/pipe-max-size") as fh:
        limit = int(fh.read())
    with _Pool(2, context=mp.get_context("fork")) as pool:
        pool.widen_result_pipe()
        assert fcntl.fcntl(pool._outqueue._reader.fileno(), fcntl.F_GETPIPE_SZ) == min(1 << 20, limit)
        pool.widen_result_pipe(1 << 40)  # capped at the system's limit (a raw 1 << 40 wraps to a one-page pipe)
        assert fcntl.fcntl(pool._outqueue._reader.fileno(), fcntl.F_GETPIPE_SZ) == limit
        sizes = [10, 3 << 20, 70_000, 1 << 20]
        assert [len(r) for r in pool.imap(_echo_big, sizes)] == sizes


def test_read_tasks_taper_the_last_blocks(tmp_path):
    """The last TAPER_BLOCKS blocks' worth of the whole input (across files) goes in quarter blocks;
    the blocks still tile every file, in order."""
    from dedupe.executors.local import TAPER_BLOCKS, read_tasks
    from dedupe.io.listing import list_inputs

    line = orjson.dumps({"text": "نص " * 10}) + b"\n"  # 77 bytes
    (tmp_path / "a.jsonl").write_bytes(line * 200)
    (tmp_path / "b.jsonl").write_bytes(line * 30)
    config = Config().replace(run={"block_bytes": 1000})
    reader = Reader(warn=lambda m: None)
    tasks = [t for kind, t in read_tasks(list_inputs([tmp_path]), config, None, reader) if kind == "range"]
    by_file = {}
    for source, _, _, _, offset, length in tasks:
        by_file.setdefault(source, []).append((offset, length))
    for name, size in (("a.jsonl", 200 * len(line)), ("b.jsonl", 30 * len(line))):
        blocks = by_file[name]
        assert blocks[0][0] == 0 and all(o + n == o2 for (o, n), (o2, _) in zip(blocks, blocks[1:]))
        assert sum(n for _, n in blocks) == size
    lengths = [n for _, n in by_file["a.jsonl"]]
    tail = TAPER_BLOCKS * 1000 - 30 * len(line)  # the taper's bytes in a.jsonl
    small_start = 200 * len(line) - tail
    offsets = [o for o, _ in by_file["a.jsonl"]]
    assert all(n > 250 + len(line) for o, n in zip(offsets, lengths) if o + n <= small_start - len(line))
    assert all(n <= 250 + len(line) for o, n in zip(offsets, lengths) if o >= small_start)
    assert all(n <= 250 + len(line) for _, n in by_file["b.jsonl"])
