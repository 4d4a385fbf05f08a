"""One error hierarchy for the whole registry. Messages are safe to show to callers."""

from __future__ import annotations


class RegistryError(Exception):
    """Root of every expected failure; `code` is stable and part of the API."""

    code = "REGISTRY_ERROR"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class BadRequest(RegistryError):
    """The request itself cannot be read (malformed or hostile JSON, undecodable headers)."""

    code = "BAD_REQUEST"


class UnsupportedMediaType(BadRequest):
    """The body is not what the endpoint takes (e.g. a form sent where raw bytes are expected)."""

    code = "UNSUPPORTED_MEDIA_TYPE"


class NotFound(RegistryError):
    code = "NOT_FOUND"


class AlreadyExists(RegistryError):
    code = "ALREADY_EXISTS"


class Conflict(RegistryError):
    code = "CONFLICT"


class ValidationFailed(RegistryError):
    code = "VALIDATION_FAILED"


class PermissionDenied(RegistryError):
    code = "PERMISSION_DENIED"

    def __init__(self, message: str, *, reasons: list[str] | None = None) -> None:
        super().__init__(message)
        self.reasons = reasons or []


class Unauthenticated(RegistryError):
    code = "UNAUTHENTICATED"


class DependencyUnavailable(RegistryError):
    code = "DEPENDENCY_UNAVAILABLE"


class IntegrityError(RegistryError):
    """Stored bytes or records do not match what was recorded (digest, hash chain)."""

    code = "INTEGRITY_ERROR"


class ConfigurationError(RegistryError):
    """The process cannot start as configured; the message says what to do."""

    code = "CONFIGURATION_ERROR"
