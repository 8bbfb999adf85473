"""Typed readers of environment variables that refuse bad values loudly.

Settings read every variable through these helpers so that a typo in production
(``DEBUG=ture``, ``DATABASE_URL=postgress://…``) stops the process at start-up with a
message naming the variable, instead of silently running with a default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import overload
from urllib.parse import parse_qs, unquote, urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}

DATABASE_SCHEMES = {"postgres", "postgresql", "pgsql", "sqlite"}

EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}


def _raw(name: str, environ_: Mapping[str, str] | None) -> str | None:
    value = (environ_ if environ_ is not None else os.environ).get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


@overload
def env_str(name: str, default: str, *, environ_: Mapping[str, str] | None = None) -> str: ...
@overload
def env_str(
    name: str, default: str | None = None, *, environ_: Mapping[str, str] | None = None
) -> str | None: ...
def env_str(
    name: str, default: str | None = None, *, environ_: Mapping[str, str] | None = None
) -> str | None:
    """A plain string; empty counts as unset."""
    value = _raw(name, environ_)
    return default if value is None else value


def env_bool(name: str, default: bool, *, environ_=None) -> bool:
    """``1/true/yes/on`` or ``0/false/no/off`` (any case); anything else is refused."""
    value = _raw(name, environ_)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a boolean: use one of {sorted(_TRUE | _FALSE)}."
    )


def env_int(name: str, default: int, *, minimum: int | None = None, environ_=None) -> int:
    """An integer, optionally with a lower bound."""
    value = _raw(name, environ_)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} must be at least {minimum}.")
    return number


def env_list(name: str, default: list[str], *, environ_=None) -> list[str]:
    """A comma-separated list; blanks between commas are dropped."""
    value = _raw(name, environ_)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_database(name: str, default: str, *, environ_=None) -> dict:
    """A database URL (``postgres://user:pass@host:port/name`` or ``sqlite:///path``)."""
    value = _raw(name, environ_) or default
    scheme = urlsplit(value).scheme
    if scheme not in DATABASE_SCHEMES:
        raise ImproperlyConfigured(
            f"{name} must start with one of {sorted(DATABASE_SCHEMES)}://, got {scheme!r}."
        )
    config = environ.Env.db_url_config(value)
    if not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} names no database.")
    return config


def env_email(name: str, default: str, *, environ_=None) -> dict:
    """An e-mail URL: ``smtp://user:pass@host:587?tls=1``, ``smtps://…``, ``console://``,
    ``file:///path`` or ``locmem://``. Returns Django ``EMAIL_*`` settings."""
    value = _raw(name, environ_) or default
    parts = urlsplit(value)
    if parts.scheme not in EMAIL_BACKENDS:
        raise ImproperlyConfigured(
            f"{name} must start with one of {sorted(EMAIL_BACKENDS)}://, got {parts.scheme!r}."
        )
    config: dict = {"EMAIL_BACKEND": EMAIL_BACKENDS[parts.scheme]}
    if parts.scheme in {"smtp", "smtps"}:
        if not parts.hostname:
            raise ImproperlyConfigured(f"{name} names no SMTP host.")
        query = {k: v[-1].lower() for k, v in parse_qs(parts.query).items()}
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured(f"{name} has a port that is not a number.") from None
        config.update(
            EMAIL_HOST=parts.hostname,
            EMAIL_PORT=port or (465 if parts.scheme == "smtps" else 25),
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_SSL=parts.scheme == "smtps",
            EMAIL_USE_TLS=query.get("tls") in _TRUE,
        )
    elif parts.scheme == "file":
        config["EMAIL_FILE_PATH"] = unquote(parts.path) or str(Path.cwd() / "mail")
    return config
