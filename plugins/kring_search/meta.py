"""Per-page metadata for templates: absolute URLs and JSON-LD.

The JSON is built here, not in Jinja, so quoting is json.dumps' job; ``<``, ``>``
and ``&`` are escaped so nothing in a title can close the <script> element.
"""

from __future__ import annotations

import json

from jinja2 import pass_context
from markupsafe import Markup

from . import settings as search_settings

SCHEMA = "https://schema.org"


def page_url(output_file: str) -> str:
    """'articles/x/index.html' -> 'articles/x/' (the URL a reader sees)."""
    if output_file.endswith("index.html"):
        return output_file[: -len("index.html")]
    return output_file


def _text(html) -> str:
    return Markup(str(html or "")).striptags()


def _absolute(base: str, path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return f"{base}/{path.lstrip('/')}"


def person(member, base: str) -> dict:
    data = {"@type": "Person", "name": member.name}
    if member.public:
        data["url"] = _absolute(base, member.url)
    return data


def organization(settings, base: str) -> dict:
    return {"@type": "Organization", "name": _text(settings.get("SITENAME")), "url": f"{base}/"}


def article_data(article, settings, base: str) -> dict:
    data = {
        "@type": "Article",
        "headline": _text(article.title),
        "datePublished": article.date.isoformat(),
        "inLanguage": article.lang,
        "url": _absolute(base, article.url),
        "publisher": organization(settings, base),
    }
    if getattr(article, "modified", None):
        data["dateModified"] = article.modified.isoformat()
    if getattr(article, "summary", None):
        data["description"] = _text(article.summary)
    authors = [a.member for a in getattr(article, "authors", []) if getattr(a, "member", None)]
    if authors:
        data["author"] = [person(m, base) for m in authors]
    if getattr(article, "tags", None):
        data["keywords"] = [str(t) for t in article.tags]
    return data


def member_data(member, base: str) -> dict:
    data = person(member, base)
    if member.role:
        data["jobTitle"] = member.role
    data["image"] = _absolute(base, member.avatar)
    if member.expertise:
        data["knowsAbout"] = list(member.expertise)
    if member.links:
        data["sameAs"] = list(member.links)
    groups = member.public_groups
    if groups:
        data["memberOf"] = [{"@type": "Organization", "name": g.name, "url": _absolute(base, g.url)} for g in groups]
    return data


def group_data(group, base: str) -> dict:
    data = {"@type": "Organization", "name": group.name, "url": _absolute(base, group.url)}
    if group.summary:
        data["description"] = _text(group.summary)
    if group.public_members:
        data["member"] = [person(m, base) for m in group.public_members]
    return data


def structured_data(ctx) -> dict:
    """The JSON-LD object of the page being rendered (always an Organization at least)."""
    settings = ctx  # the page context holds every setting
    base = search_settings.public_url(settings)
    article, member, group = ctx.get("article"), ctx.get("member"), ctx.get("group")
    if isinstance(ctx.get("page_jsonld"), dict):  # a plugin's own page type brings its object (kring_events)
        data = ctx["page_jsonld"]
    elif article is not None and hasattr(article, "date"):
        data = article_data(article, settings, base)
    elif member is not None and hasattr(member, "expertise"):
        data = member_data(member, base)
    elif group is not None and hasattr(group, "moderators"):
        data = group_data(group, base)
    else:
        data = organization(settings, base)
    return {"@context": SCHEMA, **data}


def to_script_json(data: dict) -> Markup:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


@pass_context
def jsonld(ctx) -> Markup:
    return to_script_json(structured_data(ctx))


@pass_context
def canonical_url(ctx) -> str:
    return _absolute(search_settings.public_url(ctx), page_url(ctx.get("output_file") or ""))


@pass_context
def absolute_url(ctx, path: str) -> str:
    return _absolute(search_settings.public_url(ctx), str(path))


def install(generator) -> None:
    """``generator_init`` receiver: the helpers every template may call."""
    env = generator.env
    env.globals["kring_jsonld"] = jsonld
    env.globals["kring_canonical"] = canonical_url
    env.filters["absolute_url"] = absolute_url
