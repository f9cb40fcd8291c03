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


# --- issue 4 generalisation: photo credits, lead bylines, captions, legends, series, link labels ----------
LONG = "انطلقت صباح أمس فعاليات الدورة التدريبية بمشاركة عدد كبير من الطلاب والطالبات من مختلف الجامعات."


@pytest.mark.parametrize("line,rule", [
    ("Next Previous صقر خالد – جدة _ تصوير – مهند قحطان – احمد علي", "head_byline"),
    ("حنان الحامدي – جدة (تصوير: علي الزهراني)", "head_byline"),
    ("نايف عبدالله – عين اليوم( تصوير علي الزهراني)", "byline"),
    ("Next Previous مسلّم الهواملة – الدلم", "head_byline"),  # a place no list knows
    ("علي السحاري – القنفذة", "head_byline"),  # 'علي' is a name, not 'على'
    ("د. العضيب في انطلاق الدورة", "caption"),
    ("محافظ الأفلاج أثناء مشاركته في الفعاليات", "caption"),
    ("جانب من الحفل", "caption"),
])
def test_head_line_chrome(line, rule):
    assert strip_lines([clean(line), LONG, LONG], title="عنوان الخبر")[0] == rule


@pytest.mark.parametrize("line", [
    "الدوري الإسباني – الجولة 14",  # a kicker with a number
    "موريشيوس او كينيا - الرأس الاخضر",
    "الرياض تستضيف القمة",
    "وستوافيكم “عين اليوم” لاحقاً بتصوير فيديو يُظهر كامل التفاصيل.",
])
def test_head_line_content_kept(line):
    assert strip_lines([clean(line), LONG, LONG], title="عنوان الخبر")[0] is None


def test_tail_signatures_and_captions():
    assert strip_lines([LONG, LONG, "منصور بن محمد الحمود - الرس"])[-1] == "signature"
    assert strip_lines([LONG, LONG, "- د. عبدالرحمن بن عبدالعزيز الربيعة"])[-1] == "signature"
    assert strip_lines([LONG, LONG, "جانب من الحضور"])[-1] == "caption"
    # a sub-heading in the tail that only looks like a caption stays
    assert strip_lines([LONG, LONG, "الضوابط خلال الفترة الماضية", LONG])[2] is None
    assert strip_lines([LONG, LONG, "* هرمون الحليب لدى الرجال", LONG])[2] is None


def test_gallery_after_a_body_without_blank_lines():
    captions = ["أطفال مشاركون في الفعاليات", "عيد الرسم والتلوين", "بهجة كبيرة وبراءة طفولية"]
    lines = [LONG, LONG, LONG]
    for c in captions:
        lines += ["", c]
    assert strip_lines(lines)[-5::2] == ["caption"] * 3
    # the same short lines in a text written with blank lines between paragraphs are kept (poetry, lists)
    spaced = [LONG, "", LONG, "", LONG, "", LONG]
    for c in captions:
        spaced += ["", c]
    assert strip_lines(spaced)[-5::2] == [None] * 3


def test_rating_legend_needs_a_run():
    legend = ["(*) لا يستحق", "(**) وسط", "(***) جيد", "(****) ممتاز", "(*****) تحفة"]
    assert strip_lines([LONG, LONG, *legend])[2:] == ["rating_legend"] * 5
    assert strip_lines([LONG, "(***) جيد", LONG])[1] is None
    assert strip_lines([LONG, "* إخراج", "* جديدة في الأسواق", "* سيناريو", LONG])[1:4] == [None] * 3


def test_series_list_needs_an_instalment_headline():
    entries = ["مذكرات فاتن حمامة (1): طفولتي بين «يوم سعيد» وضحكات عبد الوهاب",
               "مذكرات فاتن حمامة (2): حكايتي مع الرقص وأستاذة الحب"]
    title = "«الشرق الأوسط» تنشر مذكرات وسيرة فاتن حمامة (8): بداية التعارف"
    assert strip_lines([LONG, LONG, *entries], title=title)[2:] == ["series_list"] * 2
    articles = ["المادة (1): يعمل بهذا النظام من تاريخ نشره", "المادة (2): تلغى الأنظمة السابقة"]
    assert strip_lines([LONG, LONG, *articles], title="مجلس الوزراء يقر نظام العمل")[2:] == [None] * 2


def test_link_label_before_a_bare_link():
    lines = [LONG, "رابط المقال الأول للكاتب والناقد الدكتور عبدالله الغذامي :",
             "http://www.sabq.org/sabq/user/articles.do?id=767"]
    assert strip_lines(lines)[1:] == ["link_label", "link_only"]
    # a long sentence before a link is text
    sentence = "وأشارت الوزارة إلى أنه يمكن للمتقدمين الحصول على جميع المعلومات الخاصة بالاختبار عبر الرابط التالي:"
    assert strip_lines([LONG, sentence, "http://www.mcs.gov.sa/x"])[1] is None


