"""What every API view needs: the caller, validated input, and JSON out."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, g, request
from marshmallow import Schema, ValidationError

from tracker.models import Officer
from web.api.problems import ApiProblem
from web.api.schemas import MAX_ID


def caller() -> Officer:
    """The officer whose token authenticated this request."""
    officer: Officer = g.api_officer
    return officer


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    response = Response(json.dumps(data, ensure_ascii=False), status=status, mimetype="application/json")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def check_id(value: int, what: str) -> int:
    """Ids past the 32-bit range name nothing; answer 404 before the driver overflows."""
    if not 1 <= value <= MAX_ID:
        raise ApiProblem(404, f"no {what} with id {value}")
    return value


def load_query(schema: type[Schema]) -> dict[str, Any]:
    """The query string loaded with `schema`; a bad parameter is a 400."""
    try:
        data: dict[str, Any] = schema().load(request.args.to_dict())
    except ValidationError as exc:
        raise ApiProblem(
            400, "some query parameters are not valid", slug="invalid-query", errors=_messages(exc)
        ) from None
    return data


def load_fields(schema: Schema, data: Any) -> dict[str, Any]:
    """`data` (a parsed body) loaded with `schema`; content that does not fit is a 422."""
    try:
        loaded: dict[str, Any] = schema.load(data)
    except ValidationError as exc:
        raise ApiProblem(422, "the request body is not valid", errors=_messages(exc)) from None
    return loaded


def json_body() -> Any:
    """The request's JSON body: 415 for another media type, 400 when it does not parse."""
    if not request.is_json:
        raise ApiProblem(
            415,
            f"send the body as application/json, not {request.mimetype or 'no media type'}",
            headers={"Accept-Patch": "application/json"} if request.method == "PATCH" else None,
        )
    data = request.get_json(silent=True)
    if data is None:
        raise ApiProblem(400, "the body is not valid JSON", slug="malformed-json")
    return data


def _messages(exc: ValidationError) -> dict[str, Any]:
    messages = exc.messages
    if isinstance(messages, dict):
        return {str(k): v for k, v in messages.items()}
    return {"_schema": messages}
