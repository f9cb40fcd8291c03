"""Start-up: the tables kept in the on-disk cache are exactly the freshly built ones, and the
cache is optional (no cache, an unwritable home, a damaged file all give the same output)."""
from __future__ import annotations

import os
import subprocess
import sys
from array import array
from pathlib import Path

import pytest

from dedupe.config import Config
from dedupe.sketch import lsh, minhash
from dedupe.text import chardata as cd
from dedupe.text import native
from dedupe.text import normalize as nz
from dedupe.text.normalize import KEY_UNIFICATIONS, KeyOptions

from conftest import SAMPLES

KEY_STEP_SETS = [KEY_UNIFICATIONS, (), ("diacritics",), ("punctuation", "casefold"),
                 tuple(s for s in KEY_UNIFICATIONS if s != "teh_marbuta"),
                 tuple(s for s in KEY_UNIFICATIONS if s not in ("punctuation", "casefold"))]


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """An empty cache directory, used by everything in this process for the test."""
    directory = tmp_path / "cache"
    monkeypatch.setenv(cd.CACHE_ENV, str(directory))
    return directory


def reference_codes(mapping, size: int, bail=frozenset()) -> tuple[bytes, list[str]]:
    """The plain-Python table builder ``native.table_codes`` replaced (one array entry at a time)."""
    codes = array("i", range(size))
    multi: list[str] = []
    if isinstance(mapping, list):
        mapping = {cp: v for cp, v in enumerate(mapping) if v != chr(cp)}
    for cp, value in mapping.items():
        if cp >= size:
            continue
        if value is None or value == "":
            codes[cp] = native.DELETE
        elif len(value) == 1:
            codes[cp] = ord(value)
        else:
            codes[cp] = native.MULTI_BASE - len(multi)
            multi.append(value)
    for cp in bail:
        if cp < size:
            codes[cp] = native.BAIL
    return codes.tobytes(), multi


def test_table_codes_equal_the_plain_builder():
    key = KeyOptions()._table
    assert native.table_codes(key, len(key)) == reference_codes(key, len(key))
    assert native.table_codes(cd.CLEAN_LIST, 0x10000) == reference_codes(cd.CLEAN_LIST, 0x10000)
    mapping = {5: None, 6: "", 7: "ab", 8: "c", 9: "de", 0x20: " ", 70000: "x"}
    assert native.table_codes(mapping, 100, frozenset({6, 8, 500})) == reference_codes(mapping, 100, frozenset({6, 8, 500}))
    assert native.dense_codes(native.sparse_codes(mapping, 100)) == reference_codes(mapping, 100)


def test_unicode_scans_cached_equal_fresh(cache):
    fresh = cd._unicode_tables()
    assert fresh == {"punctuation": cd.KEY_PUNCTUATION, "casefold": cd.KEY_CASEFOLD}
    stored = cd.disk_cached("chardata", (cd.__file__,), cd._unicode_tables)
    assert list(cache.glob("chardata-*.marshal"))
    loaded = cd.disk_cached("chardata", (cd.__file__,), _must_not_build)
    assert stored == loaded == fresh
    assert list(loaded["punctuation"].items()) == list(fresh["punctuation"].items())  # same order too

    nfc_fresh = native._scan_nfc_pairs()
    native._nfc_pairs.cache_clear()
    try:
        assert native._nfc_pairs() == nfc_fresh  # built and stored
        assert cd.disk_cached("nfc", (native.__file__,), _must_not_build) == nfc_fresh
        native._nfc_pairs.cache_clear()
        assert native._nfc_pairs() == nfc_fresh  # loaded
    finally:
        native._nfc_pairs.cache_clear()


