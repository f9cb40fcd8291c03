"""Line classifiers for site chrome (share / print / subscribe widgets, bylines, footers...).

Three kinds of evidence, each a small named rule so every decision can be audited:

1. *Lexicon and patterns* (``classify_line``): the line alone says it is chrome: a
   widget phrase, a dateline, a link-only line, an SMS footer, a translator credit.
2. *Document structure* (``strip_lines``): where the line sits says it: a short
   ``<name> – <city>`` byline in the head zone, an author bio ``* أستاذ ...`` or a
   signature in the tail zone, an echo of the headline or of the author field.
3. *Corpus statistics* live in ``linefreq.py`` (lines shared by many documents of
   one source); ``StripStep`` combines them with the two above.

Inline chrome glued to real text (a ``سمات`` tag list after the last sentence,
sabq's ``<name>- سبق- <city>:`` lead-in) is *trimmed* by ``trim_line``, never
dropped with the line. Every rule works on the *match key* where it can, so
spelling variants (hamza, teh marbuta, diacritics, tatweel) of a phrase match.
Content precision matters more than chrome recall: every rule is bounded in
length, and the position rules also by zone and vocabulary.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from itertools import compress, count
from typing import Sequence

from . import native
from .normalize import DEFAULT_KEY, match_key

#: ``DEFAULT_KEY.key_of_clean``; with the C accelerator its compiled table's method, bound
#: once (the same call ``key_of_clean`` makes, without two Python frames per line).
_key = DEFAULT_KEY.native_tables()[0].key if native.AVAILABLE else DEFAULT_KEY.key_of_clean

# --- lexicon ----------------------------------------------------------------
# Written in ordinary spelling; keyed at import so variants match.

#: A line that is only one of these phrases is chrome.
_FULL_LINE = """
شارك | شارك الخبر | شارك المقال | شارك هذا المقال | شارك على فيسبوك | شارك على تويتر | مشاركة | المشاركة
طباعة | اطبع | طباعة الخبر | أرسل لصديق | ارسل الخبر | حفظ | نسخ الرابط | رابط مختصر | تغريد
التعليقات | تعليقات | تعليق | أضف تعليق | أضف تعليقك | اكتب تعليقك | لا توجد تعليقات | عدد التعليقات
تعليقات عبر الفيس بوك | تعليقات فيسبوك | تعليقات الفيسبوك | تعليقات الموقع
مقالات ذات صلة | أخبار ذات صلة | مواضيع ذات صلة | مقالات مشابهة | أخبار متعلقة | ذات صلة | اقرأ أيضا | اقرأ ايضا
إقرأ أيضاً | شاهد أيضا | الأكثر قراءة | الأكثر مشاهدة | الأكثر تعليقا | الأكثر تداولا | آخر الأخبار | أخبار عاجلة
المزيد | اقرأ المزيد | المزيد من الأخبار | التالي | السابق | الخبر التالي | الخبر السابق | عودة | رجوع
لم تشترك بعد | اشترك | اشترك الآن | اشترك معنا | النشرة البريدية | النشرة الإخبارية | سجل الدخول | تسجيل الدخول
تابعونا | تابعنا | تابعونا على | تابعنا على | تابعونا على تويتر | تابعونا على فيسبوك | تابعنا على تويتر
الرئيسية | الصفحة الرئيسية | الواجهة الرئيسية | القائمة | بحث | إعلان | اعلان | مساحة إعلانية | إعلانات
كلمات مفتاحية | الكلمات المفتاحية | الوسوم | وسوم | الكلمات الدالة | كلمات دلالية | سمات
جميع الحقوق محفوظة | حقوق النشر محفوظة | حمل التطبيق | تحميل التطبيق | (اليوم) | Next Previous | Next | Previous
share | print | tweet | email | comments | related articles | read more | subscribe | advertisement | home
facebook | twitter | whatsapp | telegram | linkedin | instagram | youtube | partager | imprimer | commentaires
lire aussi | lire la suite | publicité | abonnez-vous | suivez-nous | newsletter | sign up | log in | sign in
"""

#: A short line that starts with one of these phrases is chrome ("اقرأ أيضا: ...").
_PREFIXES = """
اقرأ أيضا | اقرأ ايضا | إقرأ أيضاً | اقرأ كذلك | شاهد أيضا | شاهد ايضا | طالع أيضا | ذات صلة | مقالات ذات صلة
تابعونا على | تابعنا على | تابعوا | تابعونا عبر | تابعنا عبر | لمتابعة آخر الأخبار | حمل تطبيق | حملوا تطبيق
كلمات مفتاحية | الكلمات المفتاحية | الوسوم | وسوم | الكلمات الدالة | سمات | التصنيفات | تصنيف | الأقسام
المصدر | مصدر الخبر | إعداد | اعداد | ترجمة | تحرير | تصوير | آخر تحديث | تاريخ النشر
نشر في | نشر بتاريخ | حقوق النشر | جميع الحقوق | حقوق الطبع | للتواصل | لمزيد من المعلومات | للاشتراك
رصد وتصوير | إعداد وتقديم | لمراسلة الكاتب | للتواصل مع الكاتب | مقالات أخرى للكاتب | رابط الخبر بصحيفة
نقلتها إلى العربية | نقلها إلى العربية | نقله إلى العربية | نقلته إلى العربية | نقلاه إلى العربية
خاص بـ الشرق الأوسط | خدمة نيويورك تايمز | خدمة واشنطن بوست | بالاتفاق مع
read also | related | tags | follow us | source | copyright | all rights reserved | posted on | updated
lire aussi | à lire aussi | mots-clés | tous droits réservés | publié le | mis à jour
"""

#: Byline openers, chrome only on a short line without sentence punctuation (``'كتب: محمد علي'``,
#: not ``'كتب دودي سالم: «صح إن اليوم ...»'``).
_BYLINE_OPENER = re.compile(r"^\s*(?:(?:بقلم|حوار)\s*[:/\-–—]?|(?:كتب|كتبت|كتبه|by|par)\s*[:/\-–—])\s*\w",
                            re.IGNORECASE)

#: Phrases that mark a line as chrome wherever they occur (unambiguous widgets and footers).
_PHRASES = """
شاركنا رأيك | شاركونا آراءكم | شاركنا برأيك | أخبرنا رأيك في التعليقات | اترك تعليقك
جميع الحقوق محفوظة | جميع حقوق النشر محفوظة | الحقوق محفوظة
انشئ حسابا خاصا بك | أنشئ حسابك | لتحصل على أخبار مخصصة | سجل الآن | اشترك في النشرة | اشترك في قناتنا
للتواصل مع الكاتب | ارسل رسالة sms | أرسل رسالة sms | للتواصل أرسل | للاشتراك في خدمة | حمل تطبيق
تابعونا على | تابعوا آخر الأخبار | لمتابعة آخر الأخبار | انقر هنا | اضغط هنا | click here
we use cookies | cookie policy | ملفات تعريف الارتباط | سياسة الخصوصية | nous utilisons des cookies
تبدأ بالرمز | ثم مسافة ثم نص الرسالة | مسافة ثم الرسالة | 636250 موبايلي | 738303 زين | 88591 stc | 635031 mobily
737221 zain | الاستفسارات عبر البريد الإلكتروني | email protected | رابط rss
منقولاً إلى العربية | منقولة إلى العربية | منقولاً إلى اللغة العربية
الآراء المذكورة في هذه المقالة لا تعبر بالضرورة | لا تعبر بالضرورة عن رأي الميادين
"""

#: Credit words of bylines such as "متابعة – كيو بوست" or "عين اليوم – متابعات".
_CREDIT_WORDS = """
متابعة | متابعات | خاص | وكالات | وكالة | تقرير | كتب | كتبت | بقلم | إعداد | ترجمة | تحرير | المصدر
مراسل | مراسلنا | محرر | فريق التحرير | واس | رويترز | أ ف ب | ا ف ب | الأناضول | سبوتنيك | د ب أ | يو بي آي
عين اليوم | سبق | الرياضي | اليوم | الوئام | عكاظ | المدينة | الرياض | الجزيرة | الوطن | الشرق الأوسط | الاقتصادية
"""

#: Places a dateline or a ``<name> – <place>`` byline ends with (outlets in the corpora write from these).
_PLACES = """
الرياض | جدة | مكة | مكة المكرمة | المدينة المنورة | المدينة | الدمام | الخبر | الظهران | الأحساء | القطيف | الجبيل
الطائف | أبها | خميس مشيط | بريدة | عنيزة | القصيم | حائل | تبوك | الجوف | سكاكا | عرعر | جازان | جيزان | نجران
الباحة | ينبع | رابغ | القنفذة | الليث | المجمعة | الخرج | الدوادمي | الزلفي | حفر الباطن | القريات | بيشة | الشرقية
دبي | أبوظبي | أبو ظبي | الدوحة | الكويت | المنامة | مسقط | صنعاء | عدن | تعز | القاهرة | الإسكندرية | بيروت
دمشق | عمان | بغداد | البصرة | أربيل | القدس | غزة | رام الله | الخرطوم | طرابلس | تونس | الجزائر | الرباط
طهران | أنقرة | إسطنبول | اسطنبول | كابل | إسلام آباد | نيودلهي | بكين | طوكيو | سيول | سنغافورة | موسكو | كييف
لندن | باريس | برلين | روما | مدريد | جنيف | بروكسل | فيينا | أثينا | واشنطن | نيويورك | لوس أنجليس | أوتاوا
سيدني | جاكرتا | كوالالمبور | مانيلا | نواكشوط | عواصم | عواصم العالم | العواصم | وكالات | متابعات
"""

#: Words of an author-bio or desk footer line ``* أستاذ العلوم السياسية ...``.
_BIO_WORDS = """
أستاذ | استاذ | كاتب | كاتبة | باحث | باحثة | زميل | محلل | محللة | رئيس | مدير | استشاري | استشارية | خبير
خبيرة | أكاديمي | أكاديمية | صحافي | صحفي | صحافية | سفير | وزير | مستشار | عضو | نائب | بروفيسور | محاضر
وحدة | خدمة | بالاتفاق | خاص | مراسل | مراسلة | طبيب | دكتور | مؤلف | أمين | الأمين | محامي | مهندس
مسؤول | مسؤولة | مسئول | مسئولة | موظف | موظفة | ماجستير | دكتوراه | بكالوريوس | متخصص | متخصصة | أخصائي
أخصائية | اختصاصي | اختصاصية | معلم | معلمة | مشرف | مشرفة | عميد | وكيل | مؤسس | مؤسسة | إعلامي | إعلامية
قسم | إدارة | الإدارة | مكتب | المكتب | مركز
"""

#: First words of a desk or ministry signing a press release or a column at its end
#: (``'إدارة العلاقات العامة والإعلام' / 'بوزارة الشؤون البلدية والقروية'``).
_DESK_OPENERS = """
إدارة | الإدارة العامة | قسم | وحدة | مكتب | المكتب الإعلامي | العلاقات العامة | المركز الإعلامي
وزارة | بوزارة | أمانة | بأمانة | هيئة | بهيئة | جمعية | بجمعية | فريق | مجلس إدارة | اللجنة الإعلامية
"""

#: First words of an author-bio line that signs a column at its end without a star
#: (``'كاتب ومحلل سياسي'``, ``'أستاذ التربية ... بجامعة الإمام'``): a ``_desk_signature`` opener too.
_BIO_OPENERS = """
كاتب | كاتبة | أستاذ | استاذ | أستاذة | باحث | باحثة | محلل | محللة | أكاديمي | أكاديمية | إعلامي | إعلامية
صحفي | صحفية | صحافي | صحافية | مستشار | مستشارة | استشاري | استشارية | خبير | خبيرة | المشرف العام | عضو هيئة التدريس
متخصص | متخصصة | مختص | مختصة | أخصائي | أخصائية
"""

#: Given names a signature line may start with (``'زياد عيتاني'``, ``'ريان بن خالد'``); names led by
#: عبد / أبو / ابن and lines with بن / آل need no entry (``_is_name_line``).
_GIVEN_NAMES = """
محمد أحمد احمد محمود مصطفى علي عمر عثمان خالد سعد سعيد سعود فهد فيصل سلطان سلمان ناصر نايف نواف بندر تركي
زياد ريان يوسف إبراهيم ابراهيم إسماعيل صالح حمد حمود حمدان حسن حسين حسان جمال طارق طلال ماجد مازن منصور
مشعل مشاري متعب ممدوح هاني هشام وليد ياسر يحيى يزيد زيد زكي سامي سالم سليمان سلطان عادل عاصم عامر عبير
عائشة فاطمة مريم نورة نوره نوف هند هيا سارة ساره منى ريم لمى أمل امل حصة عزيزة عزيزه لطيفة نجلاء أسماء
بدر راشد رائد رشيد شاكر ظافر عايض عوض غازي فارس فايز فواز قاسم لؤي مالك مبارك محسن مساعد مشاري معاذ
نبيل نبيه نجيب هادي هزاع وائل وحيد ياسين أنس انس أيمن ايمن باسم بسام ثامر جابر جاسم حامد حمزة خليل
دخيل راكان زهير سامر سعدون شادي صابر صلاح ضياء عبيد عدنان عصام علاء عماد عيسى غسان فؤاد فراس كمال
رندا رنا دانة هدى سلوى نادية ليلى سميرة فوزية منيرة مها هيفاء بشرى خلود غادة وفاء سعاد جواهر شريفة حنان
إيمان ايمان سهام أميرة اميرة ندى رشا دينا لبنى نوال عفاف سمر أروى اروى بدرية موضي الجوهرة حليمة زينب خديجة
مروة مروه ريهام رهف شهد دعاء آلاء إسراء اسراء رحاب عبلة نجوى هالة سناء ابتسام أمينة امينة جميلة رقية سوسن
ميساء ولاء وعد روان جود لينا دلال عهود أريج اريج صفاء نهى نهلة منال هيام فاتن رباب سحر أفنان افنان
أسامة اسامة مهند معتز مؤيد عمرو أشرف اشرف مروان نادر نزار هيثم وسام يونس إياد اياد توفيق جلال حاتم حازم حسام
رامي رياض سمير شريف مراد مجدي
"""

#: Widget words that may precede a title echo as a glued label ("طباعة <title>").
_WIDGET_WORDS = "شارك طباعة اطبع أرسل حفظ مشاركة تغريد تعليق التعليقات صورة فيديو"

#: Titles before a name that the author field and a signature may spell differently.
_NAME_TITLES = "د أ ا دكتور الدكتور بروفيسور الشيخ م المهندس"

#: Words a dateline may contain besides numbers.
_DATE_WORDS = """
السبت الأحد الاحد الإثنين الاثنين الثلاثاء الأربعاء الاربعاء الخميس الجمعة
يناير فبراير مارس أبريل ابريل مايو يونيو يوليو أغسطس اغسطس سبتمبر أكتوبر اكتوبر نوفمبر ديسمبر
كانون الثاني شباط آذار اذار نيسان أيار ايار حزيران تموز آب اب أيلول ايلول تشرين الأول الاول
جانفي فيفري أفريل ماي جوان جويلية أوت
محرم صفر ربيع الآخر الاخر جمادى الأولى الاولى الآخرة الاخرة رجب شعبان رمضان شوال ذو ذي القعدة الحجة
م ص هـ ه مساء صباحا صباحاً مساءً الساعة ساعة ساعات دقيقة دقائق منذ يوم أيام في بتاريخ تاريخ آخر تحديث
نشر pm am gmt utc at on le à h min il y a ago hours minutes days
jan feb mar apr may jun jul aug sep oct nov dec january february march april june july august september
october november december monday tuesday wednesday thursday friday saturday sunday
janvier février mars avril mai juin juillet août septembre octobre novembre décembre
"""

_SEP = re.compile(r"\s*\|\s*|\n")


def _keyed(block: str) -> frozenset[str]:
    return frozenset(k for k in (match_key(p) for p in _SEP.split(block)) if k)


FULL_LINE = _keyed(_FULL_LINE)
_FULL_LINE_LEN = max(map(len, FULL_LINE))
PREFIXES = tuple(sorted(_keyed(_PREFIXES), key=len, reverse=True))
#: ``is_prefixed`` as one set lookup and one C-level ``startswith`` over a tuple, not a generator.
_PREFIX_SET = frozenset(PREFIXES)
_PREFIX_HEADS = tuple(p + " " for p in PREFIXES)
#: ``_PREFIX_HEADS`` by their first character: a key can only start with the heads of its own
#: (one ``startswith`` over a few heads instead of all of them).
_PREFIX_HEADS_BY_FIRST = {c: tuple(h for h in _PREFIX_HEADS if h[0] == c) for c in {h[0] for h in _PREFIX_HEADS}}
PHRASES = tuple(sorted(_keyed(_PHRASES)))
#: Prefixes that are also common nouns: a credit only with a separator after the word.
NOUN_PREFIXES = frozenset(match_key("المصدر إعداد اعداد ترجمة تحرير تصوير تصنيف الأقسام").split())
_PHRASE_PREFIX_HEADS = tuple(h for h in _PREFIX_HEADS if h.strip() not in NOUN_PREFIXES)  # 'اعداد وتقديم ...'
_NOUN_CREDIT = re.compile(r"^\W*\w+\s*[:：/\-–—|ـ]")


#: Characters in about the order of their frequency in Arabic text (keys spell ة as ه, ى as ي).
_FREQUENT_FIRST = " اليمونهرتبعدسفكقحجطصشخزثذضغظء"


def _trie_pattern(words: Sequence[str]) -> str:
    """One regex alternation of ``words`` written as a character trie (``'ا(?:ترك...|خبرنا...)'``).

    At a node the longer continuations are tried before the word that ends there, so among
    the words that match at one position the longest wins, as with an alternation sorted
    longest first (two words that match at one position are prefixes of each other). ``re``
    skips a branch whose first literal differs at C speed: a position costs about one test per
    distinct first character instead of one per word. The branches of a node start with
    distinct characters, so at most one can match: they are tried the most frequent character
    first (``_FREQUENT_FIRST``), which finds the branch of a common letter sooner.
    """
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items(), key=_branch_order) if ch]
        if not alts:
            return ""
        if len(alts) == 1 and "" not in node:
            return alts[0]
        return "(?:" + "|".join(alts) + ")" + ("?" if "" in node else "")

    return emit(trie)


def _branch_order(item: tuple[str, dict]) -> tuple[int, str]:
    """Sort key of a trie node's branch: its character's rank in ``_FREQUENT_FIRST``, then the character."""
    rank = _FREQUENT_FIRST.find(item[0])
    return (rank if rank >= 0 else len(_FREQUENT_FIRST)), item[0]


#: All phrases in one pass; a phrase must start and end on a word boundary of the key. The
#: leading space is matched (not a lookbehind) so ``re`` can skip to spaces: 1.7x faster,
#: same matches (keys have single spaces and the trailing lookahead consumes nothing). The
#: alternation is a trie (``_trie_pattern``, longest phrase first): 2x faster again, same matches.
#: No group (faster): a match is the phrase with its leading space.
_PHRASE_RE = re.compile(r" (?:" + _trie_pattern(PHRASES) + r")(?= )")
CREDIT_WORDS = _keyed(_CREDIT_WORDS)
PLACES = _keyed(_PLACES)
BIO_WORDS = _keyed(_BIO_WORDS)
DESK_OPENERS = tuple(k + " " for k in sorted(_keyed(_DESK_OPENERS), key=len, reverse=True))
WIDGET_WORDS = frozenset(match_key(_WIDGET_WORDS).split())
BIO_OPENERS = tuple(k + " " for k in sorted(_keyed(_BIO_OPENERS), key=len, reverse=True))
GIVEN_NAMES = frozenset(match_key(_GIVEN_NAMES).split())
#: Words inside a name (``'ريان بن خالد'``, ``'... آل الشيخ'``).
_NAME_JOINERS = frozenset(match_key("بن ابن بنت آل").split())
_NAME_LEADS = tuple(match_key(w) for w in ("عبد", "أبو", "ابو", "ابن"))
NAME_TITLES = frozenset(match_key(_NAME_TITLES).split())
DATE_WORDS = frozenset(match_key(_DATE_WORDS).split())
HOME_WORDS = tuple(match_key(w) for w in ("الواجهة الرئيسية", "الصفحة الرئيسية", "الرئيسية"))
#: Words that make a short line read as a sentence or a phrase, not as ``<name> <place>``.
#: ``على`` is not one of them: its key is the key of the name ``علي`` (``'علي السحاري – القنفذة'``).
FUNCTION_WORDS = frozenset(match_key("في من إلى الى عن مع و أو ثم قد لا لم لن ما هل كيف أن إن بعد قبل عند").split())
#: Abbreviation dots of titles before a name (``'د. العضيب'``, ``'أ.د. طارق'``): not sentence punctuation.
_TITLE_DOT = re.compile(r"(?<!\w)(?:أ\.\s?د|د|م|أ|ا)\s?\.")


def _has_sentence_punct(line: str) -> bool:
    """Sentence punctuation outside the abbreviation dots of a title."""
    return bool(_SENTENCE_PUNCT.search(_TITLE_DOT.sub(" ", line) if "." in line else line))

#: Lines longer than this (in words) are never chrome by prefix or byline rules.
MAX_PREFIX_WORDS = 20
MAX_PHRASE_WORDS = 45
MAX_BYLINE_WORDS = 6
MAX_ECHO_WORDS = 10
MAX_BIO_WORDS = 30
#: Non-blank lines at each end of a document where bylines, bios and signatures sit.
HEAD_ZONE = 3
TAIL_ZONE = 4

#: An e-mail may carry a space on either side of its "@" as scraped (``'diana@ asharqalawsat.com'``).
_LINK_ITEM = (r"(?:(?:https?://|www\.)\S+|[\w.+-]+ ?@ ?[\w-]+\.[\w.]+|[@#][\w_]+|(?:\+|00?)\d[\d\s()./-]{6,}"
              r"|\[email\s?protected\](?:\s*/\*\s*\*/)?)")
_LINK_ONLY = re.compile(rf"^(?:(?:تويتر|twitter|e-?mail|البريد الإلكتروني|هاتف|جوال|فاكس|tel|fax)\s*:?\s*)?"
                        rf"{_LINK_ITEM}(?:[\s,،;|]*{_LINK_ITEM})*$", re.IGNORECASE)
#: A phone or fax number after its label: ``'فاكس: 6923348'``, ``'هاتف: 4567890 - 4567891'``.
_LABELLED_NUMBER = re.compile(r"^(?:هاتف|الهاتف|جوال|الجوال|فاكس|الفاكس|تلفون|تليفون|ت|ف|tel|fax|phone)\s*:\s*"
                              r"[\d٠-٩][\d٠-٩\s()./-]{5,}$", re.IGNORECASE)
#: An address after a contact label, as scraped (``'إيميل: x@yahoo com'``: the dot of the domain lost).
_LABELLED_ADDRESS = re.compile(r"^(?:[اإ]يميل|ال[اإ]يميل|البريد(?: ال[اإ]لكتروني)?|بريد [اإ]لكتروني|e-?mail)\s*:\s*"
                               r"[\w.+-]+@[\w-]+(?:[.\s]+[\w-]+){1,3}\s*$", re.IGNORECASE)
#: How a link-only line without an "@" or a ":" starts (``_LINK_ITEM``: "www.", "#", "+", "0", "[").
_LINK_FIRST = "wW#+0["
_DASHES = re.compile(r"\s*[-–—|]+\s*")
_HAS_DIGIT = re.compile(r"\d")
#: A match contains "next": callers test ``"x" in line or "X" in line`` first (one-character
#: tests are cheap, and no other character matches an x ignoring case).
_NEXT_PREVIOUS = re.compile(r"^\s*(?:Next\s+Previous|Previous\s+Next)\b\s*", re.IGNORECASE)
#: The slider arrows anywhere in a line (``_is_slider_run``).
_ARROWS = re.compile(r"\b(?:Next\s+Previous|Previous\s+Next)\b", re.IGNORECASE)
#: The point of a decimal number (``'تاب برو 12.2'``): no sentence punctuation.
_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")
#: Words of a slider's caption run before its arrows, at most.
MAX_SLIDER_WORDS = 40


def _is_slider_run(line: str, arrows: re.Match) -> bool:
    """3alyoum's photo slider scraped into the first line: the captions, the arrows, then nothing or
    the byline (``'<captions> Next Previous عبدالكريم الحارثي – جدة'``). The captions carry no sentence
    punctuation; after the arrows comes nothing, a name, or ``<name> – <place>``."""
    before, after = line[:arrows.start()], line[arrows.end():]
    if not _TEXTLIKE.search(before) or _SENTENCE_PUNCT.search(_DECIMAL_POINT.sub("", before)) \
            or before.count(" ") > MAX_SLIDER_WORDS:
        return False
    key = _key(after)
    return not key or key.count(" ") <= MAX_BYLINE_WORDS and (is_head_byline(after, key) or _is_name_line(after, key))


#: Sentence punctuation: a line with it reads as text, not as a label.
_SENTENCE_PUNCT = re.compile(r"[.!?؟:؛«»\"“”]")
_STAR = re.compile(r"^\s*\*\s*")
#: A line that is only a parenthesised word or two: ``'(واس)'`` (a credit when the words are one).
_PAREN_ONLY = re.compile(r"^\s*\(\s*([^()]{2,30}?)\s*\)\s*$")
#: A pointer to a page of the print edition: ``'تفاصيل ص19'``, ``'التفاصيل في الصفحة 5'``, ``'ص 12'``.
_PAGE_POINTER = re.compile(r"^\s*(?:ال)?(?:تفاصيل|تتمة|التتمة|المزيد)?\s*(?:في\s*)?(?:ص|صفحة|الصفحة|ص\.)\s*[\d٠-٩]{1,3}\s*$")
#: A poem's credit under it: ``'شعر – حمود بن حسن العضيدان "رحمه الله"'``, ``'شعر: ...'``.
_POET_CREDIT = re.compile(r"^\s*(?:شعر|الشاعر|للشاعر)\s*[:\-–—]\s*[^\s\d.،:!؟?]")
#: A long line is only looked at as a menu when it has separators between its entries.
_MENU_SEPARATORS = "»|•/"
#: Substrings one of which every ``_FOOTERS`` phrase contains: substring tests (C speed) skip the
#: search for the phrases. The longer the needle, the faster ``in`` skips through a line: ``'خرى
#: للكاتب'`` for both ``'مقالات ...'`` phrases, and the whole ``'رابط الخبر بصحيفة'``. Tested
#: through ``_has_footer_word`` (and ``Table.prep_lines``, given ``_FOOTER_NEEDLES``).
_FOOTER_WORDS = ("للتواصل", "خرى للكاتب", "رابط الخبر بصحيفة")


# --- single-line rules (each returns True when the line is chrome) ------------


def is_lexicon(key: str) -> bool:
    """The whole line is a chrome phrase: ``'شارك'``, ``'مقالات ذات صلة'``, ``'...المزيد'``."""
    return key in FULL_LINE


def is_prefixed(key: str, n_words: int, line: str = "") -> bool:
    """A short line led by a chrome phrase: ``'اقرأ أيضا: ...'``, ``'نقلتها إلى العربية: زينب منعم.'``.
    A credit word that is also a common noun (``NOUN_PREFIXES``: ``'تحرير'``, ``'ترجمة'``, ``'المصدر'``...)
    leads a credit only with a separator after it (``'تحرير: ...'``, ``'تصوير - ...'``), not a sub-heading
    (``'تحرير المرور'``)."""
    if n_words > MAX_PREFIX_WORDS:
        return False
    if key in _PREFIX_SET:
        return True
    if not key.startswith(_PREFIX_HEADS_BY_FIRST.get(key[:1], ())):  # key.startswith(_PREFIX_HEADS)
        return False
    if key.split(" ", 1)[0] not in NOUN_PREFIXES or not line or key.startswith(_PHRASE_PREFIX_HEADS):
        return True
    return bool(_NOUN_CREDIT.match(line))


def is_byline_prefix(line: str, key: str, n_words: int) -> bool:
    """A short byline led by ``كتب`` / ``بقلم``: ``'بقلم: سعد الفراج'``."""
    if n_words > MAX_BYLINE_WORDS or _SENTENCE_PUNCT.search(line.replace(":", "")):
        return False
    return bool(_BYLINE_OPENER.match(line))


def has_phrase(key: str, n_words: int) -> bool:
    """A widget or footer sentence anywhere in a line: ``'... شاركنا رأيك في التعليقات'``."""
    if n_words > MAX_PHRASE_WORDS:
        return False
    return bool(_PHRASE_RE.search(f" {key} "))


def _phrases(key: str) -> list[str]:
    """Every chrome phrase in a key, found once and shared by the menu and phrase rules."""
    return [m[1:] for m in _PHRASE_RE.findall(f" {key} ")]


def _is_menu_of(found: list[str]) -> bool:
    return len(found) >= 3 and max(found.count(p) for p in set(found)) >= 3


def is_glued_footer(line: str) -> bool:
    """A footer glued to what the scrape ran into it: ``'x@yahoo.comللتواصل مع الكاتب ...'``,
    ``'مقالات أخرى للكاتبمرور الرياض...'`` (aljazirah's related list, titles run together)."""
    start = _footer_start(line)
    return start is not None and not _has_text_before(line[:start])


def is_menu(key: str) -> bool:
    """Menu or feed-index entries run together: one chrome phrase three times or more,
    ``'العنوان رابط RSS عين اليوم رابط RSS عين اليوم » كاريكاتير رابط RSS ...'``."""
    return _is_menu_of(_phrases(key))


def is_breadcrumb(key: str, n_words: int) -> bool:
    """A home link with a section glued or appended: ``'الواجهة الرئيسيةشؤون عربية'``."""
    return n_words <= 6 and key.startswith(HOME_WORDS)


def is_dateline(key: str) -> bool:
    """Only dates, times, day and month names: ``'الخميس 29/يونيو/2017 - 03:01 م'``."""
    if not _HAS_DIGIT.search(key):  # before the split: most keys have no digit
        return False
    tokens = key.split()
    if not tokens or len(tokens) > 16:
        return False
    if not all(t.isdigit() or t in DATE_WORDS for t in tokens):
        return False
    # a bare number ('3601129312', '(٢)') is a list entry, not a date
    return any(t in DATE_WORDS for t in tokens) or (len(tokens) >= 3 and all(len(t) <= 4 for t in tokens))


def is_place_credit(line: str) -> bool:
    """``<place>: <one or two words>`` alone: the dateline and credit of a report
    (``'الرياض: الوطن'``), also in the middle of a page that carries two reports."""
    place, _, rest = line.partition(":")
    rest_key = _key(rest)
    return _key(place) in PLACES and 1 <= rest_key.count(" ") + 1 <= 2 and bool(rest_key) \
        and not _HAS_DIGIT.search(rest) and not _SENTENCE_PUNCT.search(rest)


def is_byline(line: str, key: str, n_words: int) -> bool:
    """A source credit around a dash: ``'متابعة – كيو بوست'``, ``'عين اليوم – متابعات'``."""
    # a _DASHES match has one of its characters: four finds before the regex, which tries every position
    if n_words > MAX_BYLINE_WORDS or not ("-" in line or "–" in line or "—" in line or "|" in line) \
            or not _DASHES.search(line):
        return False
    for side in _DASHES.split(line):
        side_key = _key(side)
        if side_key and (side_key in CREDIT_WORDS or side_key.split()[0] in CREDIT_WORDS):
            return True
    return False


def is_link_only(line: str) -> bool:
    """Only URLs, e-mails, @handles, #hashtags or phone numbers (``'تويتر: @x'`` too)."""
    return bool(_LINK_ONLY.match(line.strip()))


def is_credit_footer(line: str, key: str, n_words: int) -> bool:
    """A wire or syndication credit, ``'* خدمة «نيويورك تايمز»'``, ``'خاص بـ«الشرق الأوسط»'``."""
    if n_words > 10:
        return False
    body = _key(_STAR.sub("", line))
    if body.startswith("خاص ب الشرق"):
        return True
    return body.startswith(("خدمه ", "خاص ب ", "بالاتفاق مع ")) and bool(re.search(r"[«{]", line))


def is_title_echo(key: str, title_key: str) -> bool:
    """A short line that repeats the start of the headline, maybe after a widget label.

    ``'طباعة مع بدء معركة الرقة..'`` with headline ``'مع بدء معركة الرقة.. الانشقاقات ...'``.
    """
    if not title_key:
        return False
    words = key.split()
    while words and words[0] in WIDGET_WORDS:
        words = words[1:]
    if not words or len(words) > MAX_ECHO_WORDS:
        return False
    rest = " ".join(words)
    return rest != title_key and (title_key + " ").startswith(rest + " ")


#: A line with this many spaces is too long for any single-line rule but the menu one.
_LONG_SPACES = MAX_PHRASE_WORDS + 10
#: ``strip_lines`` keys a line shorter than this up front (and a long one of the zones later).
_KEYED_LEN = 400


def _is_long(line: str) -> bool:
    """Too many words for any single-line rule but the menu one."""
    return line.count(" ") >= _LONG_SPACES


def classify_line(line: str, key: str | None = None) -> str | None:
    """Name of the context-free rule that marks a line (of cleaned text) as chrome, or None.

    ``key`` is the line's match key when the caller has it already.
    """
    return _classify(line, key, line.count(" "), key.count(" ") if key else 0)


def _classify(line: str, key: str | None, n_spaces: int, key_spaces: int, phrases: bool = True,
              footer: bool | None = None) -> str | None:
    """``classify_line`` for a caller that counted the spaces of ``line`` and of ``key`` (when
    ``key`` is given) already (``strip_lines``); for a line with more, ``n_spaces`` may be any
    count of ``_LONG_SPACES`` or more (only its comparison with ``_LONG_SPACES`` is read).
    ``phrases=False`` says that ``key`` has no ``_PHRASE_RE`` match (the caller searched it); it
    does not hold for a key computed here. ``footer``, when not None, says whether ``line`` holds
    one of the ``_FOOTER_WORDS`` (the caller searched it); it does not hold for a line cut here."""
    if n_spaces >= _LONG_SPACES:  # every other rule is bounded in length
        # Three _MENU_SEPARATORS or more. Most long lines have none, and a test for one stops at
        # its first hit where a count reads the whole line: only the separators in the line are
        # counted, until there are three.
        separators = 0
        for sep in _MENU_SEPARATORS:
            if sep in line:
                separators += line.count(sep)
                if separators >= 3:
                    # most such lines have no phrase at all: the C search of the line's key says so
                    # without building the key (_PHRASE_RE finds none in it then, is_menu is False)
                    if not key and native.AVAILABLE and _HAS_PHRASE(line, _PHRASE_NEEDLES) is False:
                        return None
                    return "menu" if is_menu(key or _key(line)) else None
        return None
    has_x = "x" in line or "X" in line  # the gate of both slider patterns
    nav = _NEXT_PREVIOUS.match(line) if has_x else None
    if nav:  # 3alyoum's slider arrows glued to the byline: judge what follows them
        line = line[nav.end():]
        if not line.strip():
            return "navigation"
        key = _key(line)
        key_spaces = key.count(" ")
        phrases, footer = True, None
        if key_spaces < MAX_BYLINE_WORDS and _is_name_line(line, key):
            return "byline"  # 'Next Previous علي القحطاني': the reporter's name behind the arrows
    elif has_x and (arrows := _ARROWS.search(line)) and _is_slider_run(line, arrows):
        return "navigation"
    # a photo credit: judge the byline before it (_CREDIT_END_STOPS before the scans)
    if len(line) < 200 and line.rstrip()[-1:] not in _CREDIT_END_STOPS and ("تصوير" in line or "عدسة" in line):
        cut = photo_credit_start(line)
        if cut is not None:
            rest = line[:cut]
            rule = classify_line(rest) if _key(rest) else "photo_credit"
            if rule:
                return rule
    if key is None:
        key = _key(line)
        key_spaces = key.count(" ")
        phrases = True
    if not key:
        return None
    # The rules run in order (the first that fires names the line); a bound on the word count
    # is tested before a rule's call, and the cheapest rules are inlined (the most lines are
    # long body lines that every rule rejects).
    n_words = key_spaces + 1
    if len(key) <= _FULL_LINE_LEN and key in FULL_LINE:  # is_lexicon (the length spares hashing a long key)
        return "lexicon"
    # _phrases, for is_menu and has_phrase in one regex scan; each with its leading space
    # (_is_menu_of counts equal entries: the same counts). None when the caller's search of
    # the key found none (phrases=False).
    found = _PHRASE_RE.findall(f" {key} ") if phrases else ()
    if len(found) >= 3 and _is_menu_of(found):
        return "menu"
    if n_words <= 16:  # the bounds first: splitting a long key costs
        if is_dateline(key):
            return "dateline"
        if n_words <= 3 and ":" in line and is_place_credit(line):
            return "dateline"
        if n_words <= 4 and "(" in line and (inner := _PAREN_ONLY.match(line)) \
                and _key(inner.group(1)) in CREDIT_WORDS:
            return "credit"
        if n_words <= 5 and _HAS_DIGIT.search(line) and _PAGE_POINTER.match(line):
            return "page_pointer"
    # is_link_only. Without an "@" (e-mail, handle) and a ":" (label, "https://") a link-only
    # line starts with "www.", "#", a phone number or "[email protected]"
    stripped = line.strip()
    at, colon = "@" in line, ":" in line  # one scan each for the three rules
    if (at or colon or stripped[:1] in _LINK_FIRST) and _LINK_ONLY.match(stripped):
        return "link_only"
    if at and n_words <= 6 and _LABELLED_ADDRESS.match(stripped):
        return "contact"
    if colon and n_words <= 8 and _LABELLED_NUMBER.match(stripped):
        return "contact"
    if (_has_footer_word(line) if footer is None else footer) and is_glued_footer(line):
        return "footer"
    if n_words <= MAX_PREFIX_WORDS:  # the longest bound of the five rules below: skip them at once
        # each rule's own word bound tested before its call (is_breadcrumb inlined)
        if n_words <= 6 and key.startswith(HOME_WORDS):
            return "breadcrumb"
        if n_words <= MAX_BYLINE_WORDS and is_byline(line, key, n_words):
            return "byline"
        if n_words <= 10 and is_credit_footer(line, key, n_words):
            return "credit"
        if is_prefixed(key, n_words, line):
            return "lexicon_prefix"
        if n_words <= MAX_BYLINE_WORDS and is_byline_prefix(line, key, n_words):
            return "byline_prefix"
    if found and n_words <= MAX_PHRASE_WORDS:  # has_phrase
        if _CTA_FOUND.issuperset(found) and _cta_hint(line[-16:]) and cta_tail_start(line) is not None:
            return None  # a sentence that ends in a link prompt: trim_line cuts the prompt
        return "lexicon_phrase"
    return None


#: Link prompts ("click here") that may close a real sentence.
_CTA_KEYS = frozenset(match_key(p) for p in ("انقر هنا", "اضغط هنا", "click here"))
#: ``_CTA_KEYS`` as ``_classify`` finds them (``_PHRASE_RE`` matches keep the leading space).
_CTA_FOUND = frozenset(" " + k for k in _CTA_KEYS)
_CTA_END = re.compile(r"(?:[اأإ]ضغط|انقر)(?:وا|ي)?\s+هنا\W*$|click\s+here\W*$", re.IGNORECASE)
#: What leads the prompt's clause: ``'للاطلاع على المقال .. أضغط هنا'``.
_CTA_LEAD = re.compile(r"(?:لل?[اإ]طلاع|لمشاهدة|للمشاهدة|لقراءة|للقراءة|للمزيد|لمزيد|للتسجيل|للتقديم)(?!\w)")
_CLAUSE_END = re.compile(r"[؛;:،!؟?]|\.(?=\s)(?<!\.\.)")
#: Words of running text a prompt must close for the line to be kept.
MIN_CTA_TEXT_WORDS = 6


def _cta_hint(end: str) -> bool:
    """Does the end of a line (its last 16 characters) hold a prompt's ``هنا`` / ``here``? The
    gate of ``trim_line``'s prompt cut (inlined there: keep in step); ``_classify`` keeps a line
    for that cut only when trim_line will make it. One-character tests before the Latin ones (a
    Latin needle in Arabic text costs a conversion); ``_CTA_END`` matches that it misses (a
    prompt followed by 14 or more marks, mixed case ``'HeRe'``) are not cut, the line is dropped."""
    return "هنا" in end or "e" in end and "ere" in end or "E" in end and "ERE" in end


def cta_tail_start(line: str) -> int | None:
    """Where a link prompt closing a real sentence starts (``'...بـ"إدارة المتعة"؛ للاطلاع على
    المقال .. أضغط هنا'``): the clause led by ``للاطلاع`` and the like, else the clause after the
    last punctuation, when at least ``MIN_CTA_TEXT_WORDS`` words of text come before it. None
    for a prompt alone or one that is the whole line."""
    m = _CTA_END.search(line)
    if not m:
        return None
    window = max(0, m.start() - 80)
    lead = None
    for lead in _CTA_LEAD.finditer(line, window, m.start()):
        pass
    if lead is not None:
        start = lead.start()
    else:
        ends = list(_CLAUSE_END.finditer(line, window, m.start()))
        if not ends:
            return None
        start = ends[-1].end()
    before = line[:start].rstrip(" \t.،؛;:-–—")
    return len(before) if _has_textlike(before, MIN_CTA_TEXT_WORDS) else None


#: A photo credit closing a byline: ``'(تصوير: علي الزهراني)'``, ``'_ تصوير – مهند قحطان – احمد علي'``,
#: ``'رصد وتصوير: رغد عشميل'``. The credited names may be joined by dashes; no sentence punctuation.
_PHOTO_CREDIT = re.compile(r"(?<!\w)(?:رصد\s*و\s*)?(?:تصوير|عدسة)(?!\w)\s*[:\-–—]?\s*([^()«»:.!؟?\"“”]{2,60}?)\s*\)?\s*$")
#: What may stand between a byline and its photo credit.
_CREDIT_JOINT = " \t_-–—|(\u00a0"
#: Characters a line does not end in when ``photo_credit_start`` finds a credit in it: its last
#: non-blank character is then the credit's ``)`` or one of the credited names (a credit of blank
#: names is refused), and ``_PHOTO_CREDIT``'s class of names excludes these. Most lines end in a
#: full stop: a test of the last character spares the scans for ``تصوير`` and ``عدسة``.
_CREDIT_END_STOPS = '(«»:.!؟?"“”'


def photo_credit_start(line: str) -> int | None:
    """Index where a trailing photo credit starts (``None`` when the line has none).

    The credit must be a short list of names (no function words, at most 8 words), and it
    must stand alone or after a separator: ``'وستوافيكم ... بتصوير فيديو'`` is no credit.
    """
    m = _PHOTO_CREDIT.search(line)
    if not m:
        return None
    names = _key(m.group(1)).split()
    if not names or len(names) > 8 or any(w in FUNCTION_WORDS for w in names):
        return None
    start = m.start()
    before = line[:start]
    if before.strip() and before[-1] not in _CREDIT_JOINT:
        return None
    return len(before.rstrip(_CREDIT_JOINT))


def byline_core(line: str) -> str:
    """The part of a head or tail line a byline rule judges: without 3alyoum's slider arrows
    (``'Next Previous'``) and without a trailing photo credit."""
    nav = _NEXT_PREVIOUS.match(line) if "x" in line or "X" in line else None
    if nav:
        line = line[nav.end():]
    if line.rstrip()[-1:] not in _CREDIT_END_STOPS and ("تصوير" in line or "عدسة" in line):
        cut = photo_credit_start(line)
        if cut is not None:
            line = line[:cut]
    return line


#: One entry of a star-rating legend: ``'(****) ممتاز'``, ``'★★★ جيد'``.
_RATING_ENTRY = re.compile(r"^\s*(?:\(\s*\*{1,5}\s*\)|[★☆]{1,5})\s*[^\d*()★☆.!؟?:]{2,30}$")

#: A link to another instalment of a series: ``'مذكرات فاتن حمامة (6): أزمة الضابط ...'``.
_SERIES_ENTRY = re.compile(r"^\s*([^\s()][^()]{2,60}?)\s*\(\s*(?:\d{1,3}|[٠-٩]{1,3}|(?:الحلقة|الحلقه|الجزء)[^()]{0,20})\s*\)"
                           r"\s*[:\-–—]\s*\S")
#: The headline of an instalment: ``'... مذكرات وسيرة فاتن حمامة (8): ...'``.
_INSTALMENT = re.compile(r"\(\s*(?:\d{1,3}|[٠-٩]{1,3}|(?:الحلقة|الحلقه|الجزء)[^()]{0,20})\s*\)")

#: Words of a line that introduces a link (the link itself on the next line).
LINK_LABEL_WORDS = frozenset(match_key("رابط الرابط روابط لينك موقع الموقع للمزيد لمزيد للاطلاع للتسجيل للتقديم "
                                       "للمشاهدة لمشاهدة link website مرفق المرفق المرفقات ملف الملف تحميل "
                                       "للتحميل لتحميل").split())

#: Photo-caption openers: ``'جانب من الحضور'``, ``'لقطة جماعية للمشاركين'``, ``'من حفل المعايدة'``.
CAPTION_OPENERS = tuple(match_key(p) + " " for p in (
    "جانب من", "جانب آخر من", "لقطة", "لقطات", "صورة", "صور من", "من اليمين", "من اليسار",
    "الصورة", "في الصورة", "من حفل", "من فعاليات", "من تدريبات", "من مراسم", "من جولة", "من زيارة",
    "من عمليات", "من أعمال", "من أنشطة", "من الحفل", "من الفعاليات", "من اللقاء", "من الاجتماع", "من المعرض",
    "من معايدة", "من المعايدة", "من احتفال", "من الاحتفال", "من احتفالات", "من مباراة", "من المباراة", "من لقاء",
    "من ورشة", "من الورشة", "من افتتاح", "من الافتتاح", "من تكريم", "من التكريم"))
#: Openers of a photo caption printed as the first line over a report of the event
#: (``'احتفال بلدية سميراء'``, ``'حفل معايدة تعليم عنيزة'``); at the first line only.
FIRST_CAPTION_OPENERS = tuple(match_key(p) + " " for p in ("احتفال", "احتفالية", "حفل", "معايدة", "فعاليات",
                                                          "مشهد من", "مشاهد من"))
#: A first-line caption showing someone speaking: ``'الجار الله يتحدث عن المهرجان'``, ``'الحازمي متحدثاً في ...'``.
_SPEAKER_CUE = re.compile(r"^\s*[^\s\d]+(?:\s+[^\s\d]+){0,2}\s+(?:يتحدث|تتحدث|متحدثا|متحدثاً|متحدثة)\s+(?:عن|في|ل|إلى|الى|خلال)(?:\s|$)")
#: A caption's "<who> during/at <event>": ``'محافظ الأفلاج أثناء مشاركته في الفعاليات'``,
#: ``'د. العضيب في انطلاق الدورة'``, ``'أثناء حفل تتويج الفائزين'``. On the line as written
#: (teh marbuta must not look like a possessive pronoun).
_CAPTION_CUE = re.compile(
    r"(?:^|\s)(?:أثناء|اثناء|خلال|لدى)\s+[\u0621-\u064A]{2,}(?:ه|ها|هم|هما)(?:\s|$)"
    r"|(?:^|\s)(?:في|أثناء|اثناء|خلال|لدى)\s+(?:انطلاق|افتتاح|حفل|ختام|زيارة|جولة|لقاء|اجتماع|استقبال|تدشين|"
    r"تكريم|تسلم|تسليم|توقيع|فعاليات|احتفال|احتفالية|رعاية|إطلاق|اطلاق|مراسم|تتويج)(?:\s|$)")
MAX_CAPTION_WORDS = 10


_MIN = match_key("من")
#: Punctuation a gallery caption does not carry (``«»`` and ``()`` it may: ``'وليد في حملة «زينة الحياة»'``).
_GALLERY_PUNCT = re.compile(r"[.!?؟:؛\"“”]")
#: Every open line of the body before one or two bare trailing captions has at least this many words.
CAPTION_BODY_WORDS = 12


#: Nouns that start with و, the first word of a caption (``'وصول الطائرة الثالثة'``, ``'وداع ...'``),
#: not the conjunction that leads a closing sentence (``'والله الموفق'``).
_WAW_NOUNS = frozenset(match_key("وصول وداع وقوف وقفة وضع ورشة وفد وزير وزيرة وكيل ولي والي وجبة وجبات").split())


def _is_bare_caption(key: str) -> bool:
    """A trailing line that may be a caption without caption wording: two to seven words, not
    led by a function word other than من (``'من الطب المنزلي'``) or by the conjunction و (a
    closing sentence: ``'والله الموفق'``); a noun led by و (``'وصول ...'``, ``_WAW_NOUNS``) may lead."""
    words = key.split()
    return 2 <= len(words) <= 7 and (words[0] not in FUNCTION_WORDS or words[0] == _MIN) \
        and (not words[0].startswith("و") or words[0] in _WAW_NOUNS)


def is_caption(line: str, key: str) -> bool:
    """A photo caption (short, no sentence punctuation) by its wording: an opener such as
    ``'جانب من'`` or ``'لقطة'``, or ``'<who> أثناء/خلال <his action>'`` / ``'<who> في <event>'``.
    Only looked at where captions sit: the first line of the text and the tail zone."""
    n = key.count(" ") + 1
    if not key or n > MAX_CAPTION_WORDS or _has_sentence_punct(line):
        return False
    if (key + " ").startswith(CAPTION_OPENERS):
        return True
    words = key.split()
    return not words[0] in FUNCTION_WORDS and bool(_CAPTION_CUE.search(line))


def is_lead_byline(line: str, key: str) -> bool:
    """The first line of the text is ``<name> – <place or desk>`` even for a place no list
    knows: ``'عبدالرحمن الشهري – محايل عسير'``, ``'مسلّم الهواملة – الدلم'``. Two to four
    words, a dash, one to three words; no digits, no function words."""
    if key.count(" ") > 7 or _HAS_DIGIT.search(line) or _has_sentence_punct(line.replace("،", "")):
        return False
    sides = [_key(s) for s in _DASHES.split(line.strip()) if _key(s)]
    if len(sides) != 2:
        return False
    left, right = sides[0].split(), sides[1].split()
    return 2 <= len(left) <= 4 and 1 <= len(right) <= 3 and _words_are_label(left + right)


# --- position rules (need the document) ----------------------------------------


def _words_are_label(words: Sequence[str]) -> bool:
    return bool(words) and not any(w in FUNCTION_WORDS for w in words)


def is_head_byline(line: str, key: str) -> bool:
    """In the head zone, ``<name(s)> – <place|credit>``: ``'رغد عشميل -جدة'``, ``'حامد القرشي، إبراهيم الحذيفي – مكة المكرمة'``."""
    words = key.split()
    if not 2 <= len(words) <= MAX_BYLINE_WORDS + 1 or _has_sentence_punct(line.replace("،", "")):
        return False
    if not _words_are_label(words):
        return False
    sides = [_key(s) for s in _DASHES.split(line.strip()) if _key(s)]
    if len(sides) == 2 and any(s in PLACES or s in CREDIT_WORDS for s in sides):
        return True
    if len(sides) == 3 and sides[-1] in PLACES:  # two reporters, then the place: 'فايز الحسيكي – مسلم الهواملة – الخرج'
        return True
    # A tatweel used as the dash is gone after cleaning ('الرياضي جدة'); without a dash a
    # name + place cannot be told from a kicker ('أمير منطقة جازان'): author_echo and the
    # corpus counts take those.
    return False


def is_signature(line: str, key: str, last: bool = False) -> bool:
    """In the tail zone, a reader's or writer's signature: ``'- خالد الدوس'``, ``'نوف بنت طلال - الرياض'``."""
    words = key.split()
    stripped = line.strip()
    if last and MAX_BYLINE_WORDS < len(words) <= 8 and stripped.startswith(("-", "–", "—")):
        # '- عبدالمحسن بن عبدالعزيز بن عبدالرحمن آل الشيخ': a long name, joined by بن / آل
        names = [w for w in words if w not in NAME_TITLES]
        return sum(w in _NAME_JOINERS for w in names) >= 2 and _words_are_label(names) \
            and (names[0] in GIVEN_NAMES or names[0].startswith(_NAME_LEADS)) \
            and not _HAS_DIGIT.search(stripped) and not _has_sentence_punct(stripped)
    if not 2 <= len(words) <= MAX_BYLINE_WORDS or _has_sentence_punct(line.replace("،", "")):
        return False
    if not _words_are_label(words):
        return False
    if stripped.startswith(("-", "–", "—")):
        names = [w for w in words if w not in NAME_TITLES]
        return last and 2 <= len(names) <= 4 and not re.search(r"[A-Za-z*]", stripped)
    sides = [_key(s) for s in _DASHES.split(stripped) if _key(s)]
    if len(sides) != 2:
        return False
    if sides[1] in PLACES or sides[1] in CREDIT_WORDS:
        return True
    # the last line, '<name> - <town>' for a town no list knows: 'منصور بن محمد الحمود - الرس'
    return last and 2 <= sides[0].count(" ") + 1 <= 5 and sides[1].count(" ") <= 1 \
        and not _HAS_DIGIT.search(stripped)


def is_bio_footer(line: str, key: str) -> bool:
    """In the tail zone, ``* <bio>``: ``'* أستاذ العلوم السياسية ...'``, ``'* كاتب من مصر'``."""
    return bool(_STAR.match(line)) and _has_bio_word(key)


def _has_bio_word(key: str) -> bool:
    """A bio's key: at most ``MAX_BIO_WORDS`` words, a ``BIO_WORDS`` word (maybe with the article) among the first four."""
    words = key.split()
    return 1 <= len(words) <= MAX_BIO_WORDS and any(w in BIO_WORDS or w[:2] == "ال" and w[2:] in BIO_WORDS
                                                    for w in words[:4])


@lru_cache(maxsize=4096)  # one call per document; outlets have few authors
def author_key(author: str | None) -> str:
    """The author field's name, keyed, without titles: ``'د . طارق الحبيب'`` -> ``'طارق الحبيب'``."""
    if not author:
        return ""
    words = [w for w in _key(_DASHES.split(author.strip())[0]).split() if w not in NAME_TITLES]
    return " ".join(words) if len(words) >= 2 else ""


def is_author_echo(key: str, name: str) -> bool:
    """A short line that is the author's name, maybe with titles or a place: ``'أ.د. طارق الحبيب'``."""
    if not name:
        return False
    words = [w for w in key.split() if w not in NAME_TITLES]
    return 2 <= len(words) <= MAX_BYLINE_WORDS and f" {name} " in f" {' '.join(words)} "


def _is_label(line: str, key: str) -> bool:
    """Short and without sentence punctuation: a bio, title or affiliation line of a signature block."""
    n = key.count(" ") + 1
    return bool(key) and n <= 8 and not _SENTENCE_PUNCT.search(line)


def _line_lists(lines: Sequence[str]) -> tuple[list[int], list[str], list[int], bool, list[int], int, list[int],
                                               list[int], list[int]]:
    """``strip_lines``' per-line ``(spaces, keys, key_spaces)``, whether a key has a ``_PHRASE_RE``
    match, the lines of fewer than ``_LONG_SPACES`` spaces that hold a ``_FOOTER_WORDS`` word (the
    ones ``_classify`` tests), how many lines have a first non-blank character in ``_RATING_MARKS``,
    the long lines (``_LONG_SPACES`` spaces or more) that ``_classify`` may call a menu: three
    ``_MENU_SEPARATORS`` or more, and a ``_PHRASE_RE`` match in the key; the lines ``_classify``
    must judge (``judged``: the non-empty lines of fewer than ``_LONG_SPACES`` spaces and the menu
    candidates, less, in a document without a phrase, the long keyed lines without a
    ``_LONG_KEY_CUES`` cue) and the lines that are not blank (``filled``: a character that is not
    whitespace) (the definition of ``Table.prep_lines`` given ``_LONG_KEY_GATE``).

    Keys of long lines are only read in the head and tail zones (classify_line keys a long line
    itself when it looks like a menu): skip them here, ``strip_lines`` fills the zones. Loops fill
    the lists (cheaper than a comprehension for each). spaces[i] is only compared with
    _LONG_SPACES or less: a line of _KEYED_LEN characters or more has its spaces counted in its
    first _KEYED_LEN characters when they hold _LONG_SPACES or more (~98% of those lines; a count
    is a scan of the whole line).
    """
    spaces: list[int] = []
    keys: list[str] = []
    key_spaces: list[int] = []  # words - 1, the bound of most rules
    for line in lines:
        if len(line) < _KEYED_LEN:
            n = line.count(" ")
            key = _key(line) if n < _LONG_SPACES else ""
        else:
            n = line.count(" ", 0, _KEYED_LEN)
            if n < _LONG_SPACES:
                n += line.count(" ", _KEYED_LEN)
            key = ""
        spaces.append(n)
        keys.append(key)
        key_spaces.append(key.count(" "))
    # One search of the whole document for the chrome phrases (_PHRASE_RE): most documents have
    # none, and then _classify searches no line. The keys are joined by " \n ", so each stands
    # between spaces as in _classify's search, and no match spans two (no phrase has a
    # newline): the document has a match if and only if one of its keys has.
    phrases = _PHRASE_RE.search(" " + " \n ".join(keys) + " ") is not None
    footers = [i for i, line in enumerate(lines) if spaces[i] < _LONG_SPACES
               and any(w in line for w in _FOOTER_WORDS)]
    marked = sum(1 for line in lines if line.strip() and line.lstrip()[0] in _RATING_MARKS)
    menus = [i for i, line in enumerate(lines) if spaces[i] >= _LONG_SPACES
             and sum(map(line.count, _MENU_SEPARATORS)) >= 3 and _PHRASE_RE.search(f" {_key(line)} ")]
    # (sets where `in` could cost a scan per line, as in strip_lines)
    in_menus = set(menus) if len(menus) > 8 else menus
    in_footers = set(footers) if len(footers) > 8 else footers
    judged = [i for i, line in enumerate(lines) if line and (spaces[i] < _LONG_SPACES or i in in_menus)]
    if not phrases:  # (a key of MAX_PREFIX_WORDS spaces or more is of a line of fewer than _LONG_SPACES)
        judged = [i for i in judged if key_spaces[i] < MAX_PREFIX_WORDS or not keys[i] or i in in_footers
                  or _has_long_key_cue(lines[i])]
    filled = [i for i, line in enumerate(lines) if line and not line.isspace()]
    return spaces, keys, key_spaces, phrases, footers, marked, menus, judged, filled


#: The first characters of a ``_RATING_ENTRY`` line after its blanks.
_RATING_MARKS = "(★☆"
#: What a keyed line of ``MAX_PREFIX_WORDS`` spaces or more (so of fewer than ``_LONG_SPACES``) holds when
#: a single-line rule may take it in a document whose keys have no ``_PHRASE_RE`` match. Past every word
#: bound of ``_classify`` but the phrase rules' (16 words, ``MAX_PREFIX_WORDS``), its key too long for
#: ``FULL_LINE`` (2 * MAX_PREFIX_WORDS + 1 characters or more), and no phrase found (no menu, no
#: lexicon_phrase), only these rules look at it: the slider ones (an "x" or "X"), the photo credit (its
#: words in a line that does not end in one of ``_CREDIT_END_STOPS``: ``_classify``'s own gate), link_only
#: and contact (an "@", a ":", or a first character in ``_LINK_FIRST``) and the footer (a line of
#: ``footers``). A line without any is left open: ``_line_lists`` and ``Table.prep_lines`` leave it out of
#: ``judged``: 40.1k of the 64.3k lines strip_lines judged on the 55 MB bench corpus, a Python call each
#: (~0.8 us), where prep_lines' scan of a line costs ~0.1 us (~0.2 us if the photo credit's words, of
#: frequent letters, were looked for in all: 43.2k of the 44.1k lines scanned end in a stop). Of the 45.6k
#: keyed lines of MAX_PREFIX_WORDS spaces or more, the 130 that are chrome have a cue or are in a document
#: with a phrase. Each cue is ``(needle, guard)``: the needle does not count in a line that ends in a
#: character of its guard.
_LONG_KEY_CUES = (("x", ""), ("X", ""), ("@", ""), (":", ""),
                  ("تصوير", _CREDIT_END_STOPS), ("عدسة", _CREDIT_END_STOPS))


def _has_long_key_cue(line: str) -> bool:
    """Whether ``line`` holds one of ``_LONG_KEY_CUES`` (a guarded one only when ``line`` does not end in its
    guard) or starts with one of ``_LINK_FIRST`` after its blanks. The cues spelt out (keep in step): a test
    each is ~0.35 us a line of the bench corpus, a loop over the table ~0.8 us (``_classify`` ~0.8 us)."""
    return "x" in line or "X" in line or "@" in line or ":" in line or line.lstrip()[:1] in _LINK_FIRST \
        or line[-1:] not in _CREDIT_END_STOPS and ("تصوير" in line or "عدسة" in line)


#: ``_line_lists`` in C: the key table's ``prep_lines`` and the phrases as its needles (a phrase
#: matches as a run of whole words of a key, as ``_PHRASE_RE`` does). None without the accelerator.
_PREP_LINES = DEFAULT_KEY.native_tables()[0].prep_lines if native.AVAILABLE else None
_PHRASE_NEEDLES = native.phrases(PHRASES) if native.AVAILABLE else None
#: ``_PHRASE_RE.search(f" {_key(text)} ") is not None`` in C (None on a bail code point).
_HAS_PHRASE = DEFAULT_KEY.native_tables()[0].has_phrase if native.AVAILABLE else None
#: ``_FOOTER_WORDS`` for ``prep_lines``, each compared where its least frequent character
#: (``_FREQUENT_FIRST``) stands.
_FOOTER_NEEDLES = native.substrings(_FOOTER_WORDS, _FREQUENT_FIRST) if native.AVAILABLE else None
#: ``any(w in line for w in _FOOTER_WORDS)`` in C (``_has_footer_word``).
_FOOTER_WITHIN = _FOOTER_NEEDLES.within if native.AVAILABLE else None
#: ``prep_lines``' gate: the lines of ``MAX_PREFIX_WORDS`` key spaces or more that ``_classify`` leaves
#: open without a phrase in the document (``_LONG_KEY_CUES``).
_LONG_KEY_GATE = (native.substrings([c for c, _ in _LONG_KEY_CUES], _FREQUENT_FIRST, None, None,
                                     [guard for _, guard in _LONG_KEY_CUES]), _LINK_FIRST, MAX_PREFIX_WORDS) \
    if native.AVAILABLE else None


def _has_footer_word(line: str) -> bool:
    """Whether ``line`` holds one of ``_FOOTER_WORDS`` (one C scan for the three with the accelerator)."""
    return _FOOTER_WITHIN(line) if native.AVAILABLE else any(w in line for w in _FOOTER_WORDS)


def strip_lines(lines: Sequence[str], title: str | None = None, author: str | None = None) -> list[str | None]:
    """For each line, the rule that marks it as chrome, or None to keep it.

    Lines are expected to be cleaned text (``normalize.clean``). The headline is
    ``title`` when given, else the first line no rule strips; it is used to
    recognise title echoes further down. ``author`` (a byline field) lets a line
    that only names the author be recognised in the head and tail zones.
    """
    # Keys of long lines are only read in the head and tail zones: _line_lists skips them, the
    # zones are filled below. With the accelerator one C call (``Table.prep_lines``) fills the
    # per-line lists, searches the keys for the phrases and picks the lines to judge (_line_lists
    # is its Python twin).
    prep = _PREP_LINES(lines, _KEYED_LEN, _LONG_SPACES, _PHRASE_NEEDLES, _FOOTER_NEEDLES, _RATING_MARKS,
                       _MENU_SEPARATORS, _LONG_KEY_GATE) if native.AVAILABLE else None
    spaces, keys, key_spaces, phrases, footers, marked, _, judged, filled = \
        prep if prep is not None else _line_lists(lines)
    if len(footers) > 8:  # (most documents have none: a list; a set where `in` could cost a scan per line)
        footers = set(footers)
    # The single-line rules judge the non-empty lines but the long ones that cannot be a menu (a long
    # line is a menu or nothing: _classify) and, in a document without a phrase, the long keyed lines
    # without a cue (_LONG_KEY_CUES): 24.2k calls on the 55 MB bench corpus instead of 64.3k.
    verdicts: list[str | None] = [None] * len(lines)
    for i in judged:
        verdicts[i] = _classify(lines[i], keys[i] or None, spaces[i], key_spaces[i], phrases, i in footers)
    # filled: the lines that are not blank; open_lines: those that no single-line rule took
    open_lines = [i for i in filled if verdicts[i] is None]
    # zones count the lines no lexicon rule took: a footer does not push the signature above it out
    head = open_lines[:HEAD_ZONE]
    tail_start = open_lines[-TAIL_ZONE:][0] if open_lines else None
    tail = filled[bisect_left(filled, tail_start):] if open_lines else []  # filled is in order
    # both zones in order: the tail holds every filled line from tail_start on (head lines too),
    # so a line of the zones is in the tail if and only if it is not above tail_start
    zones = [i for i in head if i < tail_start] + tail if open_lines else []
    name = author_key(author)
    name_head = name.split(" ", 1)[0]
    first = open_lines[0] if open_lines else -1
    last = open_lines[-1] if open_lines else -1
    # Most lines of a short article are in a zone, and most are long: each rule's word bound
    # (for the author echo, the name's first word) is tested before the rule splits the key.
    for i in zones:  # every rule below is a zone rule
        if verdicts[i]:
            continue
        if not keys[i] and len(lines[i]) < _KEYED_LEN and spaces[i] >= _LONG_SPACES:
            # a long line of a zone: keyed here (the keys of lines a rule took are never read)
            keys[i] = _key(lines[i])
            key_spaces[i] = keys[i].count(" ")
        if not keys[i]:
            continue
        line, key, n_spaces = lines[i], keys[i], key_spaces[i]
        # byline_core returns the line itself when it has no arrows ("x") and no photo credit
        # (no credit word, or a last character no credit ends in: _CREDIT_END_STOPS)
        if len(line) < 200 and ("x" in line or "X" in line or line.rstrip()[-1:] not in _CREDIT_END_STOPS
                                and ("تصوير" in line or "عدسة" in line)):
            core = byline_core(line)
            if core is not line:
                line, key = core, _key(core)
                n_spaces = key.count(" ")
        if n_spaces >= MAX_BIO_WORDS and not name:
            continue  # every rule below but the author echo takes MAX_BIO_WORDS words at most
        if name and name_head in key and is_author_echo(key, name):  # an echo has the name's words
            verdicts[i] = "author_echo"
        elif i in head and n_spaces <= MAX_BYLINE_WORDS and is_head_byline(line, key):
            verdicts[i] = "head_byline"
        elif i == first and i != last and n_spaces <= 7 and is_lead_byline(line, key):
            verdicts[i] = "head_byline"
        elif i >= tail_start and i != first and n_spaces < MAX_BIO_WORDS and _STAR.match(line) and _has_bio_word(key) \
                and not _text_after(lines, keys, verdicts, i):  # is_bio_footer, its word bound first
            verdicts[i] = "bio_footer"
            for j in range(i + 1, len(lines)):  # '* الوحدة الاقتصادية' / 'بـ«الشرق الأوسط»': its paper on a line of its own
                if _PAPER_LINE.match(lines[j]):
                    verdicts[j] = "bio_footer"
                elif lines[j].strip():
                    break
        elif i >= tail_start and i != first and n_spaces <= 9 and _POET_CREDIT.match(line):
            verdicts[i] = "byline"
        elif i == last and i != first and line.lstrip()[:1] in "-–—" and _has_bio_word(key) \
                and not _after_list_entry(lines, open_lines, i):
            verdicts[i] = "bio_footer"  # '- عضو جمعية التاريخ والآثار ...' under the text, not a list's last entry
        elif i >= tail_start and i != first and (n_spaces < MAX_BYLINE_WORDS or i == last and n_spaces < 8) \
                and is_signature(line, key, last=i == last) \
                and not (lines[i].lstrip()[:1] in "-–—" and _after_list_entry(lines, open_lines, i)):
            verdicts[i] = "signature"  # a dash-led name under another dash-led line is a list's last entry
    # the signature rules need a label as the last open line: most documents end in running text
    last_open = None
    for i in reversed(tail):
        if verdicts[i] is None:
            last_open = i
            break
    signed = last_open is not None and keys[last_open] != "" and key_spaces[last_open] <= 7
    if signed:
        _name_signature(lines, keys, verdicts, tail)
    _tail_blocks(lines, keys, verdicts, tail)
    if signed:
        _desk_signature(lines, keys, verdicts, tail)
    title_idx = None
    if title is None:
        for i in filled:
            if verdicts[i] is None:
                title, title_idx = lines[i], i
                break
    # The headline is keyed at the first line that may echo it: most documents have none, and
    # the headline taken from the text is often a long paragraph. An empty key echoes nothing.
    # Only the lines open after the single-line rules may be open now (a verdict is never undone),
    # and a blank line has an empty key.
    title_key = title_head = None
    for i in open_lines:
        if spaces[i] < 2 * MAX_ECHO_WORDS and verdicts[i] is None and i != title_idx and keys[i]:
            if title_key is None:
                title_key = match_key(title) if title else ""
                # an echo starts with the headline's first word: a substring test before the split
                title_head = title_key.split(" ", 1)[0]
            if title_head in keys[i] and is_title_echo(keys[i], title_key):
                verdicts[i] = "title_echo"
    if open_lines:
        end = filled[-1]  # a text that ends in an open line of more than five words has no trailing label
        if verdicts[end] is not None or key_spaces[end] <= 5:
            _trailing_labels(lines, keys, verdicts, filled)
        _document_furniture(lines, keys, verdicts, filled, tail, title or "", title_idx, key_spaces, spaces, marked)
    return verdicts


def _document_furniture(lines: Sequence[str], keys: Sequence[str], verdicts: list[str | None],
                        filled: Sequence[int], tail: Sequence[int], title: str, title_idx: int | None,
                        key_spaces: Sequence[int], spaces: Sequence[int], marked: int) -> None:
    """Chrome that only a run of lines or a neighbour gives away (``key_spaces[i]`` is ``keys[i].count(" ")``,
    ``spaces[i]`` is ``lines[i].count(" ")`` or, for a line with more, a count of ``_LONG_SPACES`` or more;
    ``marked`` is how many lines have a first non-blank character in ``_RATING_MARKS``: ``_line_lists``).

    - ``link_label``: a short line ending in ``:`` that names a link (``'رابط المقال الأول للكاتب:'``,
      ``'للمزيد من المعلومات:'``) when the next line is the bare link.
    - ``rating_legend``: three or more ``'(***) جيد'`` lines in a row, in a document whose tail zone
      holds a ``'*)'`` or a ``'★'`` (the star key that closes a review; the run itself may stand anywhere).
    - ``series_list``: the links to the other instalments of a series at the end of one
      (``'مذكرات فاتن حمامة (6): ...'`` under the headline ``'... فاتن حمامة (8): ...'``).
    - ``caption``: a photo caption (``is_caption``) as the first line of the text or in the
      tail zone, and a trailing gallery: three or more short captions each set off by blank
      lines after a body written without blank lines; or, without caption wording, one such
      line after a body without blank lines, or two after any body, when every body line is
      running text of ``CAPTION_BODY_WORDS`` words or more (``_is_bare_caption``).
    """
    # link labels: the line before a stripped link
    if "link_only" in verdicts:
        for k, i in enumerate(filled[1:], 1):
            prev = filled[k - 1]
            if verdicts[i] == "link_only" and verdicts[prev] is None and lines[prev].rstrip().endswith(":"):
                words = keys[prev].split()
                if 1 <= len(words) <= 12 and any(w in LINK_LABEL_WORDS for w in words):
                    verdicts[prev] = "link_label"
    # star-rating legends (a review's key closes it): a run of entries anywhere, once the tail zone
    # shows a legend mark ('*)' or '★'; a legend written with '☆' only is not taken).
    # A _RATING_ENTRY line starts with "(", "★" or "☆" after its blanks (``\s`` is what
    # str.lstrip strips): without three such lines there is no run, and no scan of the zone.
    # (marked counts them over all lines: a line with a non-blank character is filled, and one
    # of blanks only is not, nor does it key to anything.)
    if marked >= 3:
        tail_text = "\n".join([lines[i] for i in tail])  # two scans of the zone, not two per line
        if "*)" in tail_text or "★" in tail_text:
            run: list[int] = []
            for i in filled + [-1]:
                if i >= 0 and verdicts[i] is None and _RATING_ENTRY.match(lines[i]):
                    run.append(i)
                    continue
                if len(run) >= 3:
                    for j in run:
                        verdicts[j] = "rating_legend"
                run = []
    # links to the other instalments of a series, at the end of one: the last open lines are
    # matched before the headline is searched (most texts end in a paragraph of more than 25
    # words, where the matching stops)
    entries = []
    for i in reversed(filled):
        if verdicts[i] is not None:
            continue
        m = _SERIES_ENTRY.match(lines[i]) if spaces[i] <= 25 and "(" in lines[i] else None
        if not m:
            break
        entries.append((i, m))
    if len(entries) >= 2 and "(" in title and _INSTALMENT.search(title):
        title_words = set(match_key(title).split())
        words = [match_key(m.group(1)).split() for _, m in entries]
        tails = {tuple(w[-2:]) for w in words if len(w) >= 2}
        if len(tails) == 1 and set(next(iter(tails))) <= title_words:
            for i, _ in entries:
                verdicts[i] = "series_list"
    # captions: the first line of the text and the tail zone
    for first in filled:
        if verdicts[first] is None:
            break
    else:
        return
    for i in reversed(filled):
        if verdicts[i] is None:
            break
    if i == first:
        return
    for i in (first, *tail):  # first may come twice: is_caption says the same of it
        if key_spaces[i] < MAX_CAPTION_WORDS and verdicts[i] is None and i != title_idx and keys[i] \
                and is_caption(lines[i], keys[i]):
            verdicts[i] = "caption"
    if verdicts[first] is None and title_idx is None and title and key_spaces[first] <= 5 \
            and (((keys[first] + " ").startswith(FIRST_CAPTION_OPENERS) or _SPEAKER_CUE.match(lines[first]))
                 and _is_label(lines[first], keys[first])
                 or _is_subject_caption(lines, keys, verdicts, filled, first, title)):
        verdicts[first] = "caption"
    # a trailing gallery: short captions, each between blank lines, after a body without blank lines
    gallery = []
    captioned = 0  # captions already found by their wording inside the trailing run
    for i in reversed(filled):
        if verdicts[i]:
            if verdicts[i] == "caption" and i > 0 and not lines[i - 1].strip():
                captioned += 1
            continue
        key = keys[i]
        if i == 0 or lines[i - 1].strip() or not key or key.count(" ") >= 8 \
                or _GALLERY_PUNCT.search(lines[i].lstrip(" .…")):  # '.. ويودع العسكريين' continues a caption
            break
        gallery.append(i)
    if gallery and len(gallery) + captioned >= 2:
        body = [i for i in filled if i < gallery[-1]]
        gaps = sum(1 for a, b in zip(body, body[1:]) if b - a > 1)
        # three or more: a body with at most one blank line; two: a body without any, of
        # three or more lines of running text
        if len(gallery) + captioned >= 3 and len(body) >= 2 and gaps <= 1 \
                or gaps == 0 and len(body) >= 3 and all(
                    verdicts[i] or lines[i].strip().count(" ") + 1 >= CAPTION_BODY_WORDS for i in body):
            for i in gallery:
                verdicts[i] = "caption"
            return
        if len(gallery) + captioned >= 3:
            return
    # one or two bare captions (no caption wording) after a body of running text only: every
    # open line a paragraph of CAPTION_BODY_WORDS words or more, and for one caption a body
    # written without blank lines. The tests on the one or two lines first (they fail on most
    # documents), then those on the body.
    if not gallery or not all(_is_bare_caption(keys[i]) and not LIST_MARK.match(lines[i]) for i in gallery):
        return
    body = [i for i in filled if i < gallery[-1]]
    if len(gallery) == 1 and any(b - a > 1 for a, b in zip(body, body[1:])):
        return
    open_body = [i for i in body if verdicts[i] is None]
    if open_body and all(lines[i].strip().count(" ") + 1 >= CAPTION_BODY_WORDS for i in open_body):
        for i in gallery:
            verdicts[i] = "caption"


def _bare(word: str) -> str:
    """A key word without its article, so ``'الاتحاد'`` and ``'اتحاد'`` compare equal."""
    return word[2:] if word.startswith("ال") and len(word) > 4 else word


def _is_subject_caption(lines: Sequence[str], keys: Sequence[str], verdicts: list[str | None],
                        filled: Sequence[int], first: int, title: str) -> bool:
    """The first line is the caption of the story's photo without caption wording, over running text
    only (every other open line has ``SUBJECT_BODY_WORDS`` words or more, the one below
    ``CAPTION_BODY_WORDS``, so a sub-heading over a section is not taken), without sentence
    punctuation, digits or list mark:

    - one to ``MAX_BARE_FIRST_WORDS`` words (``'تسيبراس'``, ``'رجا العتيبي'``, ``'أثناء الاستقبال'``,
      ``'لون المزمار'``): a bare name or subject the text needs no heading for; not a section
      heading (``'الفصل السابع'``, first word in ``SECTION_WORDS``);
    - or up to six words naming its subject (``'وزير الشؤون البلدية'``, ``'جماهير الهلال'``), every
      one of them in the headline or in the paragraph below.
    """
    words = keys[first].split()
    line = lines[first]
    if not words or words[0] in FUNCTION_WORDS or _SENTENCE_PUNCT.search(line) or _HAS_DIGIT.search(line) \
            or LIST_MARK.match(line):
        return False
    bare = len(words) <= MAX_BARE_FIRST_WORDS
    if bare and words[0] in SECTION_WORDS or not bare and len(words) < 2:
        return False
    rest = [i for i in filled if i > first and verdicts[i] is None]
    if not rest:
        return False
    below = keys[rest[0]] or _key(lines[rest[0]])
    if below.count(" ") + 1 < CAPTION_BODY_WORDS:
        return False
    if any(lines[i].strip().count(" ") + 1 < SUBJECT_BODY_WORDS for i in rest):
        return False
    if bare:
        return True
    pool = {_bare(w) for w in (match_key(title) + " " + below).split()}
    named = [w for w in words if w not in FUNCTION_WORDS]
    return bool(named) and all(_bare(w) in pool for w in named)


#: Every open line after a subject caption (``_is_subject_caption``) has at least this many words.
SUBJECT_BODY_WORDS = 6
#: A first line of this many words or fewer over running text only is a caption without a word test.
MAX_BARE_FIRST_WORDS = 2
#: First words of a section heading (a chapter of a serialised book, an episode), not a caption.
SECTION_WORDS = frozenset(match_key(
    "الفصل فصل الحلقة حلقة الجزء جزء الباب باب المقدمة مقدمة الخاتمة خاتمة تمهيد المحور القسم الحكاية").split())


def _tail_blocks(lines: Sequence[str], keys: Sequence[str], verdicts: list[str | None], tail: Sequence[int]) -> None:
    """Short label lines inside a tail signature block are chrome too.

    ``'أ.د. طارق الحبيب' / 'بروفيسور واستشاري الطب النفسي' / ... / 'ويتلقى ... البريد'`` and
    ``'* أستاذ العلوم السياسية' / 'في جامعة محمد الخامس'``: a label line (short, no
    sentence punctuation) in the tail zone after a stripped line is stripped when
    every line after it is chrome or another label.
    """
    for k, i in enumerate(tail):
        if verdicts[i] and verdicts[i] != "title_echo":
            break
    else:
        return
    rest = tail[k + 1:]
    if all(verdicts[i] or _is_label(lines[i], keys[i]) or _is_bio_line(lines[i], keys[i]) for i in rest):
        for i in rest:
            if verdicts[i] is None:
                verdicts[i] = "signature_block"


#: A list entry's mark: a dash or bullet, or a number with its closer (``'1- '``, ``'(2'``).
LIST_MARK = re.compile(r"^\s*(?:[-–—•*▪●]|\d+\s*[-.)]|[(]\d)")


def _after_list_entry(lines: Sequence[str], open_lines: list[int], i: int) -> bool:
    """Is the open line above open line ``i`` (not the first) a list entry (``LIST_MARK``)?"""
    return bool(LIST_MARK.match(lines[open_lines[open_lines.index(i) - 1]]))


def _is_bio_line(line: str, key: str) -> bool:
    """A bio under a signature that closes with a full stop: ``'أستاذ ... المساعد في جامعة الإمام.'``
    (led by a ``BIO_OPENERS`` word, a label once the stop is gone)."""
    end = line.rstrip()
    return end.endswith(".") and not end.endswith("..") and (_lead(key) + " ").startswith(BIO_OPENERS) \
        and _is_label(end[:-1], key)


def _text_after(lines: Sequence[str], keys: Sequence[str], verdicts: list[str | None], i: int) -> bool:
    """Does running text (a line no rule took so far that is not a short label, nor a bio's paper on a
    line of its own, ``_PAPER_LINE``) follow line ``i``? A footer closes the text: ``'* قسم الطوارئ'``
    with a paragraph under it is a sub-heading."""
    return any(lines[j].strip() and not verdicts[j] and not _is_label(lines[j], keys[j] or _key(lines[j]))
               and not _PAPER_LINE.match(lines[j]) for j in range(i + 1, len(lines)))


#: The paper of a desk or bio footer on the line under it: ``'بـ«الشرق الأوسط»'``, ``'في «الجزيرة»'``.
_PAPER_LINE = re.compile(r"^\s*(?:بـ|ب|في|لـ|ل|لدى)\s*«[^«»\n]{2,30}»\s*\.?\s*$")


def _lead(key: str) -> str:
    """``key`` without a leading token that has no letter (a stray control character or mark)."""
    return key.split(" ", 1)[1] if key[:1] and not key[:1].isalpha() and " " in key else key


def _is_name_line(line: str, key: str) -> bool:
    """A signature name: two to four name words (six with بن / آل), maybe after titles
    (``'الدكتور/ عبد العزيز بن عبد الله الأحمد'``, ``'زياد عيتاني'``); no digits, no sentence
    punctuation, no function word, not led by the conjunction و (a given name such as ``'وليد'`` may start
    with it). The first name must look like one:
    a title before it, a given name (``GIVEN_NAMES``), عبد / أبو, or بن / آل inside."""
    words = _lead(key).split()
    names = [w for w in words if w not in NAME_TITLES]
    titled = len(names) < len(words)
    if not 2 <= len(names) <= 6 or any(w in FUNCTION_WORDS for w in names) \
            or names[0].startswith("و") and names[0] not in GIVEN_NAMES \
            or _HAS_DIGIT.search(line) or _has_sentence_punct(line.replace("/", " ")):
        return False
    joined = any(w in _NAME_JOINERS for w in names)
    if len(names) > 4 and not joined:
        return False
    return titled or joined or names[0] in GIVEN_NAMES or names[0].startswith(_NAME_LEADS)


#: Words of the running-text line above a name signature: a decree or a letter quoted in full ends in a
#: short formula before its signatory (``'والله ولي التوفيق.'`` / ``'سلمان بن عبدالعزيز آل سعود'``).
MIN_SIGNED_TEXT_WORDS = 6

#: First words of a label that names an attached file (``'ملف الوظائف'``, ``'تحميل النموذج:'``).
ATTACHMENT_WORDS = frozenset(match_key("مرفق المرفق مرفقات المرفقات ملف الملف ملفات تحميل لتحميل للتحميل تنزيل "
                                       "لتنزيل pdf").split())


def _trailing_labels(lines: Sequence[str], keys: Sequence[str], verdicts: list[str | None], filled: Sequence[int]) -> None:
    """Labels whose link or widget the scrape left out, at the very end of the text:

    - ``attachment_label``: a short line led by a file word (``ATTACHMENT_WORDS``: ``'ملف ...'``,
      ``'تحميل ...'``) with only chrome or other such labels after it;
    - ``dangling_label``: the last open line, one to four words ending in a dash or a colon
      (``'بنود مترابطة -'``), no digits.
    """
    for last in reversed(filled):
        if verdicts[last] is None:
            break
    else:
        return
    end = lines[last].rstrip()
    if end[-1:] in "-–—:" and "link_only" not in verdicts[last:] and keys[last] and keys[last].count(" ") < 4 and not _HAS_DIGIT.search(end) \
            and not _SENTENCE_PUNCT.search(end[:-1]):
        verdicts[last] = "dangling_label"
        return
    for i in reversed(filled):
        if verdicts[i] is not None:
            continue
        key = keys[i]
        if not key or key.count(" ") > 5 or key.split(" ", 1)[0] not in ATTACHMENT_WORDS \
                or _SENTENCE_PUNCT.search(lines[i].rstrip().rstrip(":")):
            return
        verdicts[i] = "attachment_label"


def _name_signature(lines: Sequence[str], keys: Sequence[str], verdicts: list[str | None], tail: Sequence[int]) -> None:
    """A columnist's name signing the text when the author field is empty or spelled otherwise:
    the last open lines of the tail zone are one to three label lines (short, no sentence
    punctuation, no digits, no list mark) after a line of running text, and the first of them is a
    name (``_is_name_line``). The name line is stripped here, the label lines under it (title,
    affiliation) by ``_tail_blocks``. A closing sentence (``'والله الموفق'``) is no name; a list of
    names at the end follows other short lines."""
    block: list[int] = []
    before = None
    for i in reversed(tail):  # most documents end in running text: the first test fails
        if verdicts[i] is not None:
            continue
        if len(block) == 3 or not _is_label(lines[i], keys[i]) or LIST_MARK.match(lines[i]) \
                and not (len(block) == 1 and _STAR.match(lines[i]) and _has_bio_word(keys[block[0]])):
            before = i
            break
        block.append(i)  # '* أحمد جميل عاشور' over 'باحث سعودي': a star-led name over a bio is no list entry
    if len(block) == 3 and _is_label(lines[block[1]], keys[block[1]]):
        # a poem signed by its poet: every line a short verse, the last one a name under a verse
        # of MIN_SIGNED_TEXT_WORDS words or more that is no name itself
        last, verse = block[0], block[1]
        if lines[verse].strip().count(" ") + 1 >= MIN_SIGNED_TEXT_WORDS and not lines[verse].rstrip().endswith(":") \
                and not _is_name_line(lines[verse], keys[verse]) and not _HAS_DIGIT.search(lines[last]) \
                and _is_name_line(lines[last], keys[last]) and not LIST_MARK.match(lines[verse]):
            verdicts[last] = "name_signature"
            return
    if not block or before is None or _is_label(lines[before], keys[before]) \
            or lines[before].strip().count(" ") + 1 < MIN_SIGNED_TEXT_WORDS or lines[before].rstrip().endswith(":"):
        return  # a list of names under 'كل من:' is content
    first = block[-1]
    if not _HAS_DIGIT.search(lines[first]) and _is_name_line(lines[first], keys[first]):
        verdicts[first] = "name_signature"


def _desk_signature(lines: Sequence[str], keys: Sequence[str], verdicts: list[str | None], tail: Sequence[int]) -> None:
    """A desk or ministry signing the text at its end, without a name line before it:
    ``'إدارة العلاقات العامة والإعلام' / 'بوزارة الشؤون البلدية والقروية'`` under a reply to
    the paper. The last open lines of the tail zone: one to three label lines (short, no sentence
    punctuation, no digits, no list mark), the first led by a desk word (``DESK_OPENERS``), after
    a line of running text. A list of bodies at the end of an article is content: its entries
    are marked or follow other short lines."""
    block: list[int] = []
    before = None  # the open line above the block
    for i in reversed(tail):  # most documents end in running text: the first test fails
        if verdicts[i] is not None:
            continue
        if len(block) == 3 or not _is_label(lines[i], keys[i]) or _HAS_DIGIT.search(lines[i]) \
                or LIST_MARK.match(lines[i]):
            before = i
            break
        block.append(i)
    if not block:
        return
    block.reverse()
    start = next((k for k, i in enumerate(block) if (_lead(keys[i]) + " ").startswith(DESK_OPENERS)
                  or (_lead(keys[i]) + " ").startswith(BIO_OPENERS)), None)
    if start is None:
        return
    if start > 0:
        before = block[start - 1]
    if before is None or _is_label(lines[before], keys[before]):
        return
    for i in block[start:]:
        verdicts[i] = "desk_signature"


# --- inline trimming -----------------------------------------------------------

#: Footers that may be glued after real text; the trimmed tail starts at the first of them.
_FOOTERS = ("للتواصل مع الكاتب", "للتواصل أرسل", "للتواصل ارسل", "مقالات أخرى للكاتب", "مقالات اخرى للكاتب",
            "رابط الخبر بصحيفة")
#: ``_FOOTERS`` as one regex (``_first_footer`` finds the same start with ``str.find``).
_FOOTER_START = re.compile("|".join(map(re.escape, _FOOTERS)))
#: sabq's lead-in ``'<name>- سبق- <city>:'`` and the like (a name, an outlet credit, a place, a colon).
_LEAD_IN = re.compile(r"^\s*[^\s:.،؟!][^:.،؟!\n]{0,60}?\s*[-–—]\s*(?:سبق|عين اليوم|واس|الوئام)\s*[-–—]\s*"
                      r"[^:.،؟!\n]{1,40}?:\s*")
_PLACE_ALT = "|".join(sorted((re.escape(p.strip()) for p in _SEP.split(_PLACES) if p.strip()), key=len, reverse=True))
#: A head byline glued to the first sentence: ``'أحمد حجازي – عين اليوم مع اقتراب ...'``,
#: ``'عين اليوم – متابعات أزاحت شركة ...'``, ``'أحمد البشيري-الباحة أقامت ...'``.
_HEAD_LEAD_IN = re.compile(rf"^\s*(?:(?:\w+\s+){{0,3}}\w+\s*[-–—]\s*)?(?:عين اليوم|{_PLACE_ALT})"
                           rf"(?:\s*[-–—]\s*(?:{_PLACE_ALT}))?(?=\s)\s+")
#: Necessary for a ``_LEAD_IN`` match (besides a colon in the line): its first dash comes before
#: any of ``:.،؟!``, so the first of those characters or a dash in the line is a dash (a scan
#: that stops there).
_LEAD_IN_HINT = re.compile(r"[^:.،؟!\-–—]*+[-–—]")
#: Necessary for a ``_HEAD_LEAD_IN`` match that trim_line uses (one with a dash): the match is
#: words, spaces and dashes only, so the first character of the line that is neither a word
#: character nor a space is a dash.
_HEAD_LEAD_IN_HINT = re.compile(r"[\w\s]*+[-–—]")
#: 3alyoum's tag list after the last sentence: ``'... مستمرا. سمات الصين ايفون بكين'``.
_TAG_TAIL = re.compile(r"(?<=[.!؟?»\"”)\]…])\s*سمات\s+[^.!؟?:«»\"“”]{1,200}$")
#: The characters ``_TAG_TAIL``'s last class excludes. A match ends with a character of that class
#: at the end of the line, or before a final newline (not one of these): a line that ends in one
#: of them (most end in a full stop) has no tag tail.
_TAG_TAIL_STOPS = '.!؟?:«»"“”'
_EMAIL_ARTIFACT = re.compile(r"\s*\[email\s?protected\]\s*(?:/\*\s*\*/)?\s*")
_TEXTLIKE = re.compile(r"[\u0600-\u06FF]{2,}")

#: Rule names trim_line may return, joined with "+" when several apply (the line is kept, a part cut).
TRIM_RULES = frozenset({"tag_tail", "footer_tail", "lead_in", "email_artifact", "navigation_prefix", "cta_tail"})



def _footer_start(line: str) -> int | None:
    if not _has_footer_word(line):
        return None
    return _first_footer(line)


def _first_footer(line: str) -> int | None:
    """Where ``_FOOTER_START.search(line)`` starts, or None: the least start of a ``_FOOTERS``
    phrase. One ``str.find`` per phrase is a few times faster than the regex scan, which tries
    the alternation at every ل, م and ر of the line."""
    starts = [i for i in map(line.find, _FOOTERS) if i >= 0]
    return min(starts) if starts else None


#: What ``_has_text_before`` removes besides links: e-mails, ``تويتر:`` labels, ``x.com`` names.
_CONTACT = re.compile(r"[\w.+-]+@[\w-]+\.[a-zA-Z]{2,4}|تويتر\s*:?|twitter\s*:?|[@\w.]+\.com", re.I)
#: ``_CONTACT`` without the e-mail and ``.com`` alternatives, for a text with no ``@`` and no
#: ``.com``, where they cannot match: they backtrack through every word of a long prefix
#: (~80 µs a line); the removals are the same.
_CONTACT_LABEL = re.compile(r"تويتر\s*:?|twitter\s*:?", re.I)
_DOT_COM = re.compile(r"\.[cC][oO][mM]")


def _has_text_before(prefix: str) -> bool:
    """Does real text precede a glued footer (not just an e-mail or ``تويتر:``)?"""
    rest = _LINK_ONLY.sub("", prefix.strip())
    if "@" in rest or _DOT_COM.search(rest):
        rest = _CONTACT.sub("", rest)
    elif "تويتر" in rest or "t" in rest or "T" in rest:
        # A _CONTACT_LABEL match has تويتر or a "t" or "T" (re.I matches a "t" of "twitter" to
        # nothing else). Without a literal to skip to, the regex tries every position of the prefix.
        rest = _CONTACT_LABEL.sub("", rest)
    return _has_textlike(rest, 3)


def _has_textlike(text: str, n: int) -> bool:
    """``len(_TEXTLIKE.findall(text)) >= n`` (``n >= 1``), without reading past the n-th match."""
    for k, _ in enumerate(_TEXTLIKE.finditer(text), 1):
        if k == n:
            return True
    return False


#: What a rule of ``trim_line`` needs in the line, by group: an ``x`` (navigation_prefix), a colon (lead_in,
#: with ``_LEAD_IN_HINT``), a dash (lead_in in the head), ``سمات`` in a line that does not end in one of
#: ``_TAG_TAIL_STOPS`` (tag_tail), or any of the others (email_artifact, footer_tail, and cta_tail's prompts,
#: which count in the last 16 characters only, as there). ``_TRIM_FLAGS(line)`` is the OR of the groups of
#: the needles in ``line`` (a needle is ``(text, group, window, guard)``: see ``native.substrings``).
#: ``سمات``'s letters are too frequent to anchor the scan of every line; its guard leaves it to the few
#: lines that do not end in one of ``_TAG_TAIL_STOPS`` (6.7k of the 85.7k content lines of the 55 MB bench
#: corpus), where C looks for it apart: no measurable cost in ``trim_lines``' scan, where a Python test
#: per line (or ``in`` the whole text) costs ~27 ms over that corpus.
_HAS_X, _HAS_COLON, _HAS_DASH, _HAS_OTHER, _HAS_TAG = 1, 2, 4, 8, 16
_TRIM_NEEDLES = (("x", _HAS_X, 0, ""), ("X", _HAS_X, 0, ""), (":", _HAS_COLON, 0, ""), ("-", _HAS_DASH, 0, ""),
                 ("–", _HAS_DASH, 0, ""), ("—", _HAS_DASH, 0, ""), ("protected]", _HAS_OTHER, 0, ""),
                 *((w, _HAS_OTHER, 0, "") for w in _FOOTER_WORDS),
                 ("هنا", _HAS_OTHER, 16, ""), ("ere", _HAS_OTHER, 16, ""), ("ERE", _HAS_OTHER, 16, ""),
                 ("سمات", _HAS_TAG, 0, _TAG_TAIL_STOPS))
#: (Each needle anchored at its rarest character: ``"protected]"`` at its bracket, ``"خرى للكاتب"`` at its خ.)
_TRIM_SCAN = native.substrings([n for n, _, _, _ in _TRIM_NEEDLES], "ى" + _FREQUENT_FIRST + "r]R",
                               [g for _, g, _, _ in _TRIM_NEEDLES], [w for _, _, w, _ in _TRIM_NEEDLES],
                               [u for _, _, _, u in _TRIM_NEEDLES]) if native.AVAILABLE else None
_TRIM_FLAGS = _TRIM_SCAN.flags if native.AVAILABLE else None
#: ``_TRIM_SCAN.flags_lines``: the flags of all the lines of a document in one call, ``_IN_HEAD`` added
#: to the lines of the head zone.
_TRIM_FLAGS_LINES = _TRIM_SCAN.flags_lines if native.AVAILABLE else None
_IN_HEAD = 32
#: What ``trim_lines`` does with a line, by its ``_TRIM_FLAGS_LINES`` byte (``_trim_action``): 0 nothing,
#: else look (``_LOOK``), with ``head=True`` (``_HEAD``), only for a lead-in (``_LEAD_ONLY``).
_LOOK, _HEAD, _LEAD_ONLY = 1, 2, 4


def _trim_action(f: int) -> int:
    """What ``trim_lines`` does with a line of flags ``f`` (and ``_IN_HEAD`` in the head zone).

    0 when ``trim_line`` returns the line unchanged at its first test: no x, no other needle, no tag,
    and a dash only past the head, or with a colon (``_LEAD_IN_HINT`` needs a dash: a colon alone cuts
    nothing). ``_LEAD_ONLY`` when the line has a dash (and maybe a colon) but no other needle: only the
    lead-in can be cut, and ``trim_line`` cuts what ``_lead_in_end`` says (no x, so no navigation prefix
    before it; after it, a suffix of the line has no needle the line lacks, the same end, so the same
    last 16 characters and the same last character: no other rule applies). Its other tests, a few µs
    on a long line, are skipped: on the bench corpus 4.6k lines are lead-in only (3.7k of them in the
    head zone, where a dash is common), 370 of them cut.
    """
    head = _HEAD if f & _IN_HEAD else 0
    if f & (_HAS_X | _HAS_OTHER | _HAS_TAG):
        return _LOOK | head
    if f & _HAS_DASH and (head or f & _HAS_COLON):
        return _LOOK | _LEAD_ONLY | head
    return 0


#: ``_trim_action`` of every byte, for ``bytes.translate``.
_TRIM_ACTIONS = bytes(map(_trim_action, range(256)))


def _lead_in_end(line: str, head: bool) -> int | None:
    """Where the lead-in ``trim_line`` cuts from ``line`` ends (``_LEAD_IN``; in the head also
    ``_HEAD_LEAD_IN`` with a dash), or None."""
    # cheap rejections first: one-character tests (a colon, a dash) are ~20x cheaper than a
    # scan for a word, the hints stop at the first punctuation
    m = _LEAD_IN.match(line) if ":" in line and _LEAD_IN_HINT.match(line) else None
    if m is None and head and ("-" in line or "–" in line or "—" in line) and _HEAD_LEAD_IN_HINT.match(line):
        m = _HEAD_LEAD_IN.match(line)
    if m and len(line) - m.end() > 40 and (m.re is _LEAD_IN or _DASHES.search(m.group())):
        return m.end()
    return None


def trim_line(line: str, head: bool = False) -> tuple[str, str | None]:
    """Cut chrome glued to real text; ``(line, None)`` when nothing is cut.

    >>> trim_line('التحقيق لا يزال مستمرا. سمات الصين ايفون بكين')
    ('التحقيق لا يزال مستمرا.', 'tag_tail')
    >>> trim_line('مهنا التميمي-سبق-الجوف: انطلق فريق نخبة الشمال التطوعي في حملة لتنظيف الشواطئ')
    ('انطلق فريق نخبة الشمال التطوعي في حملة لتنظيف الشواطئ', 'lead_in')
    """
    if native.AVAILABLE:
        # one C scan for what each rule needs in the line (_TRIM_NEEDLES): most lines have none, and
        # nothing is cut from them (the tests below are the same, on the line as cut so far)
        f = _TRIM_FLAGS(line)
        if not f & (_HAS_X | _HAS_OTHER | _HAS_TAG) and not (f & _HAS_DASH and head) \
                and not (f & _HAS_COLON and _LEAD_IN_HINT.match(line)):
            return line, None
    rules = []
    m = _NEXT_PREVIOUS.match(line) if "x" in line or "X" in line else None
    if m and _TEXTLIKE.search(line[m.end():]):
        line, _ = line[m.end():], rules.append("navigation_prefix")
    lead = _lead_in_end(line, head)
    if lead is not None:
        line, _ = line[lead:], rules.append("lead_in")
    if "]" in line and "protected]" in line:
        new = _EMAIL_ARTIFACT.sub(" ", line).strip()
        if new != line.strip():
            line, _ = new, rules.append("email_artifact")
    start = _footer_start(line)  # (most lines have no footer word: one scan, no finds)
    if start is not None and _has_text_before(line[:start]):
        line, _ = line[:start].rstrip(), rules.append("footer_tail")
    end = line[-16:]  # a prompt closes the line: test its end only (_cta_hint inlined)
    if "هنا" in end or "e" in end and "ere" in end or "E" in end and "ERE" in end:
        cut = cta_tail_start(line)
        if cut is not None:
            line, _ = line[:cut], rules.append("cta_tail")
    # the scan costs, the literal is rare; the last character first (_TAG_TAIL_STOPS)
    m = _TAG_TAIL.search(line) if line[-1:] not in _TAG_TAIL_STOPS and "سمات" in line else None
    if m and m.start() > 0 and m.group().count(" ") <= 20:
        line, _ = line[:m.start()].rstrip(), rules.append("tag_tail")
    return line, ("+".join(rules) if rules else None)


def trim_lines(lines: list[str], skip=None) -> list[tuple[int, str, str]]:
    """``trim_line`` over the lines that are not empty and not in ``skip`` (a container of indexes, or
    None), the first ``HEAD_ZONE`` of them with ``head=True``: ``(index, line as cut, rule)`` of each line
    cut, in order (``StripStep.process``).

    With the accelerator, one C call scans all the lines for what the rules need (``_TRIM_FLAGS_LINES``),
    and only the lines ``_trim_action`` says may be cut are looked at: on the 55 MB bench corpus 6.6k of
    85.7k content lines, 1.9k of them through ``trim_line`` and 4.6k through ``_lead_in_end`` alone. The
    others come back unchanged from ``trim_line``'s first test, but its call, its C call and the tuple cost
    ~0.4 µs a line. The loop of ``StripStep.process`` over that corpus, in one process: 0.117 s -> 0.079 s
    (of which the scan ~34 ms, reading the lines from memory first, and the cuts' rules ~40 ms). The pure
    path is the loop it replaces.
    """
    if not native.AVAILABLE:
        cut, content = [], 0
        skip = () if skip is None else skip
        for i, line in enumerate(lines):
            if line and i not in skip:
                new, rule = trim_line(line, head=content < HEAD_ZONE)
                content += 1
                if rule:
                    cut.append((i, new, rule))
        return cut
    actions = _TRIM_FLAGS_LINES(lines, skip, HEAD_ZONE, _IN_HEAD).translate(_TRIM_ACTIONS)
    cut = []
    for i in compress(count(), actions):
        line, action = lines[i], actions[i]
        if action & _LEAD_ONLY:
            lead = _lead_in_end(line, action & _HEAD != 0)
            if lead is not None:
                cut.append((i, line[lead:], "lead_in"))
        else:
            new, rule = trim_line(line, action & _HEAD != 0)
            if rule:
                cut.append((i, new, rule))
    return cut
