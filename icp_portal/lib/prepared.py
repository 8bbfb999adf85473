"""Querysets compiled once and run many times: the API's hottest paths (issue 15).

Django turns a queryset into SQL on every evaluation. For the token lookup with its
user's roles that is about 1 ms of Python for a 0.3 ms query, and it was most of what a
balance call cost above the benchmark's floor. ``Prepared`` keeps the rule where it is —
the queryset a selector builds — and only stops recompiling it:

- the first call of a *variant* builds the queryset with placeholder values in its
  *slots*, compiles it once, and keeps the SQL, where each slot's value goes among the
  parameters, and the compiler (which knows how to turn rows into model instances with
  their ``select_related`` objects and annotations, or into ``values()`` dicts);
- later calls put the real values in place and run the kept SQL through the kept
  compiler, so the rows come back exactly as the queryset's would.

A variant is whatever changes the query's *shape* (e.g. whose scope a visibility rule
applies); slot values (ids, keys) only change parameters. A placeholder must be a value
no query uses as a constant; compiling checks each slot lands in the parameters and
refuses otherwise. Evaluate only what the builder returns (slice it there for ``first``).

On PostgreSQL the kept SQL is also a server-side prepared statement (``PREPARE`` once per
connection, then ``EXECUTE``): planning the token lookup's four joins took 1.2 ms for a
0.1 ms execution. A statement PostgreSQL cannot prepare (a parameter whose type it cannot
infer) runs as plain SQL. Prepared statements last as long as the connection and survive
a rolled-back transaction; a new connection prepares again.
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import DatabaseError, connections, transaction
from django.db.models import QuerySet

_NAMES = itertools.count(1)
_BIGINT = (-(2**63), 2**63 - 1)
_PLACEHOLDER = re.compile(r"%[s%]")


@dataclass(frozen=True)
class _Compiled:
    queryset: QuerySet | None  # None: the query can match nothing (e.g. ``none()``)
    compiler: Any
    sql: str
    params: tuple
    slots: dict[str, tuple[int, ...]]
    name: str  # of the server-side prepared statement
    converters: dict


class _CompiledQuery:
    """The compiled query as the queryset's iterable sees it: its own compiler (the kept
    SQL, this call's parameters); everything else read from the original query."""

    def __init__(self, query: Any, compiler: Any) -> None:
        self._query = query
        self._compiler = compiler

    def get_compiler(self, *args: Any, **kwargs: Any) -> Any:
        return self._compiler

    def __getattr__(self, name: str) -> Any:
        return getattr(self._query, name)


def _numbered(sql: str) -> str:
    """Django's ``%s`` placeholders as PostgreSQL's ``$1, $2…`` (and ``%%`` as ``%``)."""
    numbers = itertools.count(1)
    return _PLACEHOLDER.sub(lambda m: f"${next(numbers)}" if m[0] == "%s" else "%", sql)


def _server_side(connection: Any, compiled: _Compiled, label: str) -> str | None:
    """``EXECUTE`` of ``compiled`` on this connection, preparing it the first time; None
    where it cannot be (not PostgreSQL, or PostgreSQL refused to prepare it)."""
    if connection.vendor != "postgresql":
        return None
    connection.ensure_connection()
    owner, prepared = getattr(connection, "_prepared_statements", (None, None))
    if owner is not connection.connection or prepared is None:  # nothing prepared on it yet
        prepared = {}
        connection._prepared_statements = (connection.connection, prepared)
    if compiled.name not in prepared:
        try:
            with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                cursor.execute(f"PREPARE {compiled.name} AS {_numbered(compiled.sql)}")
            prepared[compiled.name] = True
        except DatabaseError:
            prepared[compiled.name] = False
    if not prepared[compiled.name]:
        return None
    arguments = f" ({', '.join(['%s'] * len(compiled.params))})" if compiled.params else ""
    return f"/* {label} */ EXECUTE {compiled.name}{arguments}"


class Prepared:
    """``Prepared("what", build, pk=-7_000_000_001)`` then ``.run(variant, pk=5, **context)``:
    ``build(**slots, **context)`` returns the queryset; ``run`` returns its rows. ``label``
    names the statement in the SQL (a comment before ``EXECUTE``), for logs and tests."""

    def __init__(self, label: str, build: Callable[..., QuerySet], **placeholders: Any) -> None:
        if not re.fullmatch(r"[\w .-]+", label):
            raise ValueError(f"a label of words, spaces, dots and dashes: {label!r}")
        self.label = label
        self._build = build
        self._placeholders = placeholders
        self._compiled: dict[Hashable, _Compiled] = {}
        self._as_text: set[str] = set()
        self.compilations = 0  # how many variants were compiled (a test reads it)

    def run(self, variant: Hashable, /, **values: Any) -> list:
        for name, placeholder in self._placeholders.items():
            if isinstance(placeholder, int):  # an id: a whole number the database can hold
                try:
                    values[name] = int(values[name])
                except (TypeError, ValueError):
                    return []  # matches nothing, as Django's lookups answer
                if not _BIGINT[0] <= values[name] <= _BIGINT[1]:
                    return []
        compiled = self._compiled.get(variant)
        if compiled is None:
            compiled = self._compiled[variant] = self._compile(values)
        if compiled.queryset is None:
            return []
        params = list(compiled.params)
        for name, positions in compiled.slots.items():
            value = str(values[name]) if name in self._as_text else values[name]
            for position in positions:
                params[position] = value
        # A copy per call: threads never share parameters, and each uses its own
        # connection (Django's connections belong to the thread that opened them).
        connection = connections[compiled.queryset.db]
        sql = _server_side(connection, compiled, self.label) or compiled.sql
        compiler = copy.copy(compiled.compiler)
        compiler.connection = connection
        compiler.as_sql = lambda *args, **kwargs: (sql, tuple(params))
        compiler.get_converters = lambda fields: compiled.converters
        # The queryset's own iterable (model instances with their related objects, or
        # dicts) reads the rows, asking this compiler instead of compiling the query.
        template = compiled.queryset
        queryset = template.__class__.__new__(template.__class__)
        queryset.__dict__.update(template.__dict__, _result_cache=None, _prefetch_done=False)
        queryset._query = _CompiledQuery(template.query, compiler)  # type: ignore[attr-defined]
        return list(queryset)

    def _compile(self, values: dict[str, Any]) -> _Compiled:
        context = {k: v for k, v in values.items() if k not in self._placeholders}
        queryset = self._build(**self._placeholders, **context)
        compiler = queryset.query.get_compiler(using=queryset.db)
        self.compilations += 1
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return _Compiled(None, None, "", (), {}, "", {})
        # A backend may pass a value as text (SQLite's dates): such a slot takes text too.
        self._as_text = {
            name
            for name, placeholder in self._placeholders.items()
            if not isinstance(placeholder, str) and str(placeholder) in params
        }
        slots = {
            name: tuple(
                i
                for i, param in enumerate(params)
                if param == placeholder or (name in self._as_text and param == str(placeholder))
            )
            for name, placeholder in self._placeholders.items()
        }
        missing = [name for name, positions in slots.items() if not positions]
        if missing:
            raise ValueError(f"placeholders not found among the query's parameters: {missing}")
        name = f"icp_prepared_{next(_NAMES)}"
        # How each column's value is converted depends on the column, not the row: once.
        converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
        return _Compiled(queryset, compiler, sql, tuple(params), slots, name, converters)
