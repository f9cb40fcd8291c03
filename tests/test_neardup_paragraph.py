"""Cross-document paragraph dedup (exact and near-duplicate paragraphs) and clitic-aware shingling."""
import json

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedupe import Config, run
from dedupe.cli import build_parser, config_from_args, main
from dedupe.document import Document
from dedupe.errors import ConfigError
from dedupe.executors.shard import run_batch
from dedupe.steps.local import paragraph_hashes
from dedupe.text.shingle import TokenHasher, strip_clitics

from conftest import read_jsonl_dir

SHARED = "هذه فقرة مشتركة طويلة بما يكفي لكي تعد فقرة مكررة بين مقالين مختلفين تماما في الموضوع والمصدر والتاريخ والكاتب والصحيفة"
#: A news paragraph, an orthographic variant of it with one word changed (الرياض -> جدة), and another
#: paragraph of the same story.
NEWS = ("أعلنت وزارة الصحة في المملكة اليوم عن افتتاح مستشفى جديد في مدينة الرياض بسعة خمسمائة سرير لخدمة سكان "
        "الأحياء الشمالية وذلك ضمن خطة الوزارة لتوسيع الخدمات الصحية في جميع مناطق المملكة خلال الأعوام المقبلة")
NEWS_VARIANT = ("اعلنت وزاره الصحه في المملكه اليوم عن افتتاح مستشفي جديد في مدينه جدة بسعه خمسمائه سرير لخدمه سكان "
                "الاحياء الشماليه وذلك ضمن خطه الوزاره لتوسيع الخدمات الصحيه في جميع مناطق المملكه خلال الاعوام المقبله")
SAME_TOPIC = ("وقال وزير الصحة في تصريح صحفي إن المستشفى الجديد سيضم أقساما متخصصة في أمراض القلب والأورام وطب "
              "الأطفال وسيعمل فيه أكثر من ألف طبيب وممرض من الكفاءات الوطنية المدربة على أحدث التقنيات الطبية")
SHORT = "وقالت الوزارة في بيان لها اليوم"  # a short common sentence: never removed


def own(k: str, n: int = 60) -> str:
    """A paragraph no other document shares: every word is unique to ``k``."""
    return " ".join(f"{k}كلمة{j}" for j in range(n))


def _write(tmp_path, records, name="p.jsonl"):
    path = tmp_path / name
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


def _run(tmp_path, records, name="out", **dedup):
    out = tmp_path / name
    config = Config().replace(dedup={"paragraph_dedup": True, **dedup}, run={"quiet": True}, boilerplate={"audit": True})
    stats = run(_write(tmp_path, records, name + ".jsonl"), out, config)
    kept = {r["id"]: r["text"] for r in read_jsonl_dir(out / "kept")}
    removed = {r["id"]: r["reason"] for r in read_jsonl_dir(out / "removed")}
    audit = read_jsonl_dir(out / "audit") if (out / "audit").exists() else []
    return stats, kept, removed, audit


def _corpus():
    return [{"id": "a", "text": SHARED + "\n" + own("اول")},
            {"id": "b", "text": own("ثان") + "\n" + SHARED},
            {"id": "c", "text": SHARED}]


@pytest.mark.parametrize("flags", [{}, {"clusters": True}, {"paragraph_threshold": 1.0}])
def test_paragraph_kept_in_first_document_only(tmp_path, flags):
    stats, kept, removed, _ = _run(tmp_path, _corpus(), **flags)
    assert SHARED in kept["a"] and SHARED not in kept["b"] and own("ثان") in kept["b"]
    assert removed == {"c": "too_short_after_paragraph_dedup"}  # never silently emptied
    assert stats["paragraphs_removed_across_documents"] == 1
    assert stats["paragraphs_near_removed_across_documents"] == 0


def test_paragraph_dedup_off_by_default(tmp_path):
    out = tmp_path / "out"
    stats = run(_write(tmp_path, _corpus()), out, Config().replace(run={"quiet": True}))
    assert all(SHARED in r["text"] for r in read_jsonl_dir(out / "kept"))
    assert "paragraphs_near_removed_across_documents" not in stats


def test_near_duplicate_paragraph_removed_from_later_document_only(tmp_path):
    records = [{"id": "first", "text": NEWS + "\n" + own("اول")},
               {"id": "other", "text": SAME_TOPIC + "\n" + own("ثالث")},
               {"id": "second", "text": own("ثان") + "\n" + NEWS_VARIANT + "\n" + SHORT}]
    stats, kept, removed, audit = _run(tmp_path, records)
    assert not removed
    assert NEWS in kept["first"]  # the first document never loses a paragraph to a later one
    assert SAME_TOPIC in kept["other"]  # same story, different paragraph: kept
    assert NEWS_VARIANT not in kept["second"] and own("ثان") in kept["second"] and SHORT in kept["second"]
    assert stats["paragraphs_removed_across_documents"] == 1
    assert stats["paragraphs_near_removed_across_documents"] == 1
    [entry] = [a for a in audit if a["rule"].startswith("paragraph")]
    assert entry["id"] == "second" and entry["rule"] == "paragraph_near_duplicate"
    assert entry["duplicate_of"] == "first" and 0.7 <= entry["similarity"] < 1.0 and entry["text"] == NEWS_VARIANT
    # exact-only mode keeps it (the one changed word defeats the hash)
    _, kept, _, _ = _run(tmp_path, records, name="exact", paragraph_threshold=1.0)
    assert NEWS_VARIANT in kept["second"]


