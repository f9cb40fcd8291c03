"""Line classifiers for site chrome (share / print / subscribe widgets, bylines...).

Every rule works on the *match key* of a line, so spelling variants (hamza,
teh marbuta, diacritics, tatweel) of a chrome phrase match too. A classifier
returns the name of the rule that fired, so a user can audit every decision.
Content precision matters more than chrome recall: each rule is bounded by a
line length so that a sentence which merely mentions a chrome word survives.
"""
from __future__ import annotations

import re
from typing import Sequence

from .normalize import DEFAULT_KEY, match_key

_key = DEFAULT_KEY.key_of_clean

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
جميع الحقوق محفوظة | حقوق النشر محفوظة | حمل التطبيق | تحميل التطبيق
share | print | tweet | email | comments | related articles | read more | subscribe | advertisement | home
facebook | twitter | whatsapp | telegram | linkedin | instagram | youtube | partager | imprimer | commentaires
"""

#: A short line that starts with one of these phrases is chrome ("اقرأ أيضا: ...").
_PREFIXES = """
اقرأ أيضا | اقرأ ايضا | إقرأ أيضاً | اقرأ كذلك | شاهد أيضا | شاهد ايضا | طالع أيضا | ذات صلة | مقالات ذات صلة
تابعونا على | تابعنا على | تابعوا | تابعونا عبر | تابعنا عبر | لمتابعة آخر الأخبار | حمل تطبيق | حملوا تطبيق
كلمات مفتاحية | الكلمات المفتاحية | الوسوم | وسوم | الكلمات الدالة | سمات | التصنيفات | تصنيف | الأقسام
المصدر | مصدر الخبر | بقلم | كتب | كتبت | إعداد | اعداد | ترجمة | تحرير | تصوير | آخر تحديث | تاريخ النشر
نشر في | نشر بتاريخ | حقوق النشر | جميع الحقوق | حقوق الطبع | للتواصل | لمزيد من المعلومات | للاشتراك
read also | related | tags | follow us | source | copyright | all rights reserved | posted on | updated
"""

#: Phrases that mark a line as chrome wherever they occur (unambiguous widgets).
_PHRASES = """
شاركنا رأيك | شاركونا آراءكم | شاركنا برأيك | أخبرنا رأيك في التعليقات | اترك تعليقك | ما رأيك
جميع الحقوق محفوظة | جميع حقوق النشر محفوظة | الحقوق محفوظة
انشئ حسابا خاصا بك | أنشئ حسابك | لتحصل على أخبار مخصصة | سجل الآن | اشترك في النشرة | اشترك في قناتنا
للتواصل مع الكاتب | ارسل رسالة sms | أرسل رسالة sms | للتواصل أرسل | للاشتراك في خدمة | حمل تطبيق
تابعونا على | تابعوا آخر الأخبار | لمتابعة آخر الأخبار | انقر هنا | اضغط هنا | click here
we use cookies | cookie policy | ملفات تعريف الارتباط | سياسة الخصوصية
"""

#: Credit words of bylines such as "متابعة – كيو بوست" or "عين اليوم – متابعات".
_CREDIT_WORDS = """
متابعة | متابعات | خاص | وكالات | وكالة | تقرير | كتب | كتبت | بقلم | إعداد | ترجمة | تحرير | المصدر
مراسل | مراسلنا | محرر | فريق التحرير | واس | رويترز | أ ف ب | الأناضول | سبوتنيك
"""

#: Words that may precede a title echo as a glued widget label ("طباعة <title>").
_WIDGET_WORDS = "شارك طباعة اطبع أرسل حفظ مشاركة تغريد تعليق التعليقات صورة فيديو"

#: Words a dateline may contain besides numbers.
_DATE_WORDS = """
السبت الأحد الاحد الإثنين الاثنين الثلاثاء الأربعاء الاربعاء الخميس الجمعة
يناير فبراير مارس أبريل ابريل مايو يونيو يوليو أغسطس اغسطس سبتمبر أكتوبر اكتوبر نوفمبر ديسمبر
كانون الثاني شباط آذار اذار نيسان أيار ايار حزيران تموز آب اب أيلول ايلول تشرين الأول الاول
محرم صفر ربيع الآخر الاخر جمادى الأولى الاولى الآخرة الاخرة رجب شعبان رمضان شوال ذو القعدة الحجة
م ص هـ ه مساء صباحا صباحاً مساءً الساعة ساعة ساعات دقيقة دقائق منذ يوم أيام في بتاريخ تاريخ آخر تحديث
نشر pm am gmt utc at on
jan feb mar apr may jun jul aug sep oct nov dec january february march april june july august september
october november december monday tuesday wednesday thursday friday saturday sunday
"""

_SEP = re.compile(r"\s*\|\s*|\n")


def _keyed(block: str) -> frozenset[str]:
    return frozenset(k for k in (match_key(p) for p in _SEP.split(block)) if k)


FULL_LINE = _keyed(_FULL_LINE)
PREFIXES = tuple(sorted(_keyed(_PREFIXES), key=len, reverse=True))
PHRASES = tuple(sorted(_keyed(_PHRASES)))
CREDIT_WORDS = _keyed(_CREDIT_WORDS)
WIDGET_WORDS = frozenset(match_key(_WIDGET_WORDS).split())
DATE_WORDS = frozenset(match_key(_DATE_WORDS).split())
HOME_WORDS = tuple(match_key(w) for w in ("الواجهة الرئيسية", "الصفحة الرئيسية", "الرئيسية"))

#: Lines longer than this (in words) are never chrome by prefix or byline rules.
MAX_PREFIX_WORDS = 20
MAX_PHRASE_WORDS = 45
MAX_BYLINE_WORDS = 6
MAX_ECHO_WORDS = 10

_LINK_ONLY = re.compile(
    r"^(?:(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+\.[\w.]+|[@#][\w_]+|\+?[\d\s()./-]{7,})"
    r"(?:\s+(?:(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+\.[\w.]+|[@#][\w_]+|\+?[\d\s()./-]{7,}))*$"
)
_DASHES = re.compile(r"\s[-–—|]\s|\s[-–—]|[-–—]\s")
_HAS_DIGIT = re.compile(r"\d")


# --- single-line rules (each returns True when the line is chrome) ------------


def is_lexicon(key: str) -> bool:
    """The whole line is a chrome phrase: ``'شارك'``, ``'مقالات ذات صلة'``."""
    return key in FULL_LINE


def is_prefixed(key: str, n_words: int) -> bool:
    """A short line led by a chrome phrase: ``'اقرأ أيضا: ...'``, ``'المصدر: واس'``."""
    if n_words > MAX_PREFIX_WORDS:
        return False
    return any(key == p or key.startswith(p + " ") for p in PREFIXES)


def has_phrase(key: str, n_words: int) -> bool:
    """A widget sentence anywhere in a line: ``'... شاركنا رأيك في التعليقات'``."""
    if n_words > MAX_PHRASE_WORDS:
        return False
    padded = f" {key} "
    return any(f" {p} " in padded for p in PHRASES)


def is_breadcrumb(key: str, n_words: int) -> bool:
    """A home link with a section glued or appended: ``'الواجهة الرئيسيةشؤون عربية'``."""
    return n_words <= 6 and key.startswith(HOME_WORDS)


def is_dateline(key: str) -> bool:
    """Only dates, times, day and month names: ``'الخميس 29/يونيو/2017 - 03:01 م'``."""
    tokens = key.split()
    if not tokens or len(tokens) > 16 or not _HAS_DIGIT.search(key):
        return False
    return all(t.isdigit() or t in DATE_WORDS for t in tokens)


def is_byline(line: str, key: str, n_words: int) -> bool:
    """A source credit around a dash: ``'متابعة – كيو بوست'``, ``'عين اليوم – متابعات'``."""
    if n_words > MAX_BYLINE_WORDS or not _DASHES.search(line):
        return False
    for side in _DASHES.split(line):
        side_key = _key(side)
        if side_key and (side_key in CREDIT_WORDS or side_key.split()[0] in CREDIT_WORDS):
            return True
    return False


def is_link_only(line: str) -> bool:
    """Only URLs, e-mails, @handles, #hashtags or phone numbers."""
    return bool(_LINK_ONLY.match(line.strip()))


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


