"""EST's observation categories (Brå's manual for effektiv samordning för trygghet), in Swedish and
English: the list a new site starts with; administrators edit it afterwards."""

from typing import Any

from django.utils.translation import gettext as _

CATEGORIES = [
    ("vandalism", "Skadegörelse", "Vandalism", [
        ("graffiti", "Klotter", "Graffiti"),
        ("broken_glass", "Krossat glas", "Broken glass"),
        ("fire", "Brand", "Fire"),
        ("other_damage", "Annan skadegörelse", "Other damage"),
    ]),
    ("gathering", "Samling av personer som skapar otrygghet", "Gathering of people that creates insecurity", []),
    ("disorder", "Annan ordningsstörning", "Other disorder", [
        ("fight", "Bråk eller slagsmål", "Fight"),
        ("drug_dealing", "Misstänkt narkotikahandel", "Suspected drug dealing"),
        ("illegal_driving", "Olaglig körning", "Illegal driving"),
        ("other_disorder", "Annan störning", "Other disturbance"),
    ]),
    ("unsafe_place", "Otrygg plats", "Unsafe place", [
        ("poor_lighting", "Dålig belysning", "Poor lighting"),
        ("poor_sightlines", "Skymd sikt", "Poor sightlines"),
        ("litter", "Nedskräpning", "Litter"),
        ("deserted", "Öde plats", "Deserted place"),
    ]),
    ("event", "Händelse", "Event", []),
]  # fmt: skip


# The starting list in the residents' languages (Arabic, Somali, Persian): drafts for a translator.
TRANSLATIONS = {
    "vandalism": ("تخريب", "Burburin", "خرابکاری"),
    "graffiti": ("كتابة على الجدران", "Qoraal derbi", "دیوارنویسی"),
    "broken_glass": ("زجاج مكسور", "Muraayad jajaban", "شیشه‌ی شکسته"),
    "fire": ("حريق", "Dab", "آتش‌سوزی"),
    "other_damage": ("تخريب آخر", "Burburin kale", "خرابکاری دیگر"),
    "gathering": ("تجمع أشخاص يثير انعدام الأمان", "Kulan dad oo abuuraya amni darro",
                  "تجمع افرادی که احساس ناامنی ایجاد می‌کند"),
    "disorder": ("إخلال آخر بالنظام", "Qalalaase kale", "برهم زدن دیگر نظم"),
    "fight": ("شجار أو عراك", "Dagaal ama muran", "دعوا یا زد و خورد"),
    "drug_dealing": ("اشتباه في تجارة المخدرات", "Looga shakiyay ka ganacsiga maandooriyaha",
                     "مشکوک به خرید و فروش مواد مخدر"),
    "illegal_driving": ("قيادة غير قانونية", "Wadis sharci darro ah", "رانندگی غیرقانونی"),
    "other_disorder": ("إزعاج آخر", "Dhibaato kale", "مزاحمت دیگر"),
    "unsafe_place": ("مكان غير آمن", "Goob aan ammaan ahayn", "مکان ناامن"),
    "poor_lighting": ("إنارة ضعيفة", "Iftiin yar", "روشنایی ضعیف"),
    "poor_sightlines": ("رؤية محجوبة", "Muuqaal xiran", "دید مسدود"),
    "litter": ("رمي النفايات", "Qashin ku daadin", "ریختن زباله"),
    "deserted": ("مكان مهجور", "Goob cidla ah", "مکان خلوت"),
    "event": ("حدث", "Dhacdo", "رویداد"),
}  # fmt: skip


def seed_translations(category_model: Any, translation_model: Any, content_type: Any) -> None:
    """Add draft Arabic, Somali and Persian names to the starting categories whose Swedish name is still
    the one they started with (a renamed category keeps its own)."""
    names = {code: name for code, name, _en, subs in CATEGORIES for code, name in [(code, name)] + [
        (sub, sub_name) for sub, sub_name, _sub_en in subs]}  # fmt: skip
    for category in category_model.objects.filter(code__in=TRANSLATIONS):
        if category.name != names[category.code]:
            continue
        for language, text in zip(("ar", "so", "fa"), TRANSLATIONS[category.code], strict=True):
            translation_model.objects.get_or_create(
                content_type=content_type, object_id=category.pk, field="name", language=language,
                defaults={"text": text, "source": category.name, "status": "draft"},
            )  # fmt: skip


def seed(category_model: Any) -> None:
    """Add the categories that are missing (by code), leaving those that are there as they are. Takes the
    model class, so that the migration can pass its historical model."""
    for position, (code, name, name_en, subcategories) in enumerate(CATEGORIES, start=1):
        parent, _ = category_model.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "position": position * 10}
        )
        for step, (sub, sub_name, sub_en) in enumerate(subcategories, start=1):
            category_model.objects.get_or_create(
                code=sub,
                defaults={"name": sub_name, "name_en": sub_en, "parent": parent, "position": position * 10 + step},
            )


def choices() -> list[tuple[str, Any]]:
    """The categories as option groups: each category itself ("in general"), then its subcategories."""
    from .models import Category

    rows = list(Category.objects.filter(active=True).select_related("parent"))
    groups: list[tuple[str, Any]] = [("", "–")]
    for top in (c for c in rows if c.parent_id is None):
        subs = [(c.code, c.local_name()) for c in rows if c.parent_id == top.pk]
        if subs:
            groups.append((top.local_name(), [(top.code, _("%(name)s, other") % {"name": top.local_name()}), *subs]))
        else:
            groups.append((top.code, top.local_name()))
    return groups