# --- round 2: footers without a name line, bare captions, link prompts closing a sentence -----------
def test_bio_and_desk_footers_without_a_name_line():
    for footer in ["* مسؤول في الخارجية الأميركية (1982 - 2003)", "* ماجستير في القيادة وإدارة التعليم ــ سيدني/ أستراليا",
                   "* قسم التثقيف الصحي", "*متخصص بالشأن الاجتماعي"]:
        assert strip_lines([LONG, LONG, clean(footer)])[-1] == "bio_footer", footer
    desk = ["إدارة العلاقات العامة والإعلام", "بوزارة الشؤون البلدية والقروية"]
    assert strip_lines([LONG, "", *desk])[-2:] == ["desk_signature"] * 2
    assert strip_lines([LONG, "", desk[0]])[-1] == "desk_signature"


def test_footer_words_in_content_are_left_alone():
    # a starred sub-heading with a bio or desk word, running text under it
    assert strip_lines([LONG, LONG, "* قسم الطوارئ", LONG])[2] is None
    assert strip_lines([LONG, LONG, "* مسؤول الملف", LONG])[2] is None
    # a list of ministries closing an article: marked entries
    assert strip_lines([LONG, "وشارك في الاجتماع ممثلو الجهات التالية", "1- وزارة الصحة", "2- وزارة التعليم"])[2:] == [None] * 2
    # desk words in sentences, or anywhere but the end
    assert strip_lines([LONG, "وزارة الصحة تؤكد سلامة المياه في جميع الأحياء.", ])[-1] is None
    assert strip_lines([LONG, "إدارة الأزمات", LONG])[1] is None
    # only desk lines, no running text before them
    assert strip_lines(["إدارة الموارد البشرية", "قسم التوظيف"]) == [None, None]


def test_bare_captions_after_running_text():
    body = [LONG, LONG, LONG]
    assert strip_lines(body + ["", "حرفي يجهز منتجاته اليدوية تمهيدا لعرضها"])[-1] == "caption"
    assert strip_lines(body + ["", "من الطب المنزلي"])[-1] == "caption"
    spaced = [LONG, "", LONG, "", LONG, "", "عروض فنية بمسرح الطفل", "", "ركن تلوين الوجوه محبب للأطفال"]
    assert strip_lines(spaced)[-3::2] == ["caption"] * 2


def test_short_closing_lines_that_are_content_stay():
    body = [LONG, LONG, LONG]
    assert strip_lines(body + ["", "والله ولي التوفيق"])[-1] is None            # led by the conjunction و
    assert strip_lines(body + ["", "في انتظار القرار"])[-1] is None             # led by a function word
    assert strip_lines(body + ["", "• تعزيز الصحة النفسية"])[-1] is None        # a list entry
    assert strip_lines(body + ["", "هل يفعلها الاتحاد هذه المرة؟"])[-1] is None  # sentence punctuation
    # one short line after a body written with blank lines between paragraphs
    assert strip_lines([LONG, "", LONG, "", "السؤال الذي يبقى مطروحا"])[-1] is None
    # a body with short lines of its own (sub-headings, verses): the last short lines are text too
    assert strip_lines([LONG, "عنوان فرعي قصير", LONG, "", "خلاصة القول في سطر"])[-1] is None
    assert strip_lines([LONG, "", "يا ليل الصب متى غده", "", LONG, "", "قد يكون الغيب حلوا", "",
                        "إنما الحاضر أحلى"])[-3::2] == [None, None]


# --- round 3: name signatures without an author field, bios without a star, trailing labels -----------
def test_name_signature_without_author_field():
    assert strip_lines([LONG, LONG, "زياد عيتاني"])[-1] == "name_signature"           # a given name
    assert strip_lines([LONG, LONG, "عبدالمجيد محمد المطيري"])[-1] == "name_signature"  # عبد...
    assert strip_lines([LONG, LONG, "ريان بن خالد"])[-1] == "name_signature"           # بن inside
    block = ["الدكتور/ عبد العزيز بن عبد الله الأحمد", "أستاذ التوجيه والإرشاد النفسي",
             "المشرف العام على مركز حلول للاستشارات"]
    assert strip_lines([LONG, LONG, *block])[2:] == ["name_signature", "signature_block", "signature_block"]


