"""Site-chrome stripping: the lexicon and pattern rules, the position rules, inline trimming,
the corpus-statistics detector, and the hand labels (tests/data/BOILERPLATE_LABELS.md)."""
import gzip
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import Config, clean
from dedupe.document import Document
from dedupe.stats import Stats
from dedupe.steps.local import StripStep
from dedupe.text.boilerplate import classify_line, strip_lines, trim_line
from dedupe.text.linefreq import CommonLines, LineFrequency, source_of

DATA = Path(__file__).parent / "data"

# --- lexicon and patterns: (line, rule) ------------------------------------------------
CHROME = [
    ("شارك", "lexicon"),
    ("...المزيد", "lexicon"),
    ("(اليوم)", "lexicon"),
    ("Next Previous", "navigation"),
    ("الخميس 29/يونيو/2017 - 03:01 م", "dateline"),
    ("الثلاثاء 12 شوال 1436", "dateline"),
    ("18 نيسان 2024", "dateline"),
    ("m.althaidy@asharqalawsat.com", "link_only"),
    ("www.alehaidib.com", "link_only"),
    ("تويتر: @T_algashgari", "link_only"),
    ("[email protected] /* */", "link_only"),
    ("للتواصل مع الكاتب ارسل رسالة SMS", "footer"),
    ("Qadis@hotmail.comللتواصل مع الكاتب ارسل رسالة SMS تبدأ بالرمز (4) ثم مسافة ثم نص الرسالة إلى 88591 - Stc",
     "footer"),
    ("تبدأ بالرمز (42) ثم مسافة ثم نص الرسالة إلى", "lexicon_phrase"),
    ("88591 - Stc", "lexicon_phrase"),
    ("737221 - Zain ", "lexicon_phrase"),
    ("للتواصل أرسل sms إلى 88548 الاتصالات ,636250 موبايلي, 738303 زين تبدأ بالرمز 262 مسافة", "footer"),
    ("بالرمز 134 مسافة ثم الرسالة", "lexicon_phrase"),
    ("لمراسلة الكاتب: aaltayer@alriyadh.net", "lexicon_prefix"),
    ("ويتلقى الدكتور الاستفسارات عبر البريد الإلكتروني:", "lexicon_phrase"),
    ("رابط الخبر بصحيفة الوئام: الصندوق العقاري يوافق على تأجيل صرف القرض", "footer"),
    ("مقالات أخرى للكاتبمرور الرياض وتحويلات المترو!سعود الفيصل..", "footer"),
    ("* خدمة «نيويورك تايمز»", "credit"),
    ("خاص بـ«الشرق الأوسط»", "credit"),
    ("عين اليوم – متابعات", "byline"),
    ("Next Previous عين اليوم – جدة", "byline"),
    ("سلوى سعد – متابعات", "byline"),
    ("أحمد حجازي – عين اليوم", "byline"),
    ("الرياض - واس", "byline"),
    ("عواصم العالم - رويترز", "byline"),
    ("سمات الارهاب الاعدامات العراق داعش", "lexicon_prefix"),
    ("نقلتها إلى العربية: زينب منعم.", "lexicon_prefix"),
    ("نقله إلى العربية: حسين قطايا", "lexicon_prefix"),
    ("فيما يلي نص المقال منقولاً إلى العربية، بتصرّف:", "lexicon_phrase"),
    ("وفي ما يلي نص المقال منقولاً إلى العربية:", "lexicon_phrase"),
    ("فيما يلي النص منقولاً إلى اللغة العربية:", "lexicon_phrase"),
    ("إعداد وتقديم: الدكتور علي الديري", "lexicon_prefix"),
    ("إن الآراء المذكورة في هذه المقالة لا تعبّر بالضرورة عن رأي الميادين وإنما تعبّر عن رأي الصحيفة حصراً.",
     "lexicon_phrase"),
    ("بقلم: سعد الفراج", "byline_prefix"),
    ("Read more", "lexicon"),
    ("Lire aussi : la suite", "lexicon_prefix"),
    ("We use cookies to improve your experience", "lexicon_phrase"),
]

