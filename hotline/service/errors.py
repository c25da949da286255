"""Errors the service raises, each carrying the Chinese message users read; the API maps them to HTTP codes.

They are plain exceptions (not HTTP ones) so the CLI, the SLA job and tests can use the service without FastAPI.
"""

from __future__ import annotations


class ServiceError(Exception):
    """Base: `message` is what users read (Chinese)."""

    status = 400

    def __init__(self, message: str, **extra):
        super().__init__(message)
        self.message = message
        self.extra = extra


class NotFound(ServiceError):
    status = 404


class Forbidden(ServiceError):
    status = 403


class Invalid(ServiceError):
    """The request itself is wrong (missing field, unknown unit)."""

    status = 422


class Refused(ServiceError):
    """A business rule refuses the action now (late return, extension after the deadline); `reason` says why."""

    status = 422


class Conflict(ServiceError):
    """The ticket changed under the caller (another action won, or the caller's version is stale)."""

    status = 409

    def __init__(self, message: str, *, state: str, version: int, **extra):
        super().__init__(message, state=state, version=version, **extra)
        self.state = state
        self.version = version