def classify_line(line: str) -> str | None:
    """Name of the context-free rule that marks a line (of cleaned text) as chrome, or None."""
    if line.count(" ") >= MAX_PHRASE_WORDS:
        return None  # every rule is bounded in length: long lines are content
    key = _key(line)
    if not key:
        return None
    n_words = key.count(" ") + 1
    if is_lexicon(key):
        return "lexicon"
    if is_dateline(key):
        return "dateline"
    if is_link_only(line):
        return "link_only"
    if is_breadcrumb(key, n_words):
        return "breadcrumb"
    if is_byline(line, key, n_words):
        return "byline"
    if is_prefixed(key, n_words):
        return "lexicon_prefix"
    if has_phrase(key, n_words):
        return "lexicon_phrase"
    return None


def strip_lines(lines: Sequence[str], title: str | None = None) -> list[str | None]:
    """For each line, the rule that marks it as chrome, or None to keep it.

    Lines are expected to be cleaned text (``normalize.clean``). The headline is
    ``title`` when given, else the first line no rule strips; it is used to
    recognise title echoes further down.
    """
    verdicts: list[str | None] = [classify_line(line) for line in lines]
    title_idx = None
    if title is None:
        for i, (line, verdict) in enumerate(zip(lines, verdicts)):
            if verdict is None and line.strip():
                title, title_idx = line, i
                break
    title_key = match_key(title) if title else ""
    for i, line in enumerate(lines):
        if verdicts[i] is None and i != title_idx and line.count(" ") < 2 * MAX_ECHO_WORDS \
                and is_title_echo(_key(line), title_key):
            verdicts[i] = "title_echo"
    return verdicts
