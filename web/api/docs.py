"""The OpenAPI document and a readable page made from it (server-side; no script, no CDN)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import Response, current_app, render_template
from flask_babel import gettext
from markupsafe import Markup, escape

from web.api.blueprint import bp
from web.api.common import json_response
from web.api.problems import SLUGS, TITLES
from web.api.spec import DESCRIPTIONS, build_spec

_CACHE_KEY = "tracker.openapi"


def openapi_document() -> dict[str, Any]:
    """The app's OpenAPI document, built once per app (routes do not change at run time)."""
    if _CACHE_KEY not in current_app.extensions:
        current_app.extensions[_CACHE_KEY] = build_spec(current_app)
    document: dict[str, Any] = current_app.extensions[_CACHE_KEY]
    return document


@bp.get("/openapi.json")
def openapi_json() -> Response:
    return json_response(openapi_document())


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    ref = schema.get("$ref")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        return name, document["components"]["schemas"][name]
    return None, schema


def _values(values: list[Any]) -> Markup:
    """Enumerated values as code: the same in every language."""
    return Markup(", ").join(Markup("<code>%s</code>") % ("null" if v is None else str(v)) for v in values)


def _either(words: Sequence[str]) -> str:
    """Alternatives joined in the page's language: "string or null"."""
    text = words[0] if words else ""
    for word in words[1:]:
        text = gettext("%(first)s or %(second)s", first=text, second=word)
    return text


def _type_of(schema: dict[str, Any]) -> str:
    """A short human reading of a JSON Schema: `string (date) or null`, `array of Commitment`."""
    if "$ref" in schema:
        return str(schema["$ref"].rsplit("/", 1)[-1])
    if "anyOf" in schema:
        return Markup(_either([Markup(_type_of(s)) for s in schema["anyOf"]]))
    if "enum" in schema and "type" not in schema:
        return Markup(gettext("one of: %(values)s", values=_values(schema["enum"])))
    types = schema.get("type", "any")
    types = types if isinstance(types, list) else [types]
    words: list[str] = []
    for t in types:
        if t == "array":
            words.append(Markup(gettext("array of %(type)s", type=Markup(_type_of(schema.get("items", {}))))))
        elif t == "string" and "format" in schema:
            words.append(f"string ({schema['format']})")
        else:
            words.append(str(t))
    text = Markup(_either(words))
    if "enum" in schema:
        text += Markup(": ") + _values(schema["enum"])
    return text


def _body_schema(response: dict[str, Any]) -> dict[str, Any] | None:
    for content in response.get("content", {}).values():
        schema: dict[str, Any] | None = content.get("schema")
        return schema
    return None


def inline_code(text: str | None) -> Markup:
    """Escaped text with `backticked` spans as <code>, the one markup the descriptions use."""
    parts = (text or "").split("`")
    return Markup("").join(
        Markup("<code>{}</code>").format(part) if i % 2 else escape(part) for i, part in enumerate(parts)
    )


def problem_list() -> list[tuple[str, int, str, str]]:
    """The problem types of the API (slug, status, title, description), as the docs list them."""
    problems = [(SLUGS[s], s, TITLES[s], DESCRIPTIONS.get(s, "")) for s in sorted(SLUGS)]
    problems += [
        ("invalid-query", 400, "Bad request", "A query parameter is not valid (see `errors`)."),
        ("invalid-cursor", 400, "Bad request", "The cursor is not one this API gave out."),
        ("malformed-json", 400, "Bad request", "The body is not valid JSON."),
        ("duplicate-readout", 409, "Readout already stored", DESCRIPTIONS[409]),
    ]
    problems.sort(key=lambda p: (p[1], p[0]))
    return problems


@bp.get("/docs")
def docs() -> str:
    document = openapi_document()
    operations = []
    for path, methods in document["paths"].items():
        for method, op in methods.items():
            body = []
            for media, content in op.get("requestBody", {}).get("content", {}).items():
                name, schema = _resolve(document, content["schema"])
                body.append((media, name, schema))
            operations.append(
                {
                    "id": f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", ""),
                    "method": method.upper(),
                    "path": path,
                    "op": op,
                    "body": body,
                    "responses": [
                        (status, r["description"], _body_schema(r)) for status, r in op["responses"].items()
                    ],
                }
            )
    problems = problem_list()
    return render_template(
        "api_docs.html",
        title=gettext("API"),
        document=document,
        operations=operations,
        schemas=document["components"]["schemas"],
        problems=problems,
        type_of=_type_of,
        code=inline_code,
    )