def test_name_like_content_at_the_end_stays():
    # the signatory of a decree or letter quoted in full: a short closing formula before it
    assert strip_lines([LONG, LONG, "والله ولي التوفيق.", "سلمان بن عبدالعزيز آل سعود"])[-1] is None
    # a list of names under its lead-in
    names = ["محمد العتيبي", "خالد الحربي"]
    assert strip_lines([LONG, "وقد فاز بالمراكز الأولى في المسابقة هذا العام كل من:", *names])[-2:] == [None, None]
    # short closing lines that are no name: no given name, no title, no بن / آل
    assert strip_lines([LONG, LONG, "دمتم سالمين"])[-1] is None
    assert strip_lines([LONG, LONG, "والله المستعان"])[-1] is None
    # a name followed by running text is a sub-heading or a list entry
    assert strip_lines([LONG, LONG, "زياد عيتاني", LONG])[2] is None


def test_bio_line_without_a_star_at_the_end():
    assert strip_lines([LONG, LONG, clean("\x1a كاتب ومحلل سياسي ")])[-1] == "desk_signature"
    assert strip_lines([LONG, LONG, "أستاذ اللسانيات بجامعة الملك سعود"])[-1] == "desk_signature"
    # with running text after it, or after other short lines, it is text
    assert strip_lines([LONG, "أستاذ الأجيال", LONG])[1] is None
    assert strip_lines([LONG, "قصيدة قصيرة", "كاتب الكلمات مجهول"])[-1] is None


def test_captions_round3():
    body = [LONG, LONG, LONG]
    # a gallery caption led by a noun that starts with و
    assert strip_lines(body + ["", "وصول الطائرة الثالثة من المساعدات"])[-1] == "caption"
    # a first-line caption led by a caption opener
    title = "بلدية قصر ابن عقيل تطور طريق الملك عبدالعزيز"
    assert strip_lines(["من عمليات تطوير الطريق", LONG, LONG], title=title)[0] == "caption"
    assert strip_lines(["من أعمال الخير أن تبتسم في وجه أخيك.", LONG, LONG], title=title)[0] is None


def test_round4_rules():
    """Round 4 (written from held-out-4's misses): each rule with the content it must leave alone."""
    body = [LONG, LONG, LONG]
    # a gallery of two captions after a body without blank lines; «» and () allowed in a caption
    assert strip_lines(body + ["", "التكفل بعمليات الولادة", "", "وليد في حملة «زينة الحياة»"])[-3::2] == ["caption"] * 2
    # a caption found by its wording counts towards the gallery
    gallery = body + ["", "جندي سعودي يؤمن نزول المؤن", "", "صورة للذكرى مع طفلة", "", "لفتة إنسانية من جندي سعودي"]
    assert strip_lines(gallery)[-5::2] == ["caption"] * 3
    # two short lines after a body with a short line (a sub-heading, a list) stay
    assert strip_lines([LONG, "قصير هنا.", LONG, "", "التكفل بعمليات الولادة", "", "دعم الأسر المنتجة"])[-3::2] == [None] * 2
    assert strip_lines([LONG, "", "أولا", "", LONG, "", "التكفل بعمليات الولادة", "", "دعم الأسر المنتجة"])[-3::2] == [None] * 2
    # a long name signature led by a dash, joined by بن / آل
    assert strip_lines(body + ["- عبدالمحسن بن عبدالعزيز بن عبدالرحمن آل الشيخ"])[-1] == "signature"
    assert strip_lines(body + ["- وزارة الصحة تعلن عن وظائف جديدة في الرياض"])[-1] is None
    # a bio with a closing full stop under a signature; a short closing sentence after a byline stays
    assert strip_lines(body + ["د.صالح بن فهد العصيمي", "أستاذ التربية واللغويات التطبيقية المساعد في جامعة الإمام."],
                       author="د.صالح بن فهد العصيمي")[-2:] == ["author_echo", "signature_block"]
    assert strip_lines(["ناصر الجديع", LONG, "نص المقال كاملا هنا."], author="ناصر الجديع")[-1] is None
    # a starred desk footer; a poet's credit; a place and a paper's name; an e-mail after its label
    assert strip_lines(body + ["* مركز القلب"])[-1] == "bio_footer"
    assert strip_lines(body + ['شعر – حمود بن حسن العضيدان "رحمه الله"'])[-1] == "byline"
    assert strip_lines(body + ["شعر الجميع بالفرح بعد إعلان النتائج"])[-1] is None
    assert strip_lines([LONG, "الرياض: الوطن", LONG, LONG])[1] == "dateline"
    assert strip_lines([LONG, "الرياض: العاصمة التي لا تنام.", LONG, LONG])[1] is None
    assert classify_line("إيميل: Arfaj555@yahoo com") == "contact"
    assert classify_line("إيميل الوزارة لا يرد على الرسائل @ منذ أيام") is None