#: Content a stripper must not touch (the issue's false-positive risks and the labeller's hard cases).
CONTENT = [
    "وانتشر المقطع على مواقع التواصل الاجتماعي بشكل واسع خلال الساعات الماضية.",
    "ورفض المتحدث باسم الوزارة التعليق على الخبر.",
    "وطالب المزيد من الدول بالانضمام إلى الاتفاقية.",
    "شاركوا في الحملة أكثر من ألف متطوع.",
    "موريشيوس او كينيا - الرأس الاخضر",
    "* حياة مضغوطة",
    "كتب دودي سالم: «صح إن اليوم أول أيام الربيع».",
    "كتب التراث",
    "3601129312",
    "أصدر مجلس علماء باكستان بيانًا بتاريخ 23 - 06 - 2015، يرفض فيه التجنيد.",
    "يقول الكاتب في مقاله بجريدة «الشرق الأوسط»:",
    "#ثمانٍ_وأربعون_قانوناً_للقوة_روبرت_جرين",
    "* ما رأيك فيما تقوم به بعض الدول من وقت لآخر؟",
    "متابعة الحمل",
    "العناوين:",
    "الملف الأول: من جنيف إلى لاهاي، العالم الحقوقي أمام اختبار الإبادة في غزة.",
]


@pytest.mark.parametrize("line,rule", CHROME)
def test_chrome_line(line, rule):
    assert classify_line(clean(line)) == rule


@pytest.mark.parametrize("line", CONTENT)
def test_content_line_kept(line):
    assert classify_line(clean(line)) is None
    assert strip_lines(["عنوان الخبر", "فقرة أولى من الخبر فيها كلام كثير.", clean(line), "فقرة أخيرة."]) == [None] * 4


def test_spelling_variants_match():
    """Rules work on the match key: hamza, teh marbuta, tatweel and diacritics do not matter."""
    assert classify_line("نقلتهـا الى العربيه: زينب منعم.") == "lexicon_prefix"
    assert classify_line("اقرأ أيضاً") == classify_line("إقرا ايضا") == "lexicon"


# --- position rules --------------------------------------------------------------------
BODY = ["هذه فقرة من المقال فيها جملة كاملة تنتهي بنقطة.", "وهذه فقرة ثانية تكمل الفكرة وتنتهي بنقطة أيضا."]


def test_head_byline_only_in_head_zone():
    lines = ["رغد عشميل -جدة", *BODY, "موريشيوس او كينيا - جدة", *BODY]
    assert strip_lines(lines)[0] == "head_byline"
    assert strip_lines(lines)[3] is None


def test_bio_footer_and_signature_block_in_tail():
    lines = [*BODY, *BODY, "* أستاذ العلوم السياسية", "في جامعة محمد الخامس"]
    assert strip_lines(lines)[-2:] == ["bio_footer", "signature_block"]
    # a starred sub-heading in the body stays
    assert strip_lines(["* أستاذ العلوم السياسية", *BODY, *BODY, *BODY])[0] is None


def test_author_echo_with_titles_and_signature_block():
    lines = [*BODY, *BODY, "أ.د. طارق الحبيب", "بروفيسور واستشاري الطب النفسي",
             "ويتلقى الدكتور الاستفسارات عبر البريد الإلكتروني:", "[email protected] /* */"]
    verdicts = strip_lines([clean(x) for x in lines], author=" د . طارق الحبيب ")
    assert verdicts[4:] == ["author_echo", "signature_block", "lexicon_phrase", "link_only"]
    assert verdicts[:4] == [None] * 4


def test_title_echo_and_menu():
    title = "مع بدء معركة الرقة.. الانشقاقات تضرب داعش"
    assert strip_lines(["طباعة مع بدء معركة الرقة..", *BODY], title=title)[0] == "title_echo"
    menu = " ".join(["رابط RSS عين اليوم » قسم"] * 6)
    assert strip_lines([menu, *BODY])[0] == "menu"


