"""The admin changelist's rows (`{% result_list cl %}`), the same HTML as Django's, for less CPU.

Django's `items_for_result` (django.contrib.admin.templatetags.admin_list) works out, for every
cell of every row, what is the same for the whole page: the column's empty-value text, classes and
whether it links, the change URL through `reverse()`, and the kept filters through
`add_preserved_filters()` — which parses the URL and, when the list is filtered or searched,
`resolve()`s it again. On a page of 50 rows that was about half of the changelist's CPU. Here the
per-page parts are worked out once (the change URL reversed once with a placeholder key, the kept
filters' query string computed once: every row's change URL resolves to the same view, so it is
the same for all) and each cell does only what depends on its row: `lookup_field` and
`display_for_field`/`display_for_value`, exactly as Django calls them.

Used by templates/admin/change_list.html for every changelist; a list with editable columns
(`list_editable`: a formset) or a ChangeList that builds its own result URLs takes Django's own path.
tests/config/test_admin_list.py compares the two renderings row for row.
"""

import contextlib
import datetime
from collections.abc import Iterator
from typing import Any

from django import template
from django.contrib.admin.templatetags import admin_list as django_admin_list
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.contrib.admin.utils import (
    display_for_field,
    display_for_value,
    get_fields_from_path,
    lookup_field,
)
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.template.base import Parser, Token
from django.urls import NoReverseMatch, reverse
from django.utils.hashable import make_hashable
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

from config.choices import choice_labels

register = template.Library()

PLACEHOLDER = "~pk~"  # a key no row has: '~' is kept as is by reverse() and by the admin's quote()


class _Column:
    """What a column's cells share on one page."""

    def __init__(self, cl: ChangeList, field_name: Any, field_index: int, link: bool, table_tag: str) -> None:
        self.field_name = field_name
        coerce = django_admin_list._coerce_field_name  # type: ignore[attr-defined]  # Django's, not in the stubs
        self.field_class = f"field-{coerce(field_name, field_index)}"
        self.link = link
        self.table_tag = table_tag
        self.empty_value_display = cl.model_admin.get_empty_value_display()

    @staticmethod
    def labels(field: Any) -> dict | None:
        """The field's fixed choice labels (config.choices), or None: display_for_field decides."""
        if field.name == "password" or not getattr(field, "choices", None):
            return None
        return choice_labels(field)


