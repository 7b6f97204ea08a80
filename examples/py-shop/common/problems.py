"""RFC 9457 problem details: every error answer is `application/problem+json` with a stable
`code`. A client's bad input is a 400 (never a 5xx); a database that cannot be reached is a 503."""

import logging
from typing import Any

import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("problems")


class Problem(Exception):
    """Raise to answer with a problem document."""

    def __init__(
        self,
        status: int,
        code: str,
        title: str,
        detail: str | None = None,
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(title)
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.headers = headers or {}
        self.extensions = extensions

    def body(self, instance: str | None = None) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "type": f"/problems/{self.code.lower().replace('_', '-')}",
            "title": self.title,
            "status": self.status,
            "code": self.code,
        }
        if self.detail:
            doc["detail"] = self.detail
        if instance:
            doc["instance"] = instance
        doc.update(self.extensions)
        return doc

    def response(self, instance: str | None = None) -> JSONResponse:
        return JSONResponse(self.body(instance), status_code=self.status, headers=self.headers, media_type=PROBLEM_JSON)


def invalid(path: str, message: str) -> Problem:
    """A 400 for one bad value read by hand (a header, a query parameter)."""
    return Problem(400, "VALIDATION_FAILED", "Request validation failed", errors=[{"path": path, "message": message}])


def _pointer(loc: tuple[Any, ...]) -> str:
    # FastAPI locations start with where the value was: body fields read as /items/0/sku, the
    # others keep their place: /query/orderId, /header/idempotency-key.
    parts = [str(p) for p in (loc[1:] if loc and loc[0] == "body" else loc)]
    return "/" + "/".join(parts)


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return exc.response(request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"path": _pointer(tuple(e.get("loc", ()))), "message": str(e.get("msg", "invalid"))} for e in exc.errors()
        ]
        problem = Problem(400, "VALIDATION_FAILED", "Request validation failed", errors=errors)
        return problem.response(request.url.path)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        code = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}.get(exc.status_code, "HTTP_ERROR")
        problem = Problem(exc.status_code, code, str(exc.detail), headers=dict(exc.headers or {}))
        return problem.response(request.url.path)

    @app.exception_handler(psycopg.OperationalError)  # also the pool's PoolTimeout
    async def _db_down(request: Request, exc: Exception) -> JSONResponse:
        log.warning("database unavailable: %s", exc)
        problem = Problem(
            503, "DEPENDENCY_UNAVAILABLE", "Database unavailable", headers={"Retry-After": "1"}, retryAfterSeconds=1
        )
        return problem.response(request.url.path)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return Problem(500, "INTERNAL_ERROR", "Internal server error").response(request.url.path)
