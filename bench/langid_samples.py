"""News-register sentences in many scripts and languages, written for newsloom's tests and benchmarks.

Two per language, each a plain report of a made-up happening; used by ``tests/test_langid_scripts.py`` and
``bench/bench_langid.py``. Norwegian is written in Bokmål.
"""

from __future__ import annotations

WORLD: dict[str, tuple[str, ...]] = {
    "th": (
        "รัฐบาลไทยประกาศมาตรการใหม่เพื่อช่วยเหลือเกษตรกรที่ได้รับผลกระทบจากน้ำท่วมในภาคเหนือ",
        "นายกรัฐมนตรีเดินทางไปเยือนญี่ปุ่นเมื่อวันอังคารที่ผ่านมาเพื่อหารือเรื่องการค้า",
    ),
    "ka": (
        "საქართველოს მთავრობამ ახალი კანონპროექტი პარლამენტს წარუდგინა.",
        "თბილისში ათასობით ადამიანი გამოვიდა ქუჩაში საპროტესტო აქციაზე.",
    ),
    "ko": (
        "정부는 오늘 홍수 피해를 입은 농민들을 지원하기 위한 새로운 대책을 발표했다.",
        "서울에서 대규모 시위가 열려 수천 명이 참가했다.",
    ),
    "hi": (
        "सरकार ने आज बाढ़ से प्रभावित किसानों की मदद के लिए नई योजना की घोषणा की।",
        "दिल्ली में भारी बारिश के कारण कई इलाकों में पानी भर गया है।",
    ),
    "mr": (
        "मुंबईत आज मुसळधार पाऊस झाला आणि अनेक रस्ते पाण्याखाली गेले.",
        "राज्य सरकारने शेतकऱ्यांसाठी नवीन योजना जाहीर केली आहे.",
    ),
    "id": (
        "Pemerintah Indonesia mengumumkan kebijakan baru untuk membantu petani yang terdampak banjir.",
        "Presiden meresmikan bendungan baru di Jawa Tengah pada hari Selasa kemarin.",
    ),
    "ms": (
        "Kerajaan Malaysia mengumumkan dasar baharu bagi membantu petani yang terjejas akibat banjir.",
        "Perdana Menteri berkata kerajaan akan menyalurkan bantuan kewangan kepada mangsa banjir minggu ini.",
    ),
    "he": (
        "הממשלה אישרה היום תוכנית חדשה לסיוע לחקלאים שנפגעו מהשיטפונות.",
        "ראש הממשלה נפגש עם שר החוץ האמריקאי בירושלים.",
    ),
    "ar": (
        "أعلنت الحكومة اليوم عن خطة جديدة لدعم المزارعين المتضررين من الفيضانات.",
        "التقى الرئيس بوزير الخارجية الأمريكي في القاهرة يوم الثلاثاء.",
    ),
    "fa": (
        "دولت ایران امروز برنامه جدیدی برای کمک به کشاورزان آسیب‌دیده از سیل اعلام کرد.",
        "رئیس جمهور روز سه‌شنبه با وزیر خارجه آمریکا در تهران دیدار کرد.",
    ),
    "ur": (
        "حکومت نے آج سیلاب سے متاثرہ کسانوں کی مدد کے لیے ایک نئے منصوبے کا اعلان کیا ہے۔",
        "وزیر اعظم نے منگل کے روز اسلام آباد میں امریکی وزیر خارجہ سے ملاقات کی۔",
    ),
    "zh": (
        "政府今天宣布了一项帮助受洪水影响的农民的新计划。",
        "国家主席在北京会见了美国国务卿，双方讨论了贸易问题。",
    ),
    "ja": (
        "政府は今日、洪水の被害を受けた農家を支援する新しい計画を発表した。",
        "首相は火曜日に東京でアメリカの国務長官と会談した。",
    ),
    "el": (
        "Η κυβέρνηση ανακοίνωσε σήμερα νέο σχέδιο στήριξης των αγροτών που επλήγησαν από τις πλημμύρες.",
        "Ο πρωθυπουργός συναντήθηκε με τον Αμερικανό υπουργό Εξωτερικών στην Αθήνα.",
    ),
    "hy": (
        "Հայաստանի կառավարությունը այսօր նոր ծրագիր է հայտարարել ֆերմերներին օգնելու համար։",
        "Երևանում հազարավոր մարդիկ դուրս են եկել փողոց բողոքի ակցիայի։",
    ),
    "bn": (
        "সরকার আজ বন্যায় ক্ষতিগ্রস্ত কৃষকদের সহায়তার জন্য নতুন পরিকল্পনা ঘোষণা করেছে।",
        "ঢাকায় ভারী বৃষ্টির কারণে অনেক রাস্তা পানিতে তলিয়ে গেছে।",
    ),
    "ta": (
        "வெள்ளத்தால் பாதிக்கப்பட்ட விவசாயிகளுக்கு உதவ அரசு இன்று புதிய திட்டத்தை அறிவித்தது.",
        "சென்னையில் பெய்த கனமழையால் பல சாலைகளில் வெள்ளம் தேங்கியது.",
    ),
    "vi": (
        "Chính phủ hôm nay đã công bố kế hoạch mới nhằm hỗ trợ nông dân bị ảnh hưởng bởi lũ lụt.",
        "Thủ tướng đã gặp Ngoại trưởng Mỹ tại Hà Nội vào thứ Ba.",
    ),
    "tr": (
        "Hükümet bugün selden etkilenen çiftçilere yardım için yeni bir plan açıkladı.",
        "Cumhurbaşkanı salı günü Ankara'da ABD Dışişleri Bakanı ile görüştü.",
    ),
    "nb": (
        "Regjeringen la i dag fram en ny plan for å hjelpe bønder som er rammet av flommen.",
        "Statsministeren møtte den amerikanske utenriksministeren i Oslo tirsdag.",
    ),
    "da": (
        "Regeringen fremlagde i dag en ny plan for at hjælpe landmænd, der er ramt af oversvømmelserne.",
        "Statsministeren mødtes tirsdag med den amerikanske udenrigsminister i København.",
    ),
    "sv": (
        "Regeringen presenterade i dag en ny plan för att hjälpa bönder som drabbats av översvämningarna.",
        "Statsministern träffade den amerikanske utrikesministern i Stockholm på tisdagen.",
    ),
    "sw": (
        "Serikali imetangaza leo mpango mpya wa kuwasaidia wakulima walioathiriwa na mafuriko.",
        "Rais alikutana na waziri wa mambo ya nje wa Marekani jijini Nairobi siku ya Jumanne.",
    ),
}
