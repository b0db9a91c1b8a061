"""Claim-extraction word tables for news in Arabic, Hebrew, Ukrainian, Bulgarian, Turkish, Hindi, Korean, Chinese
and Japanese (the languages of ``lexicon.py`` are Latin-script European ones and Russian).

Kept apart from ``lexicon.py`` so that each file stays readable; ``lexicon.py`` merges these tables into its own.
Words are written as in the press and folded on load. Arabic verbs also appear with the clitic conjunction
"و" ("and": "وقال" = "and he said"), which news prose puts before almost every verb of saying; Chinese and
Japanese write no spaces, so their verbs are found inside longer runs of characters (``SUBSTRING_CUES``).

Example::

    from newsloom.stages.claims.lexicon import lexicon_for
    lexicon_for("ar").cue("ونفى")  # -> "deny"
"""

from __future__ import annotations


def _wa(*words: str) -> list[str]:
    """Arabic verbs with and without the clitic "و" / "ف" ("and", "so")."""
    return [p + w for w in words for p in ("", "و", "ف")]


# fmt: off
SAY: dict[str, list[str]] = {
    "ar": _wa("قال", "قالت", "قالوا", "صرح", "صرحت", "أكد", "أكدت", "أضاف", "أضافت", "أوضح", "أوضحت", "ذكر",
              "ذكرت", "يقول", "تقول", "حذر", "حذرت", "اتهم", "اتهمت", "شدد", "شددت", "كتب", "كتبت", "أعلن",
              "أعلنت", "زعم", "زعمت"),
    "he": ["אמר", "אמרה", "אמרו", "הוסיף", "הוסיפה", "טען", "טענה", "טענו", "הדגיש", "הדגישה", "כתב", "כתבה",
           "הזהיר", "הזהירה", "האשים", "האשימה", "הצהיר", "הצהירה", "אומר", "אומרת", "ציין", "ציינה"],
    "uk": ["заявив", "заявила", "заявили", "сказав", "сказала", "сказали", "наголосив", "наголосила",
           "додав", "додала", "зазначив", "зазначила", "підкреслив", "підкреслила", "написав", "написала",
           "попередив", "попередила", "звинуватив", "звинуватила", "каже", "кажуть", "заявляє", "вважає"],
    "bg": ["заяви", "заявиха", "каза", "казаха", "посочи", "добави", "подчерта", "отбеляза", "написа",
           "предупреди", "обвини", "твърди", "твърдят", "смята", "казва"],
    "tr": ["dedi", "söyledi", "belirtti", "vurguladı", "ekledi", "yazdı", "uyardı", "suçladı", "iddia",
           "açıkladı", "kaydetti", "savundu"],
    "hi": ["कहा", "कहते", "कहती", "बताया", "जोड़ा", "लिखा", "चेतावनी", "आरोप", "दावा"],
    "ko": ["말했다", "밝혔다", "강조했다", "주장했다", "덧붙였다", "경고했다", "설명했다", "말한다", "지적했다"],
    "zh": ["表示", "说", "称", "指出", "强调", "声称", "宣称", "警告", "補充", "补充", "說", "強調", "聲稱"],
    "ja": ["述べた", "語った", "話した", "強調した", "表明した", "主張した", "指摘した", "警告した", "と言う"],
}
DENY: dict[str, list[str]] = {
    "ar": _wa("نفى", "نفت", "نفوا", "ينفي", "تنفي", "رفض", "رفضت", "دحض", "كذب", "كذبت"),
    "he": ["הכחיש", "הכחישה", "הכחישו", "מכחיש", "מכחישה", "דחה", "דחתה", "דחו"],
    "uk": ["заперечив", "заперечила", "заперечили", "спростував", "спростувала", "спростували", "відкинув",
           "відкинула", "відкинули", "заперечує", "спростовує"],
    "bg": ["отрече", "отрекоха", "опроверга", "опровергаха", "отхвърли", "отхвърлиха", "отрича", "отричат"],
    "tr": ["yalanladı", "reddetti", "yalanlıyor", "reddediyor"],
    "hi": ["इनकार", "खंडन", "नकारा"],
    "ko": ["부인했다", "일축했다", "반박했다", "부정했다"],
    "zh": ["否认", "否認", "驳斥", "駁斥", "辟谣", "闢謠"],
    "ja": ["否定した", "否認した", "反論した"],
}
QUESTION: dict[str, list[str]] = {
    "ar": _wa("شكك", "شككت"),
    "he": ["פקפק", "פקפקה"],
    "uk": ["засумнівався", "засумнівалася", "сумнівається"],
    "bg": ["усъмни", "съмнява"],
    "tr": ["sorguladı"],
    "hi": ["सवाल"],
    "ko": ["의문을"],
    "zh": ["质疑", "質疑"],
    "ja": ["疑問視した"],
}
REPORT: dict[str, list[str]] = {
    "ar": _wa("أفاد", "أفادت", "نقل", "نقلت"),
    "he": ["דיווח", "דיווחה", "דיווחו", "מסר", "מסרה"],
    "uk": ["повідомив", "повідомила", "повідомили", "повідомляє", "згідно"],
    "bg": ["съобщи", "съобщиха", "съобщава", "според"],
    "tr": ["bildirdi", "aktardı"],
    "hi": ["सूचना"],
    "ko": ["전했다", "보도했다"],
    "zh": ["报道", "報導", "据", "據"],
    "ja": ["報じた", "伝えた", "によると"],
}
REPORT_PREPS: dict[str, list[str]] = {
    "ar": ["حسب", "بحسب", "وفقا", "وفق"],
    "he": ["לדברי", "לפי"],
    "uk": ["згідно"],
    "bg": ["според"],
}
REPORT_PAIRS: dict[str, list[tuple[str, str]]] = {
    "uk": [("за", "словами"), ("за", "даними")],
    "bg": [("по", "думите")],
    "he": [("על", "פי")],
}
COMPLEMENTIZERS: dict[str, list[str]] = {
    "ar": ["أن", "إن", "بأن"],
    "he": ["כי"],
    "uk": ["що", "щоб"],
    "bg": ["че"],
    "tr": ["ki"],
    "hi": ["कि"],
}
CONJUNCTIONS: dict[str, list[str]] = {
    "ar": ["و"], "he": ["ו"], "uk": ["і", "та", "й", "але"], "bg": ["и", "но"], "tr": ["ve", "ama"],
    "hi": ["और", "लेकिन"], "ko": [], "zh": [], "ja": [],
}
PRONOUNS: dict[str, list[str]] = {
    "ar": ["هو", "هي", "هم"], "he": ["הוא", "היא", "הם"], "uk": ["він", "вона", "вони"], "bg": ["той", "тя", "те"],
    "tr": ["o"], "hi": ["उन्होंने", "उसने", "वह"], "ko": ["그는", "그녀는"], "zh": ["他", "她"], "ja": ["彼は", "彼女は"],
}
NEGATIONS: dict[str, list[str]] = {
    "ar": ["لا", "لم", "لن", "ليس", "ليست", "عدم"],
    "he": ["לא", "אין", "אינו", "אינה", "שום", "חסר", "חסרה", "חסרות", "חסרי"],
    "uk": ["не", "ні", "ніколи", "жодних", "жодного"],
    "bg": ["не", "няма", "никога", "никакви"],
    "tr": ["değil", "yok", "hiçbir"],
    "hi": ["नहीं", "न", "कोई"],
    "ko": ["없다", "않았다", "아니다"],
    "zh": ["没有", "沒有", "不", "并非", "並非"],
    "ja": ["ない", "なかった"],
}
# Nouns of evidence or basis: "لا أساس لها" (no basis), "אין ראיות", "немає доказів", "没有证据".
EVIDENCE_STEMS: list[str] = [
    "أساس", "دليل", "أدلة", "בסיס", "ראיות", "הוכחה", "доказ", "підстав", "основани", "证据", "證據", "証拠",
    "증거", "सबूत", "प्रमाण", "kanıt", "delil",
]
# Words that call a claim false: lies, fabricated, baseless.
FALSITY_STEMS: list[str] = [
    "كاذب", "أكاذيب", "مفبرك", "افتراء", "שקר", "כוזב", "מופרך", "מופרכ", "безпідставн", "брехн", "неправдив",
    "лъжа", "лъжлив", "неоснователн", "谎言", "謊言", "捏造", "虚假", "虛假", "嘘", "でっち上げ", "거짓", "날조",
    "झूठ", "निराधार", "yalan", "asılsız",
]
# Particles that close a quotation before its verb ("“…”라고 말했다", "「…」と述べた"): part of the attribution.
QUOTE_PARTICLES: dict[str, list[str]] = {"ko": ["라고", "이라고", "고"], "ja": ["と"]}
# Verb-final languages: a negation sits at the end of the clause ("हथियार नहीं दे रहा है").
VERB_FINAL: frozenset[str] = frozenset({"hi", "tr", "ko", "ja"})
# Languages written without spaces: their cue words are found inside runs of characters.
SUBSTRING_CUES: frozenset[str] = frozenset({"zh", "ja"})
# fmt: on