def test_exact_repeat_audited_as_exact(tmp_path):
    records = [{"id": "a", "text": NEWS + "\n" + own("اول")}, {"id": "b", "text": own("ثان") + "\n" + NEWS}]
    stats, kept, _, audit = _run(tmp_path, records)
    assert NEWS not in kept["b"] and stats["paragraphs_near_removed_across_documents"] == 0
    assert [(a["id"], a["rule"], a["duplicate_of"], a["similarity"]) for a in audit] == [
        ("b", "paragraph_duplicate", "a", 1.0)]


def test_short_paragraphs_survive(tmp_path):
    short = "قال المتحدث باسم الوزارة إن العمل مستمر"
    records = [{"id": "a", "text": short + "\n" + own("اول")}, {"id": "b", "text": short + "\n" + own("ثان")}]
    stats, kept, _, _ = _run(tmp_path, records)
    assert short in kept["a"] and short in kept["b"] and stats["paragraphs_removed_across_documents"] == 0


def test_document_left_too_short_is_removed_with_reason(tmp_path):
    records = [{"id": "a", "text": NEWS + "\n" + own("اول")},
               {"id": "b", "text": NEWS_VARIANT + "\n" + SHORT}]  # only 7 tokens would be left
    stats, kept, removed, _ = _run(tmp_path, records)
    assert removed == {"b": "too_short_after_paragraph_dedup"} and set(kept) == {"a"}
    assert stats["documents_removed"] == {"too_short_after_paragraph_dedup": 1}


def test_removed_paragraph_is_not_indexed(tmp_path):
    # 3-gram Jaccard: b~a 0.81 (b's copy removed), c~b 0.76, c~a 0.61: c keeps its paragraph (no chains
    # through removed text: a removal always names a paragraph that is in the output)
    words = [f"مشترك{i}" for i in range(60)]
    b_copy = words[:54] + [f"بديل{i}" for i in range(6)]
    c_copy = b_copy[:2] + [f"اخر{i}" for i in range(6)] + b_copy[8:]
    base, b_copy, c_copy = (" ".join(w) for w in (words, b_copy, c_copy))
    records = [{"id": "a", "text": base + "\n" + own("اول")}, {"id": "b", "text": b_copy + "\n" + own("ثان")},
               {"id": "c", "text": c_copy + "\n" + own("ثالث")}]
    _, kept, _, audit = _run(tmp_path, records)
    assert b_copy not in kept["b"] and c_copy in kept["c"]
    assert [(a["id"], a["duplicate_of"]) for a in audit] == [("b", "a")]


def test_clustered_mode_keep_longest(tmp_path):
    article = NEWS + "\n" + SAME_TOPIC + "\n" + own("خبر", 60)
    records = [{"id": "x", "text": NEWS_VARIANT + "\n" + own("اول")},
               {"id": "short", "text": article},
               {"id": "long", "text": article + "\n" + own("ذيل", 10)}]
    stats, kept, removed, _ = _run(tmp_path, records, keep="longest")
    assert removed == {"short": "near_duplicate"}  # doc level: the longest of the cluster survives
    assert NEWS_VARIANT in kept["x"] and NEWS not in kept["long"] and SAME_TOPIC in kept["long"]
    assert stats["dedup_mode"] == "clustered" and stats["paragraphs_near_removed_across_documents"] == 1


def test_cluster_survivor_is_never_removed_as_too_short(tmp_path):
    records = [{"id": "x", "text": NEWS + "\n" + own("اول")},
               {"id": "y", "text": NEWS_VARIANT + "\n" + SHORT},
               {"id": "y2", "text": NEWS_VARIANT + "\n" + SHORT + " اضافة"}]
    stats, kept, removed, _ = _run(tmp_path, records, keep="longest")
    assert removed == {"y": "near_duplicate"}  # y2 survives its cluster: it must stay, whole
    assert NEWS_VARIANT in kept["y2"]


def test_signer_lines_match_paragraph_hashes():
    config = Config().replace(dedup={"paragraph_dedup": True})
    text = NEWS + "\n\n" + SHORT + "\n" + SAME_TOPIC
    [doc], _ = run_batch([Document("d", text, "s", 1, 0, {"text": text})], config)
    signs = doc.paragraphs
    assert signs.lines == paragraph_hashes(doc.text, TokenHasher(config.normalize.key_options()))
    assert len(signs.signed) == 2 and signs.bands.shape == (2, 24) and signs.bands.dtype.name == "uint64"
    exact = Config().replace(dedup={"paragraph_dedup": True, "paragraph_threshold": 1.0})
    [doc], _ = run_batch([Document("d", text, "s", 1, 0, {"text": text})], exact)
    assert doc.paragraphs.bands is None and doc.paragraphs.signed is None


