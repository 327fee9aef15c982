"""The demo promise's texts in Arabic, Somali and Persian, as drafts for a translator to check (they
were not written by one). Texts without a row here — the causes, the places' names — show in Swedish,
marked as Swedish, as a real promise's untranslated texts do."""

import re
from typing import Any

from lofte.core import translations
from lofte.promises import translations as promise_texts
from lofte.promises.models import Promise

# Swedish text: (Arabic, Somali, Persian). "{source}" stands for the area outline's source, which the
# translations leave to the Swedish text (it names a file or a service).
TEXTS: dict[str, tuple[str, str, str]] = {
    "Medborgarlöfte Västra Hisingen 2016–2017": (
        "وعد المواطنين في فيسترا هيسينغن 2016–2017",
        "Ballanqaadka muwaadiniinta Västra Hisingen 2016–2017",
        "تعهد به شهروندان وسترا هیسینگن ۲۰۱۶–۲۰۱۷",
    ),
    "Gängrelaterat våld på offentliga platser gör att boende i Biskopsgården känner sig otrygga, särskilt på "
    "torgen på kvällarna. Polisen och stadsdelsförvaltningen lovar att prioritera arbetet mot våldet under ett år."
    "\n\nDemo: området är verkligt, men all aktivitetsdata är syntetisk (områdets gräns: {source}).": (
        "العنف المرتبط بالعصابات في الأماكن العامة يجعل سكان بيسكوبسغوردن يشعرون بعدم الأمان، خاصة في الساحات "
        "مساءً. تعد الشرطة وإدارة الحي بإعطاء الأولوية للعمل ضد العنف لمدة عام.\n\nعرض تجريبي: المنطقة حقيقية، "
        "لكن جميع بيانات الأنشطة مصطنعة (مصدر حدود المنطقة مذكور في النص السويدي).",
        "Rabshadaha la xiriira kooxaha burcadda ee goobaha dadweynaha ayaa ka dhigaya dadka deggan Biskopsgården "
        "inay dareemaan amni darro, gaar ahaan fagaarayaasha fiidkii. Booliska iyo maamulka degmadu waxay ballan "
        "qaadayaan inay mudnaan siiyaan la dagaallanka rabshadaha muddo hal sano ah.\n\nTijaabo: aaggu waa mid "
        "dhab ah, laakiin dhammaan xogta hawlaha waa la sameeyay (isha xuduudda aagga waxay ku qoran tahay "
        "qoraalka Iswiidhishka).",
        "خشونت مرتبط با باندهای تبهکار در مکان‌های عمومی باعث می‌شود ساکنان بیسکوپسگوردن احساس ناامنی کنند، "
        "به‌ویژه عصرها در میدان‌ها. پلیس و اداره‌ی منطقه متعهد می‌شوند که مبارزه با خشونت را به مدت یک سال در "
        "اولویت قرار دهند.\n\nنسخه‌ی نمایشی: منطقه واقعی است، اما همه‌ی داده‌های فعالیت ساختگی‌اند "
        "(منبع مرز منطقه در متن سوئدی آمده است).",
    ),
    "Trygghetsundersökningen hösten 2014 visade att många boende undviker torgen på kvällarna, "
    "medborgardialogerna våren 2015 tog oftast upp våldet och skottlossningarna, och polisens lägesbild visade "
    "att våldsbrotten samlades kring tre torg. Ingen annan fråga fick stöd från alla tre källorna.": (
        "أظهر استطلاع الأمان في خريف 2014 أن كثيراً من السكان يتجنبون الساحات مساءً، وتناولت حوارات المواطنين في "
        "ربيع 2015 العنف وإطلاق النار أكثر من أي موضوع آخر، وأظهرت صورة الوضع لدى الشرطة أن جرائم العنف تتركز حول "
        "ثلاث ساحات. لم تحظَ أي قضية أخرى بدعم المصادر الثلاثة كلها.",
        "Sahanka amniga ee dayrtii 2014 wuxuu muujiyay in dad badan oo deggan ay iska ilaaliyaan fagaarayaasha "
        "fiidkii, wadahadallada muwaadiniinta ee gu'gii 2015 waxay inta badan ka hadleen rabshadaha iyo rasaasta, "
        "sawirka xaaladda booliskuna wuxuu muujiyay in dambiyada rabshaddu ay ku urursan yihiin saddex fagaare. "
        "Arrin kale ma helin taageerada saddexda ilood oo dhan.",
        "نظرسنجی امنیت در پاییز ۲۰۱۴ نشان داد که بسیاری از ساکنان عصرها از میدان‌ها دوری می‌کنند، گفتگوهای "
        "شهروندی در بهار ۲۰۱۵ بیش از همه به خشونت و تیراندازی‌ها پرداختند، و تصویر وضعیت پلیس نشان داد که جرائم "
        "خشونت‌آمیز در اطراف سه میدان متمرکز است. هیچ موضوع دیگری از پشتیبانی هر سه منبع برخوردار نبود.",
    ),
    "Polisen och stadsdelsförvaltningen fortsätter med kvällsnärvaron på torgen och följer upp med en ny "
    "trygghetsundersökning. Avhopparverksamheten blir en del av det ordinarie arbetet.": (
        "تواصل الشرطة وإدارة الحي الحضور المسائي في الساحات وتتابع النتائج باستطلاع جديد للأمان. ويصبح برنامج "
        "الخروج من الجريمة جزءاً من العمل المعتاد.",
        "Booliska iyo maamulka degmadu waxay sii wadayaan joogitaanka fiidkii ee fagaarayaasha waxayna ku "
        "raacinayaan sahan amni oo cusub. Barnaamijka ka bixidda dambiyada wuxuu noqonayaa qayb ka mid ah shaqada "
        "caadiga ah.",
        "پلیس و اداره‌ی منطقه حضور عصرگاهی در میدان‌ها را ادامه می‌دهند و با یک نظرسنجی امنیت تازه آن را پیگیری "
        "می‌کنند. برنامه‌ی کناره‌گیری از بزهکاری بخشی از کار عادی می‌شود.",
    ),
    "Polisen patrullerar de otrygga torgen Vårväderstorget, Friskväderstorget och Länsmanstorget i genomsnitt "
    "minst 2,5 gånger per dag.": (
        "تقوم الشرطة بدوريات في الساحات غير الآمنة فورفيدرستورييت وفريسكفيدرستورييت ولينسمانستورييت بمعدل 2.5 مرة "
        "في اليوم على الأقل.",
        "Booliska ayaa roondo ku sameeya fagaarayaasha aan amniga lahayn ee Vårväderstorget, Friskväderstorget iyo "
        "Länsmanstorget celcelis ahaan ugu yaraan 2.5 jeer maalintii.",
        "پلیس در میدان‌های ناامن وُروِدِرستوریت، فریسکوِدِرستوریت و لِنسمانستوریت به‌طور میانگین دست‌کم ۲.۵ بار در روز "
        "گشت می‌زند.",
    ),
    "Biskopsgården": ("بيسكوبسغوردن", "Biskopsgården", "بیسکوپسگوردن"),
    "besök per dag": ("زيارة في اليوم", "booqasho maalintii", "بازدید در روز"),
    "Sommaren gav fler besök på torgen, särskilt fredag och lördag kväll.": (
        "جلب الصيف زيارات أكثر إلى الساحات، خاصة مساء الجمعة والسبت.",
        "Xagaagu wuxuu keenay booqashooyin badan oo fagaarayaasha ah, gaar ahaan fiidka Jimcaha iyo Sabtida.",
        "تابستان بازدیدهای بیشتری از میدان‌ها به همراه داشت، به‌ویژه جمعه و شنبه شب.",
    ),
    "De förebyggande grupperna utökas från två till tre (dag, kväll och helg).": (
        "تُوسَّع مجموعات الوقاية من اثنتين إلى ثلاث (نهاراً ومساءً وفي عطلة نهاية الأسبوع).",
        "Kooxaha ka hortagga ayaa laga kordhinayaa laba ilaa saddex (maalin, fiid iyo dhammaadka toddobaadka).",
        "گروه‌های پیشگیری از دو به سه گروه افزایش می‌یابند (روز، عصر و آخر هفته).",
    ),
    "En samordnare anställs för unga som vill lämna kriminalitet.": (
        "يُعيَّن منسق للشباب الذين يريدون ترك الجريمة.",
        "Isku-duwe ayaa loo shaqaaleysiinayaa dhallinyarada doonaya inay ka baxaan dambiyada.",
        "یک هماهنگ‌کننده برای جوانانی که می‌خواهند از بزهکاری کناره بگیرند استخدام می‌شود.",
    ),
    "Fältassistenter arbetar i området minst 150 kvällar.": (
        "يعمل العاملون الميدانيون في المنطقة 150 أمسية على الأقل.",
        "Shaqaalaha goobta ayaa aagga ka shaqeeya ugu yaraan 150 fiid.",
        "مددکاران میدانی دست‌کم ۱۵۰ شب در منطقه کار می‌کنند.",
    ),
    "kvällar": ("أمسية", "fiid", "شب"),
    "Rekryteringen av fältassistenter har tagit längre tid än planerat.": (
        "استغرق توظيف العاملين الميدانيين وقتاً أطول مما كان مخططاً له.",
        "Shaqaaleysiinta shaqaalaha goobta ayaa qaadatay waqti ka dheer sidii la qorsheeyay.",
        "استخدام مددکاران میدانی بیش از زمان برنامه‌ریزی‌شده طول کشیده است.",
    ),
    "Ett tiotal informationsmöten för boende, med tolk vid behov.": (
        "نحو عشرة اجتماعات إعلامية للسكان، مع مترجم عند الحاجة.",
        "Ilaa toban kulan oo macluumaad ah oo loogu talagalay dadka deggan, turjubaan marka loo baahdo.",
        "حدود ده جلسه‌ی اطلاع‌رسانی برای ساکنان، با مترجم در صورت نیاز.",
    ),
    "möten": ("اجتماع", "kulan", "جلسه"),
    "En trygghetsundersökning med 1 000 boende jämförs med nollmätningen hösten 2014.": (
        "يُقارَن استطلاع للأمان يشمل 1000 من السكان بالقياس الأساسي في خريف 2014.",
        "Sahan amni oo lagu sameeyay 1 000 qof oo deggan ayaa la barbar dhigayaa cabbirkii aasaasiga ahaa ee "
        "dayrtii 2014.",
        "یک نظرسنجی امنیت با ۱۰۰۰ ساکن با سنجش پایه‌ی پاییز ۲۰۱۴ مقایسه می‌شود.",
    ),
    "Vi ska arbeta tillsammans för ökad trygghet i hela området.": (
        "سنعمل معاً من أجل مزيد من الأمان في المنطقة كلها.",
        "Waxaan si wadajir ah uga shaqeyn doonnaa amni badan oo aagga oo dhan ah.",
        "ما با هم برای امنیت بیشتر در کل منطقه کار خواهیم کرد.",
    ),
    "Trygghetsmätning Biskopsgården": (
        "قياس الأمان في بيسكوبسغوردن",
        "Cabbirka amniga Biskopsgården",
        "سنجش امنیت بیسکوپسگوردن",
    ),  # fmt: skip
    "hösten 2014": ("خريف 2014", "dayrta 2014", "پاییز ۲۰۱۴"),
    "hösten 2017": ("خريف 2017", "dayrta 2017", "پاییز ۲۰۱۷"),
    "Våld på offentliga platser": (
        "العنف في الأماكن العامة",
        "Rabshadaha goobaha dadweynaha",
        "خشونت در مکان‌های عمومی",
    ),  # fmt: skip
    "Narkotikahandel": ("تجارة المخدرات", "Ka ganacsiga maandooriyaha", "خرید و فروش مواد مخدر"),
    "Nedskräpning": ("رمي النفايات", "Qashin ku daadinta", "ریختن زباله"),
    "Trafik": ("حركة المرور", "Gaadiidka", "ترافیک"),
    "Ungdomar och fritid": ("الشباب وأوقات الفراغ", "Dhallinyarada iyo waqtiga firaaqada", "جوانان و اوقات فراغت"),
    "Vad ska löftet handla om?": (
        "عمَّ يجب أن يكون الوعد؟",
        "Ballanqaadku muxuu ku saabsanaadaa?",
        "تعهد باید درباره‌ی چه باشد؟",
    ),  # fmt: skip
    "Polisen borde synas mer på torgen på kvällarna.": (
        "يجب أن تكون الشرطة أكثر ظهوراً في الساحات مساءً.",
        "Booliska waa inay si badan uga muuqdaan fagaarayaasha fiidkii.",
        "پلیس باید عصرها بیشتر در میدان‌ها دیده شود.",
    ),
    "Kameraövervakning på torgen skulle göra mig tryggare.": (
        "المراقبة بالكاميرات في الساحات ستجعلني أشعر بأمان أكثر.",
        "Kaamirooyinka ilaalinta ee fagaarayaasha ayaa iga dhigi lahaa qof dareema nabad badan.",
        "دوربین‌های نظارتی در میدان‌ها باعث می‌شد احساس امنیت بیشتری کنم.",
    ),
    "Fritidsgården borde ha öppet senare.": (
        "يجب أن يبقى مركز الشباب مفتوحاً حتى وقت متأخر.",
        "Xarunta dhallinyaradu waa inay furnaato ilaa goor dambe.",
        "خانه‌ی جوانان باید تا دیرتر باز باشد.",
    ),
    "Det viktigaste är att stoppa narkotikahandeln.": (
        "الأهم هو إيقاف تجارة المخدرات.",
        "Waxa ugu muhiimsan waa in la joojiyo ka ganacsiga maandooriyaha.",
        "مهم‌ترین کار متوقف کردن خرید و فروش مواد مخدر است.",
    ),
    "Fler vuxna ute på kvällarna gör mer än fler poliser.": (
        "وجود مزيد من البالغين في الخارج مساءً يفيد أكثر من مزيد من رجال الشرطة.",
        "Dad waaweyn oo badan oo fiidkii banaanka jooga ayaa ka waxtar badan boolis badan.",
        "بزرگسالان بیشتری که عصرها بیرون باشند بیشتر از پلیس بیشتر اثر دارند.",
    ),
    "Belysningen i området behöver bli bättre.": (
        "تحتاج الإنارة في المنطقة إلى التحسين.",
        "Iftiinka aagga waa in la hagaajiyaa.",
        "روشنایی منطقه باید بهتر شود.",
    ),
    "Jag litar på att polisen tar problemen på allvar.": (
        "أثق بأن الشرطة تأخذ المشكلات على محمل الجد.",
        "Waan aaminsanahay in booliisku si dhab ah u qaato dhibaatooyinka.",
        "اعتماد دارم که پلیس مشکلات را جدی می‌گیرد.",
    ),
    "Unga som vill lämna kriminalitet behöver mer stöd.": (
        "الشباب الذين يريدون ترك الجريمة يحتاجون إلى دعم أكبر.",
        "Dhallinyarada doonaya inay ka baxaan dambiyada waxay u baahan yihiin taageero dheeraad ah.",
        "جوانانی که می‌خواهند از بزهکاری کناره بگیرند به حمایت بیشتری نیاز دارند.",
    ),
    "Trafiken vid skolan är ett större problem än våldet.": (
        "حركة المرور عند المدرسة مشكلة أكبر من العنف.",
        "Gaadiidka dugsiga agtiisa ayaa ka dhibaato weyn rabshadaha.",
        "ترافیک کنار مدرسه مشکلی بزرگ‌تر از خشونت است.",
    ),
    "Bostadsbolaget borde ta större ansvar för gårdarna.": (
        "يجب أن تتحمل شركة الإسكان مسؤولية أكبر عن الساحات بين المباني.",
        "Shirkadda guryaha waa inay mas'uuliyad weyn ka qaadato barxadaha.",
        "شرکت مسکن باید مسئولیت بیشتری برای حیاط‌ها بپذیرد.",
    ),
    "Jag skulle anmäla ett brott som jag såg.": (
        "سأبلغ عن جريمة أراها.",
        "Waan soo sheegi lahaa dambi aan arko.",
        "جرمی را که ببینم گزارش می‌دهم.",
    ),
    "Grannsamverkan skulle fungera här.": (
        "التعاون بين الجيران سينجح هنا.",
        "Iskaashiga deriskuhu halkan wuu shaqayn lahaa.",
        "همکاری همسایگان اینجا جواب می‌دهد.",
    ),
}
LANGUAGES = ("ar", "so", "fa")


def build(promise: Promise, owner: Any) -> int:
    """Store the drafts of every text of `promise` found in TEXTS, as `owner` would; returns how many
    were stored."""
    source = re.search(r"områdets gräns: (.*)\)\.$", promise.problem)
    fill = {"source": source.group(1) if source else ""}
    known = {swedish.format(**fill): texts for swedish, texts in TEXTS.items()}
    stored = 0
    for index, language in enumerate(LANGUAGES):
        for text in promise_texts.texts(promise, language, owner):
            found = known.get(text.swedish)
            if found is not None:
                translations.save(owner, text, language, found[index].format(**fill), accept=False)
                stored += 1
    return stored