class _Page:
    """What every row of one changelist page shares."""

    def __init__(self, cl: ChangeList) -> None:
        self.cl = cl
        self.pk = cl.lookup_opts.pk.attname
        self.columns: list[_Column] = []
        first = True
        for field_index, field_name in enumerate(cl.list_display):
            link = self._link_in_col(first, field_name)
            table_tag = ""
            if link:
                table_tag = "th" if first else "td"
                first = False
            self.columns.append(_Column(cl, field_name, field_index, link, table_tag))
        self.url_template: str | None = None
        self.preserved_query: str | None = None
        try:
            self.url_template = reverse(
                f"admin:{cl.opts.app_label}_{cl.opts.model_name}_change",
                args=(PLACEHOLDER,),
                current_app=cl.model_admin.admin_site.name,
            )
        except NoReverseMatch:
            self.url_template = None
        if self.url_template is not None and self.url_template.count(PLACEHOLDER) != 1:
            self.url_template = None

    def _link_in_col(self, is_first: bool, field_name: Any) -> bool:
        cl = self.cl
        if cl.list_display_links is None:
            return False
        if is_first and not cl.list_display_links:
            return True
        return field_name in cl.list_display_links

    def url_for_result(self, result: Any) -> str:
        """cl.url_for_result(result) with the kept filters added (what Django's rows link to)."""
        pk = getattr(result, self.cl.pk_attname)
        if self.url_template is None or type(pk) is not int:
            url = self.cl.url_for_result(result)  # may raise NoReverseMatch, as in Django
            return add_preserved_filters(
                {"preserved_filters": self.cl.preserved_filters, "opts": self.cl.opts}, url
            )
        url = self.url_template.replace(PLACEHOLDER, str(pk))  # an integer key: reverse() gives its digits
        if self.preserved_query is None:
            # The same for every row: each change URL resolves to the change view, never the list.
            preserved = add_preserved_filters(
                {"preserved_filters": self.cl.preserved_filters, "opts": self.cl.opts}, url
            )
            self.preserved_query = preserved[len(url) :] if preserved.startswith(url) else None
            if self.preserved_query is None:
                return preserved
        return url + self.preserved_query

    def items(self, result: Any) -> Iterator[SafeString]:
        """Django's items_for_result(cl, result, None), cell for cell."""
        cl = self.cl
        for column in self.columns:
            field_name = column.field_name
            empty_value_display = column.empty_value_display
            row_classes = [column.field_class]
            result_repr: Any
            try:
                f, attr, value = lookup_field(field_name, result, cl.model_admin)
            except ObjectDoesNotExist:
                result_repr = empty_value_display
            else:
                empty_value_display = getattr(attr, "empty_value_display", empty_value_display)
                if f is None and isinstance(field_name, str) and LOOKUP_SEP in field_name:
                    with contextlib.suppress(FieldDoesNotExist):
                        f = get_fields_from_path(cl.model, field_name)[-1]
                if f is None or f.auto_created:
                    if field_name == "action_checkbox":
                        row_classes = ["action-checkbox"]
                    boolean = getattr(attr, "boolean", False)
                    if isinstance(attr, property) and hasattr(attr, "fget"):
                        boolean = getattr(attr.fget, "boolean", False)
                    result_repr = display_for_value(value, empty_value_display, boolean)
                    if isinstance(value, (datetime.date, datetime.time)):
                        row_classes.append("nowrap")
                else:
                    if isinstance(f.remote_field, models.ManyToOneRel):
                        result_repr = empty_value_display if value is None else value
                    elif (labels := column.labels(f)) is not None:
                        # display_for_field's choices branch, from the field's labels made once
                        result_repr = labels.get(make_hashable(value), empty_value_display)
                    else:
                        result_repr = display_for_field(value, f, empty_value_display, avoid_link=column.link)
                    if isinstance(f, (models.DateField, models.TimeField, models.ForeignKey)):
                        row_classes.append("nowrap")
            row_class = SafeString(' class="{}"'.format(" ".join(row_classes)))
            if column.link:
                try:
                    url = self.url_for_result(result)
                except NoReverseMatch:
                    link_or_text = result_repr
                else:
                    attr_name = str(cl.to_field) if cl.to_field else self.pk
                    link_or_text = format_html(
                        '<a href="{}"{}>{}</a>',
                        url,
                        (
                            format_html(' data-popup-opener="{}"', result.serializable_value(attr_name))
                            if cl.is_popup
                            else ""
                        ),
                        result_repr,
                    )
                tag = column.table_tag
                yield SafeString(f"<{tag}{row_class}>{conditional_escape(link_or_text)}</{tag}>")
            else:
                # format_html("<td{}>{}</td>", row_class, result_repr) without its per-call overhead.
                yield SafeString(f"<td{row_class}>{conditional_escape(result_repr)}</td>")


def results(cl: ChangeList) -> Iterator[Any]:
    """Django's `results(cl)`: its own path for editable lists and ChangeLists that build their URLs."""
    if cl.formset or type(cl).url_for_result is not ChangeList.url_for_result:
        yield from django_admin_list.results(cl)
        return
    page = _Page(cl)
    for result in cl.result_list:
        # The row's cells joined: the template's loop over them (`{% for item in result %}{{ item }}`)
        # then renders one string a row, not one per cell — the same HTML.
        yield django_admin_list.ResultList(None, [SafeString("".join(page.items(result)))])


def result_list(cl: ChangeList) -> dict[str, Any]:
    """Django's `result_list(cl)` with the rows above."""
    headers = list(django_admin_list.result_headers(cl))
    num_sorted_fields = sum(1 for h in headers if h["sortable"] and h["sorted"])
    return {
        "cl": cl,
        "result_hidden_fields": list(django_admin_list.result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": num_sorted_fields,
        "results": list(results(cl)),
    }


@register.tag(name="result_list")
def result_list_tag(parser: Parser, token: Token) -> InclusionAdminNode:
    return InclusionAdminNode(
        "result_list",
        parser,
        token,
        func=result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )
