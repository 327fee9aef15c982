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