def test_round5_rules():
    """Round 5 (written from held-out-5's misses), each with the content it must leave alone."""
    body = [LONG, LONG, LONG]
    # a byline whose dash is a tatweel (clean makes it a dash, so the byline rules see it)
    assert strip_lines([clean("طلال عبدالله ـ جدة"), LONG, LONG])[0] == "head_byline"
    assert strip_lines([clean("الرياضي ـ الرياض"), LONG, LONG])[0] is not None
    assert classify_line("(واس)") == "credit"
    assert classify_line("(الحلقة الثانية)") is None
    assert classify_line("تفاصيل ص19") == "page_pointer"
    assert classify_line("التفاصيل في الصفحة 5") == "page_pointer"
    assert classify_line("تفاصيل الخطة في 19 بندا") is None
    # a bio footer whose bio word carries the article
    assert strip_lines(body + ["* النائب السابق لرئيس جمهورية العراق"])[-1] == "bio_footer"
    assert strip_lines(body + ["* النائب العام يأمر بالتحقيق", LONG])[-2] is None
    # a poem signed by its poet: short verses, the name under a verse of six words or more
    poem = ["حسيبك ولي الكون يا بارق لي بان", "تذكرت خد اللي خذا القلب واحتله",
            "رجاي بكريم جل اسمه عزيز الشان", "يعجل شفا قلب من الهم به خله"]
    assert strip_lines(poem + ["عبدالله داود العصيمي"])[-1] == "name_signature"
    # a decree's signatory under its closing formula, and a list of names, stay
    assert strip_lines(body + ["والله ولي التوفيق.", "سلمان بن عبدالعزيز آل سعود"])[-1] is None
    assert strip_lines([LONG, "فاز بالجوائز كل من:", "محمد بن علي الشهري", "خالد بن سعد العتيبي",
                        "عبدالله بن فهد القحطاني"])[-3:] == [None] * 3


def test_first_line_subject_caption():
    """Round 6 (from held-out-6): a photo caption naming the story's subject as the first line, every
    word of it in the headline or the paragraph below, over running text only."""
    title = "ارتياح كبير لترشيح هاني شاكر نفسه نقيبا للموسيقيين"
    para = "تحدث المطرب هاني شاكر أمس في مؤتمر صحفي بالإسكندرية عن برنامجه الانتخابي ورؤيته لمستقبل النقابة في السنوات المقبلة."
    assert strip_lines(["هاني شاكر", para, LONG], title=title)[0] == "caption"
    assert strip_lines(["جماهير الهلال", "أكدت مديرة الشركة أن المبادرة موجهة إلى جماهير الهلال من ذوي الدخل المتوسط في كل مدن المملكة.", LONG],
                       title="مبادرة للجماهير")[0] == "caption"
    # a sub-heading over a text with other short lines, a chapter heading, three words with one not
    # in the headline or the paragraph, or a headline derived from the text itself: kept
    assert strip_lines(["هاني شاكر", para, "أسئلة النقابة", LONG], title=title)[0] is None
    assert strip_lines(["الفصل السابع", para, LONG], title=title)[0] is None
    assert strip_lines(["الحلقة الثالثة", para, LONG], title=title)[0] is None
    assert strip_lines(["شاكر يفوز بالنقابة", para, LONG], title=title)[0] is None
    assert strip_lines(["هاني شاكر", para, LONG])[0] is None


def test_round10_rules():
    """Round 10 (from held-out-11's misses)."""
    para = "ذكرت تقارير إعلامية أمس الجمعة أن صندوق النقد الدولي يصر على الحصول على ضمانات منفصلة من الحكومة اليونانية."
    title = "صندوق النقد يطالب بضمانات منفصلة"
    # a bare one- or two-word first line over running text only is the story photo's caption,
    # whether or not its words are in the headline or the paragraph below
    for caption in ("تسيبراس", "أحمد عيد", "أثناء الاستقبال", "لون المزمار"):
        assert strip_lines([caption, para, LONG], title=title)[0] == "caption", caption
    # not over a text with other short lines, not a list entry, not with punctuation or digits,
    # not as the headline itself (no title field)
    assert strip_lines(["تسيبراس", para, "أسئلة النقابة", LONG], title=title)[0] is None
    assert strip_lines(["- تسيبراس", para, LONG], title=title)[0] is None
    assert strip_lines(["تسيبراس:", para, LONG], title=title)[0] is None
    assert strip_lines(["المادة 12", para, LONG], title=title)[0] is None
    assert strip_lines(["تسيبراس", para, LONG])[0] is None
    # a star-led name over a bio line closing the text is a signature, not a list's last entry
    assert strip_lines([LONG, LONG, "* أحمد جميل عاشور", "باحث سعودي"])[-2:] == ["name_signature", "signature_block"]
    assert strip_lines([LONG, "* أحمد جميل عاشور", "* خالد بن سعد العتيبي", "باحث سعودي"])[-3] is None