def test_config_validation_and_cli_round_trip(tmp_path, capsys):
    parse = lambda *a: config_from_args(build_parser().parse_args(["run", "x", "-o", "y", *a])).dedup
    d = parse("--paragraph-dedup", "--paragraph-threshold", "0.8")
    assert d.paragraph_dedup and d.paragraph_threshold == 0.8 and d.paragraph_near
    assert parse("--paragraph-threshold", "exact").paragraph_threshold == 1.0
    assert not parse("--paragraph-dedup", "--paragraph-threshold", "exact").paragraph_near
    assert parse().paragraph_threshold == Config().dedup.paragraph_threshold == 0.7
    toml = tmp_path / "c.toml"
    toml.write_text("[dedup]\nparagraph_dedup = true\nparagraph_threshold = 0.9\nparagraph_ngram = 4\n")
    d = parse("--config", str(toml))
    assert (d.paragraph_dedup, d.paragraph_threshold, d.paragraph_ngram) == (True, 0.9, 4)
    assert parse("--config", str(toml), "--paragraph-threshold", "0.75").paragraph_threshold == 0.75
    for bad in ({"paragraph_threshold": 0.0}, {"paragraph_threshold": 1.5}, {"paragraph_ngram": 9}):
        with pytest.raises(ConfigError):
            Config().replace(dedup=bad)
    src = _write(tmp_path, _corpus())
    assert main(["run", str(src), "-o", str(tmp_path / "o"), "--paragraph-dedup", "--paragraph-threshold", "2"]) == 2
    assert "--paragraph-threshold must be in (0, 1]" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["run", str(src), "-o", str(tmp_path / "o"), "--paragraph-threshold", "high"])
    assert main(["run", str(src), "-o", str(tmp_path / "o2"), "--paragraph-dedup"]) == 0
    assert "paragraphs already seen in earlier documents removed: 1" in capsys.readouterr().out
    stats = json.loads((tmp_path / "o2" / "stats.json").read_text())
    assert stats["settings"]["dedup"]["paragraph_threshold"] == 0.7


_WORDS = "الرقة داعش قوات سوريا الديمقراطية التحالف الدولي مدينة المرصد السوري معركة تنظيم الفرات عناصر".split()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.lists(st.sampled_from(_WORDS), min_size=10, max_size=30), min_size=1, max_size=4),
                min_size=1, max_size=6))
def test_documents_with_distinct_paragraphs_lose_nothing(tmp_path_factory, docs):
    # topic words shared at random, but every 3-gram holds a token unique to its paragraph
    records = []
    for d, paragraphs in enumerate(docs):
        lines = [" ".join(f"{w} ف{d}x{p}x{k}" for k, w in enumerate(words)) for p, words in enumerate(paragraphs)]
        records.append({"id": str(d), "text": "\n".join(lines)})
    tmp = tmp_path_factory.mktemp("distinct")
    src = _write(tmp, records)
    on = run(src, tmp / "on", Config().replace(dedup={"paragraph_dedup": True, "paragraph_threshold": 0.5}, run={"quiet": True}))
    run(src, tmp / "off", Config().replace(run={"quiet": True}))
    assert on["paragraphs_removed_across_documents"] == 0
    assert read_jsonl_dir(tmp / "on" / "kept") == read_jsonl_dir(tmp / "off" / "kept")


def test_strip_clitics():
    assert strip_clitics("والحكومه") == strip_clitics("الحكومه") == strip_clitics("حكومه") == "حكومه"
    assert strip_clitics("و") == "" and strip_clitics("ولد") == "ولد" and strip_clitics("كتاب") == "كتاب"
    assert strip_clitics("للطلاب") == "طلاب"


def test_clustered_survivor_protection_is_by_position_not_id(tmp_path):
    """A document that merely shares a cluster survivor's id is not protected from paragraph dedup with it."""
    def para(seed):
        return " ".join(f"ك{seed}ل{i}م" for i in range(30))

    p1, p2, p3, p4 = (para(k) for k in (1, 2, 3, 4))
    docs = [
        {"id": "x", "text": f"{p1}\n\n{p2}"},                      # a cluster survivor (b names it)
        {"id": "d", "text": f"{p3}\n\n{p4}"},
        {"id": "b", "text": f"{p1}\n\n{p2} ختام"},                 # near duplicate of the first
        {"id": "x", "text": f"{p1}\n\n{p3}"},                      # same id as the survivor; every paragraph seen
    ]
    src = tmp_path / "in.jsonl"
    src.write_bytes(b"".join(orjson.dumps(d) + b"\n" for d in docs))
    out = tmp_path / "out"
    run([src], out, Config().replace(dedup={"paragraph_dedup": True, "clusters": True}, run={"quiet": True}))
    removed = [(r["id"], r["reason"]) for r in read_jsonl_dir(out / "removed")]
    assert ("b", "near_duplicate") in removed
    assert ("x", "too_short_after_paragraph_dedup") in removed
    assert [r["id"] for r in read_jsonl_dir(out / "kept")] == ["x", "d"]
