"""The OpenAPI 3.1 document, generated with apispec from the app's own routes and schemas.

Each API view carries its operation (`@operation(...)`): the schemas that validate its query
and body, and the statuses it can answer with. `build_spec` walks the app's URL map, so a
route without an operation, or a schema that changed, shows up in the document at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask
from marshmallow import Schema
from werkzeug.routing import IntegerConverter

from web.api.problems import PROBLEM_MEDIA_TYPE, TITLES
from web.api.schemas import MAX_ID, ProblemSchema

F = TypeVar("F", bound=Callable[..., Any])
API_PREFIX = "/api/v1"
API_VERSION = "1.0.0"

DESCRIPTIONS = {
    400: "The query string or the body is malformed.",
    401: "No valid API token: send `Authorization: Bearer <token>`.",
    403: "Your role or desk does not allow this.",
    404: "No such resource.",
    409: "The readout is already stored (see `readout_id`).",
    412: "It changed since you read it (see `current_version` and `changes`); nothing was written.",
    413: "The body is larger than the upload limit.",
    415: "Send `application/json` (or `multipart/form-data` where a file can be uploaded).",
    422: "The request is well formed but its content is refused (see `errors` or `detail`).",
    428: "Send the ETag you read in `If-Match`.",
}


def operation(
    *,
    summary: str,
    tag: str,
    responses: dict[int, tuple[str, type[Schema] | None]],
    errors: tuple[int, ...] = (),
    query: type[Schema] | None = None,
    body: type[Schema] | None = None,
    multipart: type[Schema] | None = None,
    headers: type[Schema] | None = None,
    response_headers: dict[int, dict[str, str]] | None = None,
    description: str | None = None,
) -> Callable[[F], F]:
    """Attach an OpenAPI operation to a view; `responses` maps status -> (description, schema)."""

    def decorate(view: F) -> F:
        view.__dict__["openapi"] = {
            "summary": summary,
            "tag": tag,
            "responses": responses,
            "errors": errors,
            "query": query,
            "body": body,
            "multipart": multipart,
            "headers": headers,
            "response_headers": response_headers or {},
            "description": description or (view.__doc__ or "").strip(),
        }
        return view

    return decorate


_HEADER_DOCS = {
    "ETag": {"description": "The commitment's version, quoted.", "schema": {"type": "string"}},
    "Location": {"description": "The URL of the created resource.", "schema": {"type": "string"}},
}


def _problem_response(status: int) -> dict[str, Any]:
    return {
        "description": DESCRIPTIONS.get(status, TITLES.get(status, "Error")),
        "content": {PROBLEM_MEDIA_TYPE: {"schema": "Problem"}},
    }


def _path_and_parameters(rule_path: str, converters: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    parameters = []
    for name, converter in converters.items():
        schema: dict[str, Any] = {"type": "string"}
        if isinstance(converter, IntegerConverter):
            schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
        parameters.append({"in": "path", "name": name, "required": True, "schema": schema})
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule_path), parameters


def _operation_dict(meta: dict[str, Any], path_parameters: list[dict[str, Any]]) -> dict[str, Any]:
    op: dict[str, Any] = {
        "summary": meta["summary"],
        "tags": [meta["tag"]],
        "parameters": list(path_parameters),
        "responses": {},
    }
    if meta["description"]:
        op["description"] = meta["description"]
    if meta["query"] is not None:
        op["parameters"].append({"in": "query", "schema": meta["query"]})
    if meta["headers"] is not None:
        op["parameters"].append({"in": "header", "schema": meta["headers"]})
    content: dict[str, Any] = {}
    if meta["body"] is not None:
        content["application/json"] = {"schema": meta["body"]}
    if meta["multipart"] is not None:
        content["multipart/form-data"] = {"schema": meta["multipart"]}
    if content:
        op["requestBody"] = {"required": True, "content": content}

    statuses = set(meta["errors"]) | {401}
    if meta["query"] is not None:
        statuses.add(400)
    if path_parameters:
        statuses.add(404)
    if content:
        statuses |= {400, 413, 415, 422}
    for status, (text, schema) in sorted(meta["responses"].items()):
        response: dict[str, Any] = {"description": text}
        if schema is not None:
            response["content"] = {"application/json": {"schema": schema}}
        headers = meta["response_headers"].get(status)
        if headers:
            response["headers"] = {name: _HEADER_DOCS[name] for name in headers}
        op["responses"][str(status)] = response
    for status in sorted(statuses):
        op["responses"][str(status)] = _problem_response(status)
    return op


def build_spec(app: Flask) -> dict[str, Any]:
    """The OpenAPI document of every `api.*` route of `app`."""
    spec = APISpec(
        title="Commitment tracker API",
        version=API_VERSION,
        openapi_version="3.1.0",
        plugins=[MarshmallowPlugin()],
        info={
            "description": (
                "Readouts, the commitments found in them, and the events their deadlines hang on. "
                "Authenticate with a personal API token (Settings → API tokens, or "
                "`tracker tokens create --email E`) sent as `Authorization: Bearer <token>`. "
                "Errors are RFC 9457 problem documents."
            )
        },
        servers=[{"url": "/"}],
        security=[{"bearerAuth": []}],
    )
    spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    spec.components.schema("Problem", schema=ProblemSchema)
    seen_tags: dict[str, None] = {}
    paths: dict[str, dict[str, Any]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions.get(rule.endpoint)
        meta = getattr(view, "openapi", None)
        if meta is None or not rule.endpoint.startswith("api."):
            continue
        path, path_parameters = _path_and_parameters(rule.rule, rule._converters)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation_dict(meta, path_parameters)
        seen_tags[meta["tag"]] = None
    for tag in seen_tags:
        spec.tag({"name": tag})
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()