@pytest.mark.parametrize("steps", KEY_STEP_SETS)
def test_compiled_key_tables_cached_equal_fresh(cache, steps):
    options = KeyOptions(unify=steps)
    key_list = options._table
    # the list table itself is the one the old code built: every step's mapping, then CLEAN_DELETE
    expected: dict = {}
    for name in options.steps():
        expected.update(cd.KEY_UNIFY[name])
    expected.update(cd.CLEAN_DELETE)
    assert key_list == [expected.get(cp, chr(cp)) if expected.get(cp, chr(cp)) is not None else ""
                        for cp in range(0x20000)]
    fresh = nz._native_key_codes(options, cached=False)
    stored = nz._native_key_codes(options)
    loaded = nz._native_key_codes(options)
    assert len(list(cache.glob("key_*.marshal"))) == 1
    assert fresh == stored == loaded
    assert native.dense_codes(loaded[0]) == reference_codes(key_list, len(key_list))
    raw_fresh = native.raw_key_codes(cd.CLEAN_TABLE, key_list)
    assert native.dense_codes(loaded[1]) == raw_fresh


def test_clean_table_cached_equals_fresh(cache):
    fresh = nz._native_clean_codes()
    assert cd.disk_cached("clean", nz._TABLE_SOURCES, nz._native_clean_codes) == fresh
    assert cd.disk_cached("clean", nz._TABLE_SOURCES, _must_not_build) == fresh
    assert native.dense_codes(fresh[0]) == reference_codes(cd.CLEAN_LIST, len(cd.CLEAN_LIST))


def _must_not_build():
    raise AssertionError("the cache should have answered")


def test_cache_falls_back_silently(tmp_path, monkeypatch):
    calls = []

    def build():
        calls.append(1)
        return {"a": [1, (2, "x")], "b": frozenset({3}), "c": None, "d": b"\0\1"}

    expected = build()
    calls.clear()
    directory = tmp_path / "c"
    assert cd.disk_cached("t", (cd.__file__,), build, directory) == expected and len(calls) == 1
    assert cd.disk_cached("t", (cd.__file__,), build, directory) == expected and len(calls) == 1
    # a damaged file (checksum, truncation, garbage) is rebuilt and replaced
    (path,) = directory.glob("t-*.marshal")
    for damage in (lambda b: b[:-1] + bytes([b[-1] ^ 1]), lambda b: b[:10], lambda b: b"junk"):
        path.write_bytes(damage(path.read_bytes()))
        assert cd.disk_cached("t", (cd.__file__,), build, directory) == expected
    assert len(calls) == 4
    assert cd.disk_cached("t", (cd.__file__,), build, directory) == expected and len(calls) == 4
    # a directory that cannot be created (under a file), an unreadable source, caching switched off
    (tmp_path / "file").write_text("")
    assert cd.disk_cached("t", (cd.__file__,), build, tmp_path / "file" / "sub") == expected
    assert cd.disk_cached("t", (str(tmp_path / "missing.py"),), build, directory) == expected
    monkeypatch.setenv(cd.CACHE_ENV, "")
    assert cd.cache_dir() is None
    assert cd.disk_cached("t", (cd.__file__,), build) == expected
    assert not list(tmp_path.glob("*.tmp")) and not list(directory.glob(".*"))


