"""Every URL pattern of the project, as (name, route, sample path): the input of the URL gate."""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# A value per path converter, for a concrete URL to request (ids that exist nowhere).
SAMPLES = {
    "int": "987654",
    "str": "x",
    "slug": "x",
    "path": "x/y",
    "uuid": "00000000-0000-0000-0000-000000000000",
    "drf_format_suffix": ".json",
}
_CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the route itself when unnamed
    route: str
    path: str | None  # None: a regex route this walker cannot fill


_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^()]*)\)")


def _group_sample(match) -> str:
    name, body = match.group("name"), match.group("body")
    if re.fullmatch(r"[\w-]+(\|[\w-]+)*", body):  # an alternation of words: take the first
        return body.split("|")[0]
    if name == "format":
        return "json"
    if body == ".*":
        return "x"
    return SAMPLES["int"]


def _sample(route: str) -> str | None:
    """A concrete path for `route` (path converters and simple regex groups filled in)."""
    text = _GROUP.sub(_group_sample, route)
    text = _CONVERTER.sub(lambda m: SAMPLES.get(m.group("kind") or "str", "x"), text)
    text = text.replace("/?$", "").replace("^", "").replace("$", "").replace("\\.", ".")
    if re.search(r"[()\[\]*+?\\]", text):
        return None  # a regex this walker cannot fill
    return "/" + text


def _pattern_text(pattern) -> str:
    return str(pattern.pattern)


def walk(resolver=None, prefix: str = "", namespace: str = "") -> list[Route]:
    resolver = resolver or get_resolver()
    routes = []
    for entry in resolver.url_patterns:
        text = prefix + _pattern_text(entry)
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            routes += walk(entry, text, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else text
            routes.append(Route(name=name, route=text, path=_sample(text)))
    return routes
