"""The JSON API's blueprint: bearer tokens in, JSON and problem documents out (the views are
web/api/commitments.py, readouts.py, events.py and docs.py; web/api/__init__.py registers them).

Authentication is only by a personal API token (`Authorization: Bearer ...`): the session
cookie of the web app is never looked at here, which is why the blueprint can be exempt from
CSRF — a forged cross-site request carries the cookie but cannot carry the token.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app, g, request
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from tracker.models import TokenKind
from tracker.services import errors
from tracker.services.errors import (
    DuplicateReadout,
    InvalidInput,
    PermissionDenied,
    ServiceError,
    VersionConflict,
)
from tracker.services.paging import InvalidCursor
from tracker.services.permissions import can_see_readout
from web.api.common import caller
from web.api.problems import ApiProblem, from_http_exception, from_problem, problem_response
from web.api.spec import API_PREFIX
from web.auth import csrf, officer_for_token
from web.db import get_session
from web.security import DATABASE_UNAVAILABLE, database_error

log = logging.getLogger(__name__)

bp = Blueprint("api", __name__, url_prefix=API_PREFIX)
csrf.exempt(bp)

# Endpoints anyone may read: the document and the page that describe the API hold no data.
PUBLIC_ENDPOINTS = {"api.openapi_json", "api.docs"}


def _is_api_request() -> bool:
    return request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")


@bp.before_app_request
def _routing_errors_as_problems() -> Response | None:
    """A path under /api/v1 that matches no route (404) or not this method (405) gets a problem
    document too; these errors happen before any blueprint is chosen, so the blueprint's own
    error handlers never see them, and app-wide handlers belong to the web pages."""
    exc = request.routing_exception
    if isinstance(exc, NotFound | MethodNotAllowed) and _is_api_request():
        return from_http_exception(exc)
    return None


@bp.before_request
def _authenticate() -> Response | None:
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    challenge = 'Bearer realm="tracker-api"'
    if scheme.lower() != "bearer" or not token.strip():
        return problem_response(
            401,
            "send a personal API token as `Authorization: Bearer <token>`",
            headers={"WWW-Authenticate": challenge},
        )
    officer = officer_for_token(token.strip(), TokenKind.API)
    if officer is None:
        return problem_response(
            401,
            "the API token is unknown, revoked, or belongs to a deactivated officer",
            headers={"WWW-Authenticate": challenge + ', error="invalid_token"'},
        )
    g.api_officer = officer
    return None


@bp.errorhandler(ApiProblem)
def _api_problem(exc: ApiProblem) -> Response:
    return from_problem(exc)


@bp.errorhandler(ServiceError)
def _service_error(exc: ServiceError) -> Response:
    if isinstance(exc, VersionConflict):
        return problem_response(
            412,
            str(exc),
            headers={"ETag": f'"{exc.actual}"'},
            current_version=exc.actual,
            changes=exc.changes,
        )
    if isinstance(exc, DuplicateReadout) and not can_see_readout(get_session(), caller(), exc.readout_id):
        # Need-to-know (issue 19): stored, but hidden from the caller; neither its id nor its title.
        return problem_response(
            409,
            "this readout is already stored (restricted to other desks)",
            slug="duplicate-readout",
            title="Readout already stored",
        )
    if isinstance(exc, DuplicateReadout):
        return problem_response(
            409,
            str(exc),
            slug="duplicate-readout",
            title="Readout already stored",
            headers={"Location": f"{API_PREFIX}/readouts/{exc.readout_id}"},
            readout_id=exc.readout_id,
        )
    if isinstance(exc, errors.NotFound):
        return problem_response(404, str(exc))
    if isinstance(exc, PermissionDenied):
        return problem_response(403, str(exc))
    if isinstance(exc, InvalidCursor):
        return problem_response(400, str(exc), slug="invalid-cursor", errors={"cursor": [str(exc)]})
    if isinstance(exc, InvalidInput):
        return problem_response(422, str(exc))
    return problem_response(400, str(exc))


@bp.errorhandler(StaleDataError)
def _stale(exc: StaleDataError) -> Response:
    # A concurrent writer bumped the version between our read and our UPDATE.
    return problem_response(
        412, "the commitment was changed by someone else while this change was being saved; read it again"
    )


def _http_error(exc: HTTPException) -> Response:
    return from_http_exception(exc)


# Registered per status code as well as for the class: Flask prefers an app-wide handler for
# a code over a blueprint's handler for the class, and the web pages register app-wide ones.
bp.register_error_handler(HTTPException, _http_error)
for _code in (400, 401, 403, 404, 405, 406, 409, 412, 413, 415, 422, 428, 429):
    bp.register_error_handler(_code, _http_error)


# The database being unreachable is a 503, not a bug: the app-wide handler answers it (with a
# problem document here); this blueprint's catch-all below would otherwise make it a 500.
for _error_class in DATABASE_UNAVAILABLE:
    bp.register_error_handler(_error_class, database_error)


@bp.errorhandler(Exception)
def _unexpected(exc: Exception) -> Response:
    if current_app.testing and current_app.config.get("API_PROPAGATE_EXCEPTIONS"):
        raise exc
    # The request line and the exception only: never headers, which carry the token.
    log.exception("API error on %s %s", request.method, request.path)
    return problem_response(500, "something went wrong on our side; nothing was changed")
