"""The promise's texts in the residents' languages, side by side with the Swedish, for its owners:
a list of what needs a translator per language, a page to write or accept translations, and a PO file
out and back in for a translator's own tools."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lofte.core import translations as core
from lofte.core.problems import InputProblem

from . import translations
from .views import get_promise_for

# Each language named in its own language, as the site's language switch names it.
LANGUAGE_NAMES = dict(settings.LANGUAGES)


def _language(language: str) -> str:
    if language not in core.RESIDENT_LANGUAGES:
        raise Http404("Not a language texts are translated into")
    return language


@login_required
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    promise = get_promise_for(request.user, slug, "change")
    rows = []
    items = translations.items(promise, request.user)  # the same texts in every language
    for language in core.RESIDENT_LANGUAGES:
        texts = core.texts(items, language)
        states = [text.state for text in texts]
        counts = {state: states.count(state) for state in ("missing", "outdated", "draft", "accepted")}
        rows.append({"language": language, "name": LANGUAGE_NAMES.get(language, language), "total": len(texts),
                     **counts})  # fmt: skip
    return render(request, "promises/translations.html", {"promise": promise, "rows": rows})


@login_required
def translate(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    promise = get_promise_for(request.user, slug, "change")
    language = _language(language)
    texts = translations.texts(promise, language, request.user)
    if request.method == "POST":
        done = {"saved": 0, "removed": 0, "unchanged": 0}
        for text in texts:
            if f"t:{text.key}" in request.POST:
                accept = request.POST.get(f"accept:{text.key}") == "1"
                try:
                    done[core.save(request.user, text, language, request.POST[f"t:{text.key}"], accept=accept)] += 1
                except InputProblem as problem:
                    messages.error(request, problem.message)
        messages.success(request, _("%(saved)s translations saved, %(removed)s removed.") % done)
        return redirect("promise-translate", slug=slug, language=language)
    only_work = request.GET.get("visa") != "alla"
    shown = [text for text in texts if text.needs_work or not only_work]
    ctx = {"promise": promise, "language": language, "name": LANGUAGE_NAMES.get(language, language),
           "direction": "rtl" if language in settings.LANGUAGES_BIDI else "ltr", "texts": shown, "only_work": only_work,
           "hidden": len(texts) - len(shown)}  # fmt: skip
    return render(request, "promises/translate.html", ctx)


@login_required
def export(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    promise = get_promise_for(request.user, slug, "change")
    language = _language(language)
    data = core.export_po(translations.texts(promise, language, request.user), language, title=f"Löfte {promise.slug}")
    response = HttpResponse(data, content_type="text/x-gettext-translation; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{promise.slug}-{language}.po"'
    return response


@login_required
@require_POST
def import_file(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    promise = get_promise_for(request.user, slug, "change")
    language = _language(language)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose the PO file to read."))
        return redirect("promise-translate", slug=slug, language=language)
    try:
        texts = translations.texts(promise, language, request.user)
        result = core.import_po(request.user, upload.read(), texts, language, filename=upload.name or "file.po")
    except InputProblem as problem:
        messages.error(request, problem.message)
    else:
        messages.success(request, _("%(saved)s translations saved, %(unchanged)s unchanged.") % {
            "saved": result.saved, "unchanged": result.unchanged})  # fmt: skip
    return redirect("promise-translate", slug=slug, language=language)
