"""Errors as RFC 9457 problem documents (`application/problem+json`).

Every error the API gives — ours, Werkzeug's (404, 405, 413 ...) and unexpected ones (500) —
leaves as a problem document, so a client needs one way to read failures.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from flask import Response, current_app, request
from werkzeug.exceptions import HTTPException

PROBLEM_MEDIA_TYPE = "application/problem+json"
# Problem types are relative URIs that resolve to sections of the API page (RFC 9457 §3.1.1).
TYPE_BASE = "/api/v1/docs#problem-"

TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Request too large",
    415: "Unsupported media type",
    422: "Invalid input",
    428: "Precondition required",
    500: "Internal server error",
}
# A stable, documented slug per kind of problem; clients switch on `type`, not on `detail`.
SLUGS = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    412: "version-mismatch",
    413: "too-large",
    415: "unsupported-media-type",
    422: "invalid-input",
    428: "if-match-required",
    500: "server-error",
}


class ApiProblem(Exception):
    """Raised in a view to answer with a problem document."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        slug: str | None = None,
        title: str | None = None,
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.slug = slug
        self.title = title
        self.headers = headers or {}
        self.extensions = extensions


def problem_response(
    status: int,
    detail: str,
    *,
    slug: str | None = None,
    title: str | None = None,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> Response:
    body: dict[str, Any] = {
        "type": TYPE_BASE + (slug or SLUGS.get(status, "error")),
        "title": title or TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        # The path as it appears in a URL (percent-encoded), so that `instance` is a URI reference.
        "instance": quote(request.path, safe="/:@!$&'()*+,;="),
        **extensions,
    }
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def from_problem(exc: ApiProblem) -> Response:
    return problem_response(
        exc.status, exc.detail, slug=exc.slug, title=exc.title, headers=exc.headers, **exc.extensions
    )


def from_http_exception(exc: HTTPException) -> Response:
    """Werkzeug's own errors (routing, body too large ...) as problem documents."""
    status = exc.code or 500
    headers = {
        name: value
        for name, value in exc.get_headers()
        if name.lower() not in ("content-type", "content-length")
    }
    detail = exc.description or TITLES.get(status, "Error")
    if status == 413:
        limit = current_app.config["MAX_CONTENT_LENGTH"]
        detail = f"the request body is larger than the limit of {limit} bytes"
    return problem_response(status, detail, headers=headers)