def test_round7_rules():
    """Round 7 (from held-out-7's misses)."""
    para = "أقامت بلديات المنطقة حفل معايدة بمقر البلدية لكافة منسوبيها بمناسبة عيد الفطر المبارك بحضور رئيس البلدية."
    assert strip_lines(["احتفال بلدية سميراء", para, LONG], title="بلديات منطقة حائل تقيم حفل معايدة")[0] == "caption"
    assert strip_lines(["احتفال البلدية بالعيد كان جميلا.", para, LONG], title="بلديات منطقة حائل تقيم حفل معايدة")[0] is None
    # a bio opener without a star (the scrape left a control character in its place)
    assert strip_lines([LONG, LONG, clean("\x1a متخصص بالشأن الاجتماعي")])[-1] == "desk_signature"
    # a writer's name under a column, the author field empty
    assert strip_lines([LONG + " " + LONG, "رندا الوراد"])[-1] == "name_signature"


def test_round8_rules():
    """Round 8 (from held-out-8's misses) and the '..' gallery continuation."""
    # a credit word that is also a noun leads a credit only with a separator
    assert classify_line("تحرير: محمد علي") == "lexicon_prefix"
    assert classify_line("تحرير المرور") is None
    assert classify_line("ترجمة الأفلام الأجنبية") is None
    assert classify_line("إعداد وتقديم: الدكتور علي الديري") == "lexicon_prefix"
    # contact lines: a number after its label, a handle glued to an e-mail
    assert classify_line("فاكس: 6923348") == "contact"
    assert classify_line("twitter:@Dr_Ahmed25@hotmail.com") == "link_only"
    assert classify_line("ت: 12 سنة") is None
    # a gallery caption that continues the one above with '..'
    gallery = [LONG, LONG, LONG, "", ".. ويودع ولي ولي العهد", "", "خادم الحرمين مغادرا جدة", "", ".. ويودع العسكريين"]
    assert strip_lines(gallery)[-5::2] == ["caption"] * 3
    assert strip_lines([LONG, LONG, LONG, "", "ومضة", "", "غلاف بعض الكتب أجمل من المحتوى."])[-3::2] == [None] * 2


def test_round9_rules():
    """Round 9 (from held-out-10's misses)."""
    assert classify_line("Twitter @firas_t") == "link_only"
    assert strip_lines([LONG, LONG, "- عضو جمعية التاريخ والآثار بجامعات دول مجلس التعاون"])[-1] == "bio_footer"
    # the last entry of a dash-led list is not a bio footer
    assert strip_lines([LONG, "- عضو مجلس الشورى السابق", "- عضو جمعية التاريخ والآثار"])[-1] is None
    title = "500 شركة ومؤسسة ضمن مهرجان أبها للتسوق"
    assert strip_lines(["الجار الله يتحدث عن المهرجان", LONG, LONG], title=title)[0] == "caption"
    assert strip_lines(["الجار الله يتحدث عن المهرجان وخططه.", LONG, LONG], title=title)[0] is None
    assert strip_lines(["مشهد من المسرحية", LONG, LONG], title="عرض مسرحي في الطائف")[0] == "caption"


def test_trailing_attachment_and_dangling_labels():
    assert strip_lines([LONG, LONG, "ملف الوظائف الصحية", "تحميل النموذج"])[-2:] == ["attachment_label"] * 2
    assert strip_lines([LONG, LONG, "بنود مترابطة -"])[-1] == "dangling_label"
    # file words in text, or a label with text after it, stay
    assert strip_lines([LONG, "ملف الإسكان", LONG])[1] is None
    assert strip_lines([LONG, "ملف الإسكان يتصدر اهتمامات المواطنين في المنطقة الشرقية", ])[-1] is None
    assert strip_lines([LONG, "خلاصة القول -", LONG])[1] is None
    assert strip_lines([LONG, LONG, "وبلغ عدد الفائزين 12 -"])[-1] is None  # digits


def test_link_prompt_closing_a_sentence_is_trimmed_not_dropped():
    line = clean('وعنون الدكتور "الحبيب" أول مقالاته في "سبق" بـ"إدارة المتعة"؛ للاطلاع على المقال .. أضغط هنا ')
    assert classify_line(line) is None
    assert trim_line(line) == (clean('وعنون الدكتور "الحبيب" أول مقالاته في "سبق" بـ"إدارة المتعة"'), "cta_tail")
    # a prompt alone, or with too little text before it, is still chrome
    assert classify_line("للاطلاع على التفاصيل اضغط هنا") == "lexicon_phrase"
    assert classify_line("١- فتح المنبه المعالج المزود بالتطبيق اضغط هنا.") == "lexicon_phrase"
    assert classify_line("شاهد الفيديو. اضغط هنا") == "lexicon_phrase"