def test_cache_key_and_directory(tmp_path, monkeypatch):
    a, b = tmp_path / "a.py", tmp_path / "b.py"
    a.write_text("x = 1\n")
    b.write_text("x = 2\n")
    assert cd.cache_key("t", (str(a),)) == cd.cache_key("t", (str(a),)) != cd.cache_key("t", (str(b),))
    assert cd.cache_key("t", (str(a),)) != cd.cache_key("u", (str(a),))
    # a new version of a table replaces the old file
    cd.disk_cached("t", (str(a),), lambda: 1, tmp_path / "c")
    cd.disk_cached("t", (str(b),), lambda: 2, tmp_path / "c")
    assert [p.name for p in (tmp_path / "c").glob("t-*")] == [cd.cache_key("t", (str(b),)) + ".marshal"]
    monkeypatch.delenv(cd.CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cd.cache_dir() == tmp_path / "xdg" / "arabic-dedupe"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cd.cache_dir() == tmp_path / "home" / ".cache" / "arabic-dedupe"


def _run(out: Path, env: dict[str, str]) -> dict[str, bytes]:
    proc = subprocess.run([sys.executable, "-m", "dedupe", "run", str(SAMPLES), "-o", str(out), "--quiet"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("part-*"))}


def test_same_output_without_cache_with_a_new_one_and_with_a_filled_one(tmp_path):
    base = {k: v for k, v in os.environ.items() if k not in (cd.CACHE_ENV, "XDG_CACHE_HOME")}
    (tmp_path / "home-is-a-file").write_text("")
    unwritable = _run(tmp_path / "o1", {**base, "HOME": str(tmp_path / "home-is-a-file")})
    off = _run(tmp_path / "o2", {**base, cd.CACHE_ENV: ""})
    cache = tmp_path / "cache"
    filling = _run(tmp_path / "o3", {**base, cd.CACHE_ENV: str(cache)})
    names = sorted(p.name.split("-")[0] for p in cache.iterdir())
    key = f"key_{nz.key_cache_digest(KeyOptions())}"
    # the compiled tables only exist with the C accelerator (the subprocess sees the same ARABIC_DEDUPE_PURE)
    perm = minhash.permutations_cache_name(128, 1)
    bands = lsh.optimal_param_cache_name(Config().dedup.lsh_threshold, 128, *lsh.RECALL_WEIGHTS)
    assert names == sorted(["chardata", "clean", key, "nfc", perm, bands] if native.AVAILABLE
                           else ["chardata", perm, bands])
    filled = _run(tmp_path / "o4", {**base, cd.CACHE_ENV: str(cache)})
    assert unwritable == off == filling == filled != {}


def test_permutations_cached_equal_drawn(cache):
    """The MinHash permutations from the disk cache (stored, then loaded) are the ones numpy.random draws."""
    import numpy as np

    for num_perm, seed in [(128, 1), (64, 7), (256, 1)]:
        drawn = minhash.permutations(num_perm, seed, cached=False)
        for got in (minhash.permutations(num_perm, seed), minhash.permutations(num_perm, seed)):  # stored, loaded
            for x, y in zip(got, drawn):
                assert x.dtype == np.uint32 and x.flags.writeable and np.array_equal(x, y)
    assert len(list(cache.glob("perm_*.marshal"))) == 3


def _imported(stderr: str) -> set[str]:
    """The modules ``python -X importtime`` reports as imported (by any process of the run)."""
    return {line.rsplit("|", 1)[1].strip() for line in stderr.splitlines() if line.startswith("import time:")}


def test_warm_run_imports_no_numpy(tmp_path):
    """With the cache filled (permutations, banding), a run with the accelerator imports no numpy in any of
    its processes (~70 ms of serial start-up). The first run, with an empty cache, draws the permutations with
    numpy.random; without the accelerator the fallbacks use numpy."""
    env = {**os.environ, cd.CACHE_ENV: str(tmp_path / "cache")}
    code = "import sys; from dedupe.cli import main; sys.exit(main(sys.argv[1:]))"
    runs = [subprocess.run([sys.executable, "-X", "importtime", "-c", code, "run", str(SAMPLES), "-o",
                            str(tmp_path / f"o{i}"), "--quiet", "--workers", str(workers)],
                           capture_output=True, text=True, env=env, timeout=300)
            for i, workers in enumerate((1, 2, 1))]
    assert [r.returncode for r in runs] == [0, 0, 0], [r.stderr[-2000:] for r in runs]
    cold, *warm = [_imported(r.stderr) for r in runs]
    assert "numpy.random" in cold
    for modules in warm:
        assert ("numpy" in modules) == (not native.AVAILABLE), sorted(m for m in modules if "numpy" in m)[:5]
    assert "datasketch" not in set().union(*warm)


def test_import_leaves_the_collector_as_it_found_it():
    """Importing dedupe pauses the cyclic collector (its passes over the new objects freed nothing) and restores it."""
    for setup, want in (("", "True"), ("import gc; gc.disable(); ", "False")):
        code = setup + "import gc, dedupe; print(gc.isenabled())"
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
        assert out.stdout.strip() == want, out.stderr