# --- inline trimming ----------------------------------------------------------------------
@pytest.mark.parametrize("line,expected,rule", [
    ("والتحقيق لا يزال مستمرا. سمات الصين ايفون بكين", "والتحقيق لا يزال مستمرا.", "tag_tail"),
    ("مهنا التميمي-سبق-الجوف: انطلق فريق نخبة الشمال للبحث عن المفقودين في الصحراء", 
     "انطلق فريق نخبة الشمال للبحث عن المفقودين في الصحراء", "lead_in"),
    ("ودعت الشركة الراغبين لإرسال بريد إلكتروني للعنوان: [email\xa0protected] /* */ يرفق به السيرة الذاتية.",
     "ودعت الشركة الراغبين لإرسال بريد إلكتروني للعنوان: يرفق به السيرة الذاتية.", "email_artifact"),
    ("وتقدم الطلبات خلال أسبوعين من تاريخ الإعلان. رابط الخبر بصحيفة الوئام: طرح وظائف",
     "وتقدم الطلبات خلال أسبوعين من تاريخ الإعلان.", "footer_tail"),
])
def test_trim_line(line, expected, rule):
    assert trim_line(clean(line)) == (clean(expected), rule)


@pytest.mark.parametrize("line", [
    "ومن أبرز سمات الشخصية القيادية الصبر والحكمة",  # سمات as a word, not a tag list
    "الرياض تستضيف القمة العربية المقبلة في شهر مارس بحضور القادة العرب",
    "وسبق أن قمنا بالكثير من الحملات الداعمة للقوات الأمنية.",
])
def test_trim_line_leaves_text(line):
    assert trim_line(line, head=True) == (line, None)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="اب تثج -–:.«»@سماتشركة0123456789\u00a0", max_size=40), max_size=12))
def test_properties(lines):
    """One verdict per line, deterministic; trimming never grows a line and is stable."""
    verdicts = strip_lines(lines)
    assert len(verdicts) == len(lines) and verdicts == strip_lines(lines)
    for line in lines:
        new, rule = trim_line(line)
        assert len(new) <= len(line) and (rule is None) == (new == line)


# --- corpus statistics -------------------------------------------------------------------
def test_line_frequency_counts_distinct_documents():
    lf = LineFrequency(min_docs=3, max_entries=1000)
    for n in range(3):
        lf.add("site", ["عين اليوم – جدة", "عين اليوم – جدة", f"خبر رقم {n} عن حدث مختلف"])
    lf.add("site", ["عين اليوم – جدة", "خبر رقم 0 عن حدث مختلف"])  # same countable lines as doc 0 but one: counted
    lf.add("other", ["عين اليوم – جدة", "شيء آخر تماما"])
    common = lf.common()
    assert common.is_common("site", "عين اليوم - جده")  # match key: spelling variants count together
    assert not common.is_common("other", "عين اليوم – جدة")  # per source
    assert not common.is_common("site", "خبر رقم 0 عن حدث مختلف")


def test_line_frequency_skips_exact_copies_and_long_lines():
    lf = LineFrequency(min_docs=2, max_entries=1000, max_words=5)
    doc = ["سطر مكرر في النسخ", "كلمات " * 10]
    lf.add("s", doc)
    lf.add("s", doc)  # a reprinted article is not chrome
    assert len(lf.common()) == 0


def test_line_frequency_memory_is_bounded_and_never_overcounts():
    lf = LineFrequency(min_docs=2, max_entries=1000)
    for n in range(5000):
        lf.add("s", [f"سطر فريد رقم {n}", "تذييل ثابت للموقع"])
    assert len(lf.counts) <= 1000
    assert lf.counts[next(iter(lf.common().hashes))] <= 5000
    assert lf.common().is_common("s", "تذييل ثابت للموقع")


def test_common_lines_round_trip(tmp_path):
    lf = LineFrequency(min_docs=2, max_entries=1000)
    lf.add("s", ["تذييل ثابت للموقع", "خبر أول"])
    lf.add("s", ["تذييل ثابت للموقع", "خبر ثان"])
    lf.common().save(tmp_path / "common.npy")
    assert CommonLines.load(tmp_path / "common.npy").is_common("s", "تذييل ثابت للموقع")


def test_source_of():
    assert source_of({"meta": {"outlet": "okaz"}}) == "okaz"
    assert source_of({"meta": {"url": "https://www.AlMayadeen.net/x"}}) == "www.almayadeen.net"
    assert source_of({}, "in/okaz/a.jsonl") == "in/okaz"


# --- the step -------------------------------------------------------------------------------
def _strip(text, record=None, common=None):
    step = StripStep(Stats(), Config().replace(boilerplate={"audit": True}), common_lines=common)
    doc = Document(id="d", text=text, source="in/x.jsonl", line=1, seq=0, record=record or {})
    step.process(doc)
    return doc, step.stats


