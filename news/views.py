"""Public pages: the home page, the news list and article pages, and the site-wide search.

Lists read only published articles (`visible_to(PUBLIC)`) whoever is logged in; an article
page also lets staff preview what they may see (their drafts), marked and not indexed.
"""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from config.paginator import CappedPaginator
from news import home as home_blocks
from news import selectors
from news.models import Article

PAGE_SIZE = 10
SEARCH_LIMIT = 20
HOME_LIMITS: dict[str, int] = {Article.Kind.NEWS: 6, Article.Kind.SHOWCASE: 4, Article.Kind.NOTICE: 6}


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=50, required=False)

    def term(self) -> str:
        return self.cleaned_data.get("q", "").strip() if self.is_valid() else ""


class NewsFilterForm(SearchForm):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *Article.Kind.choices], required=False
    )

    def kind_value(self) -> str:
        return self.cleaned_data.get("kind", "") if self.is_valid() else ""


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    latest = selectors.latest_by_kind(HOME_LIMITS)
    return render(
        request,
        "public/home.html",
        {
            "news": latest[Article.Kind.NEWS],
            "showcases": latest[Article.Kind.SHOWCASE],
            "notices": latest[Article.Kind.NOTICE],
            "coverage": home_blocks.coverage_headline(),
            "extra_blocks": home_blocks.extra_blocks(request),
        },
    )


@require_GET
def article_list(request: HttpRequest) -> HttpResponse:
    form = NewsFilterForm(request.GET or None)
    kind, term = (form.kind_value(), form.term()) if form.is_bound else ("", "")
    page = CappedPaginator(selectors.article_cards(kind=kind, term=term), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "news/article_list.html",
        {
            "form": form,
            "page": page,
            "kind": kind,
            "kind_label": Article.Kind(kind).label if kind else "",
            "term": term,
            "kinds": Article.Kind.choices,
        },
    )


@require_GET
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article, context = selectors.article_page(pk=pk, user=request.user)
    return render(request, "news/article_detail.html", {"article": article, **context})


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    term = form.term() if form.is_bound else ""
    results = selectors.search_everything(term, limit=SEARCH_LIMIT) if term else None
    return render(request, "news/search.html", {"form": form, "term": term, "results": results})