def test_link_prompt_is_kept_only_when_trim_line_cuts_it():
    # classify_line keeps a sentence for trim_line's prompt cut only when trim_line will make it
    line = "ذهب الوفد إلى الاجتماع وناقش القضايا المطروحة كلها، للمزيد click here"
    assert classify_line(line) is None
    assert trim_line(line) == ("ذهب الوفد إلى الاجتماع وناقش القضايا المطروحة كلها", "cta_tail")
    # a prompt followed by a run of marks is past trim_line's test of the line's end: dropped as before
    dotted = "ذهب الوفد إلى الاجتماع وناقش القضايا المطروحة كلها؛ للمزيد اضغط هنا " + "." * 20
    assert classify_line(dotted) == "lexicon_phrase"
    assert trim_line(dotted) == (dotted, None)


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


def test_long_key_gate_bounds():
    """strip_lines leaves the keyed lines of MAX_PREFIX_WORDS spaces or more without a cue (_LONG_KEY_CUES) to no
    rule in a document without a phrase: such a line is past the bound of every other single-line rule (16
    words at most, MAX_PREFIX_WORDS), its key too long for FULL_LINE (one-letter words at least), and of
    fewer than _LONG_SPACES spaces."""
    from dedupe.text import boilerplate as bp

    assert bp.MAX_PREFIX_WORDS + 1 > 16
    assert 2 * bp.MAX_PREFIX_WORDS + 1 > bp._FULL_LINE_LEN
    assert max(k.count(" ") for k in bp.FULL_LINE) < bp.MAX_PREFIX_WORDS
    assert bp.MAX_PREFIX_WORDS < bp._LONG_SPACES
    line = " ".join(["قال"] * (bp.MAX_PREFIX_WORDS + 1)) + "."
    for doc in ([line], ["محمد الكاتب", line, ""]):
        assert strip_lines(doc)[doc.index(line)] is None
    assert bp._line_lists([line])[7] == [] and bp._line_lists([line, "جميع الحقوق محفوظة"])[7] == [0, 1]
    for cue in ("x", "X", "@", ":", "للتواصل", "www.", "#", "+", "0", "["):
        assert bp._line_lists([cue + line])[7] == [0]
    for cue in ("تصوير", "عدسة"):  # a photo credit does not end in one of _CREDIT_END_STOPS
        assert bp._line_lists([f"{line[:-1]} {cue}"])[7] == [0] and bp._line_lists([f"{cue} {line}"])[7] == []


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
def _label_verdicts():
    """Every labelled line with the full per-document stage's verdict (strip + trim + repeats)."""
    docs = {}
    with gzip.open(DATA / "boilerplate_docs.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            docs[d["id"]] = d
    labels = [json.loads(x) for x in (DATA / "boilerplate_labels.jsonl").read_text(encoding="utf-8").splitlines() if x]
    stripped = {}
    for doc_id in {r["doc_id"] for r in labels}:
        d = docs[doc_id]  # every labelled document is in the file: no /work/shared needed
        lines = [clean(x).replace("\n", " ") for x in d["text"].split("\n")]
        doc, _ = _strip("\n".join(lines), d)
        stripped[doc_id] = {n for n, rule, *_ in doc.audit if not rule.startswith("trim:")}
    return [(r, r["line_no"] in stripped[r["doc_id"]]) for r in labels]


def _rates(rows):
    chrome = [s for r, s in rows if r["label"] == "chrome"]
    content = [not s for r, s in rows if r["label"] == "content"]
    return sum(chrome) / len(chrome), sum(content) / len(content), len(chrome), len(content)


@pytest.fixture(scope="module")
def label_verdicts():
    return _label_verdicts()


def test_hand_labels_development(label_verdicts):
    """Development labels (every row whose sample is not heldout*, incl. the old held-out set
    re-tagged dev_was_heldout1*): 235/235 chrome stripped, 661/661 content kept when measured.
    (The two AlMayadeen leads the near-repeat rule used to take stay since paragraphs.py asks
    near repeats to be of similar length.)"""
    recall, precision, n_chrome, n_content = _rates([x for x in label_verdicts if not x[0]["sample"].startswith("heldout")])
    assert (n_chrome, n_content) == (235, 661)
    assert recall >= 0.995
    assert precision >= 0.998


#: Each held-out set (BOILERPLATE_LABELS.md, strata 6-20): labelled blind, evaluated once with the rules of its
#: round frozen; the next round was written from its misses, so the earlier sets are semi-development now.
#: (sample prefix, chrome lines, content lines, chrome-recall floor, content-kept floor): the floors sit just below
#: the current figures, so a regression fails. First evaluation -> now (chrome | content):
HELD_OUT_SETS = [
    ("heldout2", 78, 435, 0.98, 0.996),     # round 1: 68/78 | 428/435 -> 78/78 | 434/435
    ("heldout3", 85, 497, 0.97, 0.996),     # round 2: 74/85 | 496/497 -> 83/85 | 496/497
    ("heldout4", 84, 519, 0.97, 0.992),     # round 3: 69/84 | 516/519 -> 82/84 | 516/519
    ("heldout5", 82, 461, 0.98, 0.99),      # round 4: 74/82 | 457/461 -> 81/82 | 457/461
    ("heldout6", 81, 457, 0.92, 0.993),     # round 5: 71/81 | 450/457 -> 75/81 | 454/457 (round 12's refrains)
    ("heldout7", 87, 518, 0.97, 0.989),     # round 6: 82/87 | 513/518 -> 85/87 | 513/518 (3 URLs kept by the annotator)
    ("heldout8", 92, 474, 0.95, 0.997),     # round 7: 80/92 | 472/474 -> 88/92 | 473/474
    ("heldout9", 84, 542, 0.96, 0.998),     # round 8: 80/84 | 541/542 -> 81/84 | 541/542
    ("heldout10", 85, 470, 0.96, 0.993),    # round 8: 78/85 | 467/470 -> 82/85 | 467/470
    ("heldout11", 99, 463, 0.985, 0.99),    # round 9: 94/99 | 459/463 -> 98/99 | 459/463
    ("heldout12", 85, 481, 0.985, 0.995),   # round 10: 83/85 | 478/481 -> 84/85 | 479/481
    ("heldout13", 99, 468, 0.985, 0.995),   # round 11: 96/99 | 465/468 -> 98/99 | 466/468
    ("heldout14", 81, 1303, 0.975, 0.996),  # round 12: 77/81 | 1,299/1,303 -> 80/81 (1,384 lines, mostly uniform draws)
    ("heldout15", 80, 1011, 0.99, 0.999),   # round 13: 77/80 | 1,010/1,011 -> 80/80 (1,091 lines, mostly uniform)
    ("heldout16", 83, 1392, 0.96, 0.998),   # round 14: 80/83 | 1,390/1,392 (1,475 lines, mostly uniform draws)
]


@pytest.mark.parametrize("prefix, n_chrome, n_content, min_recall, min_kept", HELD_OUT_SETS,
                         ids=[row[0] for row in HELD_OUT_SETS])
def test_hand_labels_heldout(label_verdicts, prefix, n_chrome, n_content, min_recall, min_kept):
    """A held-out set's chrome recall and content kept stay at or above their floors."""
    rows = [x for x in label_verdicts if x[0]["sample"].startswith(prefix)]
    recall, precision, chrome, content = _rates(rows)
    assert (chrome, content) == (n_chrome, n_content)
    assert recall >= min_recall
    assert precision >= min_kept


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


def test_round11_rules():
    """Round 11 (from held-out-12's misses): an e-mail scraped with a space by its '@'; two lists of one
    article sharing an entry (the near-repeat stage no longer takes the later list's entry)."""
    assert classify_line("diana@ asharqalawsat.com") == "link_only"
    assert classify_line("diana @asharqalawsat.com") == "link_only"
    assert classify_line("راسلونا على ali@ gmail.com لمزيد من التفاصيل حول البرنامج") is None
    game = "لعبة «ذا غيم أوف لايف: كلاسيك إيديشين» من أفضل الألعاب العائلية على الهواتف الذكية هذا العام"
    lists = [LONG, "ألعاب آيفون:", f"4. {game}", LONG, "ألعاب أندرويد:", f"6. {game}", LONG]
    doc, _ = _strip("\n".join(lists))
    assert f"6. {game}" in doc.text
    # the same sentence twice, not as list entries, is still a near repeat (GOLD.md seed 004)
    doc, _ = _strip("\n".join([LONG, f"وقال: {game}", f"وقالت: {game}"]))
    assert doc.text.count(game) == 1


def test_audit_names_the_paragraph_a_repeat_repeats():
    """--audit: a paragraph the repeat stage removed carries ``repeat_of`` (the line it repeats);
    chrome lines carry nothing more."""
    para = "هذا خبر طويل عن افتتاح المعرض الدولي للكتاب في الرياض بحضور عدد كبير من الناشرين والزوار."
    doc, _ = _strip("\n".join(["عين اليوم – جدة", para, LONG, para]))
    assert [e for e in doc.audit if e[1] == "repeat"] == [(4, "repeat", para, {"repeat_of": 2})]
    assert doc.audit[0] == (1, "byline", "عين اليوم – جدة")


def test_round12_rules():
    """Round 12 (from held-out-13's misses): a desk footer's paper on the line under it; a poem that
    closes on its refrain keeps the refrain (a short line the text has three times or more)."""
    assert strip_lines([LONG, LONG, "* الوحدة الاقتصادية", " بـ«الشرق الأوسط»"])[-2:] == ["bio_footer"] * 2
    # the paper line does not make a sub-heading over running text a footer
    assert strip_lines([LONG, "* الوحدة الاقتصادية", "بـ«الشرق الأوسط»", LONG])[1:3] == [None, None]
    verse = ["فإليكَ بِكْ.", "صوتُ الجماعةِ لا يليقُ بما لديكَ", "ولن تكونَ بهِ المَلِكْ."]
    poem = [LONG, *verse, "فإليكَ بِكْ.", "قد لا أكونُ سوى الحقيقةِ، في طريقكَ", "فإليكَ بكْ)!"]
    doc, _ = _strip("\n".join(poem))
    assert doc.text.split("\n")[-1] == "فإليكَ بكْ)!"
    # a line twice (a lead re-appended at the end) still goes, and so do the copies of a long lead three times
    doc, _ = _strip("\n".join(poem[:-1] + [LONG]))
    assert doc.text.count(LONG) == 1
    lead = "الاتحاد الأوروبي يعلن عن إقرار الحزمة الثالثة عشرة من العقوبات ضد روسيا في اجتماع بروكسل اليوم"
    body = ["وقال المتحدث باسم المفوضية إن الحزمة تشمل قيودا جديدة على صادرات التقنية والمعدات العسكرية.",
            "وأضاف أن الدول الأعضاء اتفقت على تجميد أصول عشرات الشركات والأفراد المرتبطين بالصناعات الدفاعية.",
            "من جهتها رفضت موسكو القرار ووصفته بأنه خطوة عدائية لن تغير شيئا في موقفها من الحرب.",
            "ويرى محللون أن أثر العقوبات على الاقتصاد الروسي بات محدودا بعد أكثر من عامين على بدئها.",
            "وتأتي الحزمة في الذكرى الثانية للحرب وسط خلافات أوروبية حول تمويل أوكرانيا في العام المقبل.",
            "وينتظر أن يناقش القادة الأوروبيون في قمتهم المقبلة آليات استخدام عائدات الأصول الروسية المجمدة."]
    doc, _ = _strip("\n".join([lead, *body[:3], lead, *body[3:], lead]))
    assert doc.text.count(lead) == 1 and doc.text.startswith(lead)  # copies of the first paragraph go anywhere
    # a short line three times that repeats the first paragraph is a credit over every picture, not a refrain
    credit = "تصویر کے کاپی رائٹ Getty Images"
    doc, _ = _strip("\n".join([credit, body[0], credit, body[1], body[2], credit]))
    assert doc.text.count("Getty") == 1


def test_round13_rules():
    """Round 13 (from held-out-14's misses; not measured on a fresh set): a signature whose first name starts with
    و (a given name, not the conjunction), and more common given names (``'مروة'``)."""
    assert strip_lines([LONG, LONG, "وليد بن غازي بافقيه", "مدير فرع وزارة الثقافة والإعلام بمنطقة مكة المكرمة"])[-2:] \
        == ["name_signature", "signature_block"]
    assert strip_lines([LONG + " " + LONG, "مروة جمعة الرفاعي"])[-1] == "name_signature"
    # the conjunction still leads no name: a closing phrase stays
    assert strip_lines([LONG + " " + LONG, "والله الموفق"])[-1] is None
    assert strip_lines([LONG + " " + LONG, "وشكرا للجميع"])[-1] is None


def test_round14_rules():
    """Round 14 (from held-out-15's misses; not measured on a fresh set): 3alyoum's photo slider scraped into
    the first line (captions, arrows, byline), a reporter's bare name behind the arrows, two reporters and a place."""
    assert classify_line("Next Previous علي القحطاني") == "byline"
    assert classify_line("احمد البلوي محمد الدحيمي سلطان الغنامي Next Previous عبدالكريم الحارثي – جدة") == "navigation"
    assert classify_line("جالاكسي تاب 8.1 مجموعة الأجهزة اللوحية من سامسونج Next Previous") == "navigation"
    # arrows after a sentence, or before running text, are not a slider line
    assert classify_line("وتدخين السجائر، قال لها: أنا من يضع القواعد داخل الطائرة Next Previous") is None
    assert classify_line("صور المعرض Next Previous وقد افتتح المعرض أمس بحضور عدد كبير من الزوار والمهتمين") is None
    para = "انطلقت صباح أمس فعاليات الدورة التدريبية بمشاركة عدد كبير من الطلاب والطالبات من مختلف الجامعات."
    assert strip_lines(["فايز الحسيكي – مسلّم الهواملة – الخرج", para, para + " وقال"], title="عنوان")[0] == "head_byline"
    assert strip_lines(["الهلال – النصر – الأهلي", para, para + " وقال"], title="عنوان")[0] is None