def test_step_trims_counts_and_audits():
    text = "عين اليوم – جدة\nوالتحقيق لا يزال مستمرا في القضية. سمات الصين ايفون بكين"
    doc, stats = _strip(text)
    assert doc.text == "والتحقيق لا يزال مستمرا في القضية."
    assert stats.counters["lines_stripped"] == 1 and stats.counters["lines_trimmed"] == 1
    assert [(n, r) for n, r, _ in doc.audit] == [(1, "byline"), (2, "trim:tag_tail")]


def test_step_uses_common_lines_and_nested_meta():
    lf = LineFrequency(min_docs=2, max_entries=1000)
    for n in range(2):
        lf.add("okaz", ["السطر الأخير من الموقع هنا", f"خبر {n}"])
    record = {"meta": {"outlet": "okaz", "author": "ناصر الجديع"}}
    doc, _ = _strip("ناصر الجديع\nالسطر الأخير من الموقع هنا\nنص المقال كاملا هنا.", record, lf.common())
    assert doc.text == "نص المقال كاملا هنا."
    assert [r for _, r, _ in doc.audit] == ["author_echo", "common_line"]


def test_repeated_block_with_one_word_heading():
    """AlMayadeen bulletins repeat the whole rundown, one-word heading included."""
    heads = ["ثمانية شهداء من جراء استهداف سيارة تضم متطوعين قرب مفترق المالية",
             "الإعلام الإسرائيلي يتحدث عن وصول وفد مصري الجمعة لإجراء مفاوضات"]
    doc, _ = _strip("\n".join(["العناوين:", *heads, "العناوين:", *heads]))
    assert doc.text.split("\n") == ["العناوين:", *heads]


# --- the hand labels ----------------------------------------------------------------------------
def test_hand_labels_meet_targets():
    """Full per-document stage (strip + trim + repeats) on the 612 labelled lines: the issue's targets."""
    docs = {}
    with gzip.open(DATA / "boilerplate_docs.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            docs[d["id"]] = d
    labels = [json.loads(x) for x in (DATA / "boilerplate_labels.jsonl").read_text(encoding="utf-8").splitlines() if x]
    labels = [r for r in labels if not r.get("sample", "").startswith("heldout")]  # docs not in the file
    stripped = {}
    for doc_id, d in docs.items():
        lines = [clean(x).replace("\n", " ") for x in d["text"].split("\n")]
        doc, _ = _strip("\n".join(lines), d)
        stripped[doc_id] = {n for n, rule, _ in doc.audit if not rule.startswith("trim:")}
    chrome = [r["line_no"] in stripped[r["doc_id"]] for r in labels if r["label"] == "chrome"]
    content = [r["line_no"] not in stripped[r["doc_id"]] for r in labels if r["label"] == "content"]
    assert sum(chrome) / len(chrome) >= 0.95
    assert sum(content) / len(content) >= 0.995


def test_run_with_linefreq_first_pass(tmp_path):
    """End to end: the executor's first pass finds a footer no rule knows, shared by 12 articles of one outlet."""
    if not hasattr(Config().boilerplate, "linefreq"):
        pytest.skip("the executor first pass is not wired yet (see the issue 4 report)")
    from dedupe import run

    footer = "برنامجنا الأسبوعي يعرض كل خميس على الشاشة الصغيرة"
    records = [{"id": f"a{n}", "meta": {"outlet": "x"},
                "text": f"خبر رقم {n} عن موضوع مختلف تماما في المدينة رقم {n * 7}.\n{footer}"} for n in range(12)]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "x.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n",
                                             encoding="utf-8")
    config = Config().replace(run={"quiet": True}, boilerplate={"linefreq": True, "audit": True},
                              dedup={"near": False})
    run(tmp_path / "in", tmp_path / "out", config)
    kept = [json.loads(x) for f in sorted((tmp_path / "out" / "kept").glob("part-*"))
            for x in f.read_text(encoding="utf-8").splitlines()]
    assert len(kept) == 12 and all(footer not in r["text"] for r in kept)
    audit = [json.loads(x) for f in sorted((tmp_path / "out" / "audit").glob("part-*"))
             for x in f.read_text(encoding="utf-8").splitlines()]
    assert {a["rule"] for a in audit} == {"common_line"}
