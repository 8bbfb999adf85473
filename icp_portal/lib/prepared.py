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

``fetched_together(a.call(...), b.call(...))`` sends several compiled queries as one
statement (one round trip: each part's rows under its own number, ``UNION ALL``); inside
the block, ``run`` with exactly one of those variants and slot values returns the rows
fetched, once, instead of querying. A caller may so *guess* a later query (the scope a
token had on its last call) and send it with the first: the guess is checked by ``run``
itself, since only the variant the code then asks for takes the rows; a wrong guess costs
the query it would have run anyway.
"""

from __future__ import annotations

import copy
import itertools
import logging
import re
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import DatabaseError, connections, transaction
from django.db.models import QuerySet

_T = TypeVar("_T")
_LOG = logging.getLogger(__name__)
_NAMES = itertools.count(1)
_BIGINT = (-(2**63), 2**63 - 1)
_PLACEHOLDER = re.compile(r"%[s%]")
# Rows fetched ahead (``fetched_together``), by (prepared, variant, slot values).
_AHEAD: ContextVar[dict | None] = ContextVar("prepared_ahead", default=None)


@dataclass(frozen=True)
class _Compiled:
    queryset: QuerySet | None  # None: the query can match nothing (e.g. ``none()``)
    compiler: Any
    sql: str
    params: tuple
    slots: dict[str, tuple[int, ...]]
    name: str  # of the server-side prepared statement
    converters: dict
    composite: bool  # whether a selected field is composite (read once, not per row)

    def prepared_text(self, connection: Any, first: int = 1) -> tuple[str, list[int]]:
        """The SQL to ``PREPARE``: each slot's placeholder numbered from ``$first``, every
        other parameter (a constant of the query's shape: a kind, a group's name) written
        in as the literal the driver would send for it; and the positions among the
        parameters whose values ``EXECUTE`` passes, in that order. A call so sends only
        its slots' values, and PostgreSQL plans with the constants in view."""
        slotted = {position for positions in self.slots.values() for position in positions}
        positions = iter(range(len(self.params)))
        passed: list[int] = []

        def placeholder(match: re.Match) -> str:
            if match[0] == "%%":
                return "%"
            position = next(positions)
            if position in slotted:
                passed.append(position)
                return f"${first + len(passed) - 1}"
            return connection.ops.compose_sql("%s", [self.params[position]])

        return _PLACEHOLDER.sub(placeholder, self.sql), passed


@dataclass(frozen=True)
class _Combined:
    """Several compiled queries as one statement: each row is a part's number, then every
    part's columns (NULL but its own)."""

    sql: str  # with Django's placeholders: every part's parameters, twice
    parts: tuple[_Compiled, ...]
    name: str
    label: str

    def prepared_text(self, connection: Any) -> tuple[str, list[int]]:
        """As ``_Compiled.prepared_text``, for the parts together; positions among the
        parts' parameters once over (the first branch reuses each part's numbers)."""
        texts: list[str] = []
        passed: list[int] = []
        offset = 0
        for part in self.parts:
            text, own = part.prepared_text(connection, first=len(passed) + 1)
            texts.append(text)
            passed += [offset + position for position in own]
            offset += len(part.params)
        return _union(texts, [part.compiler.col_count for part in self.parts]), passed


@dataclass(frozen=True)
class Call:
    """A compiled query with its values, not yet run (``Prepared.call``)."""

    prepared: Prepared
    variant: Hashable
    values: dict[str, Any] = field(hash=False)


_COMBINED: dict[tuple[str, ...], _Combined | None] = {}


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


def _server_side(
    connection: Any, statement: _Compiled | _Combined, label: str, params: list
) -> tuple[str, list] | None:
    """``EXECUTE`` of ``statement`` on this connection with its arguments taken from
    ``params``, preparing it the first time; None where it cannot be (not PostgreSQL, or
    PostgreSQL refused to prepare it)."""
    if connection.vendor != "postgresql":
        return None
    connection.ensure_connection()
    owner, prepared = getattr(connection, "_prepared_statements", (None, None))
    if owner is not connection.connection or prepared is None:  # nothing prepared on it yet
        prepared = {}
        connection._prepared_statements = (connection.connection, prepared)
    if statement.name not in prepared:
        try:
            text, passed = statement.prepared_text(connection)
            with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                cursor.execute(f"PREPARE {statement.name} AS {text}")
            prepared[statement.name] = passed
        except DatabaseError:
            prepared[statement.name] = None
    passed = prepared[statement.name]
    if passed is None:
        return None
    arguments = f" ({', '.join(['%s'] * len(passed))})" if passed else ""
    return f"/* {label} */ EXECUTE {statement.name}{arguments}", [params[i] for i in passed]


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

    def call(self, variant: Hashable, /, **values: Any) -> Call:
        """This query with these values, to send with others (``fetched_together``)."""
        return Call(self, variant, values)

    def run(self, variant: Hashable, /, **values: Any) -> list:
        slots = self._slot_values(values)
        if slots is None:
            return []  # matches nothing, as Django's lookups answer
        ahead = _AHEAD.get()
        if ahead:
            fetched = ahead.pop((self, variant, tuple(slots.items())), None)
            if fetched is not None:
                return fetched
        compiled = self._compiled.get(variant)
        if compiled is None:
            compiled = self._compiled[variant] = self._compile(values)
        if compiled.queryset is None:
            return []
        # Each thread uses its own connection (Django's connections belong to the thread
        # that opened them).
        connection = connections[compiled.queryset.db]
        params = self._params(compiled, slots)

        def send() -> list:
            sql, arguments = _server_side(connection, compiled, self.label, params) or (
                compiled.sql,
                params,
            )
            return _results(compiled, connection, sql=sql, params=arguments)

        return _checked_by_use(connection, send)

    def _slot_values(self, values: dict[str, Any]) -> dict[str, Any] | None:
        """Each slot's value; None when an id slot's value is no whole number the database
        can hold (nothing matches it)."""
        slots = {}
        for name, placeholder in self._placeholders.items():
            value = values[name]
            if isinstance(placeholder, int):  # an id: a whole number the database can hold
                try:
                    value = int(value)
                except (TypeError, ValueError):
                    return None
                if not _BIGINT[0] <= value <= _BIGINT[1]:
                    return None
            slots[name] = value
        return slots

    def _params(self, compiled: _Compiled, slots: dict[str, Any]) -> list:
        """The compiled query's parameters with these slot values (a copy per call:
        threads never share parameters)."""
        params = list(compiled.params)
        for name, positions in compiled.slots.items():
            value = str(slots[name]) if name in self._as_text else slots[name]
            for position in positions:
                params[position] = value
        return params

    def _compile(self, values: dict[str, Any]) -> _Compiled:
        context = {k: v for k, v in values.items() if k not in self._placeholders}
        queryset = self._build(**self._placeholders, **context)
        compiler = queryset.query.get_compiler(using=queryset.db)
        self.compilations += 1
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return _Compiled(None, None, "", (), {}, "", {}, False)
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
        fields = [s[0] for s in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(fields)
        composite = compiler.has_composite_fields(fields)
        return _Compiled(queryset, compiler, sql, tuple(params), slots, name, converters, composite)


def _checked_by_use(connection: Any, send: Callable[[], _T]) -> _T:
    """``send()``, the statement itself checking the connection. Where Django would first
    send ``SELECT 1`` (``CONN_HEALTH_CHECKS``: before a request's first query, on a kept
    connection), the statement goes alone; should it find the connection gone (the server
    restarted, a firewall dropped it), it is sent once more on a new connection, as
    Django's check would have had it. One round trip per call instead of two. Only outside
    a transaction (a read sent twice is the same read); elsewhere Django checks as usual."""
    if (
        connection.connection is None
        or not connection.health_check_enabled
        or connection.health_check_done
        or connection.in_atomic_block
    ):
        return send()
    connection.health_check_done = True
    try:
        return send()
    except DatabaseError:
        if connection.is_usable():
            raise  # the statement failed, not the connection
        connection.close()
        return send()


def _results(
    compiled: _Compiled, connection: Any, *, sql: str = "", params: Any = (), rows: Any = None
) -> list:
    """The queryset's own results (model instances with their related objects, or dicts)
    from the kept compiler: running ``sql`` with ``params``, or converting ``rows`` that
    were fetched already."""
    compiler = copy.copy(compiled.compiler)
    compiler.connection = connection
    compiler.get_converters = lambda fields: compiled.converters
    compiler.has_composite_fields = lambda fields: compiled.composite
    if rows is None:
        compiler.as_sql = lambda *args, **kwargs: (sql, tuple(params))
    else:
        compiler.execute_sql = lambda *args, **kwargs: [rows]
    # The queryset's own iterable reads the rows, asking this compiler instead of
    # compiling the query.
    template = compiled.queryset
    if template is None:  # a query that matches nothing is never sent
        return []
    queryset = template.__class__.__new__(template.__class__)
    queryset.__dict__.update(template.__dict__, _result_cache=None, _prefetch_done=False)
    queryset._query = _CompiledQuery(template.query, compiler)  # type: ignore[attr-defined]
    return list(queryset)


def _union(texts: list[str], widths: list[int]) -> str:
    """Parts' SQL as one statement: ``UNION ALL`` of a branch per part, ``SELECT i, NULL…,
    q.*, NULL… FROM (part i) q``, after a first branch that reads no row and only gives
    every column its type (``… FROM (part 0) q0, (part 1) q1 … WHERE 1 = 0``: a NULL's type
    would otherwise be guessed, pairwise, as text)."""
    every = ", ".join(f"({text}) q{number}" for number, text in enumerate(texts))
    columns = ", ".join(f"q{number}.*" for number in range(len(texts)))
    # The parts' compiled SQL: every value stays a parameter (or a constant of the shape).
    branches = [f"SELECT CAST(NULL AS INTEGER), {columns} FROM {every} WHERE 1 = 0"]  # noqa: S608
    for number, text in enumerate(texts):
        own = [
            "q.*" if other == number else ", ".join(["NULL"] * width)
            for other, width in enumerate(widths)
        ]
        branches.append(f"SELECT {number}, {', '.join(own)} FROM ({text}) q")  # noqa: S608
    return " UNION ALL ".join(branches)


def _combined(parts: list[_Compiled], label: str) -> _Combined | None:
    """One statement of ``parts`` (kept per combination; see ``_union``), whose plain SQL
    takes every part's parameters twice; None if a part's columns are not only its
    selected ones (an ORDER BY column added for DISTINCT)."""
    key = tuple(part.name for part in parts)
    if key not in _COMBINED:
        combinable = not any(part.compiler.has_extra_select for part in parts)
        sql = _union([part.sql for part in parts], [part.compiler.col_count for part in parts])
        statement = _Combined(sql, tuple(parts), f"icp_prepared_{next(_NAMES)}", label)
        _COMBINED[key] = statement if combinable else None
    return _COMBINED[key]


@contextmanager
def fetched_together(*calls: Call) -> Iterator[bool]:
    """Send ``calls`` as one statement; inside the block, ``run`` with one of their
    variants and slot values returns its rows (once) without querying. A call whose
    variant is not compiled yet, or that matches nothing, is left out (its ``run`` then
    queries, or answers nothing, as usual); calls on different databases are not sent.
    Yields whether any rows were fetched."""
    fetched = _run_together(calls)
    token = _AHEAD.set(fetched)
    try:
        yield bool(fetched)
    finally:
        _AHEAD.reset(token)


def _run_together(calls: tuple[Call, ...]) -> dict:
    parts = []
    databases = set()
    for call in calls:
        slots = call.prepared._slot_values(call.values)
        compiled = call.prepared._compiled.get(call.variant)
        if slots is None or compiled is None or compiled.queryset is None:
            continue  # not sent: its ``run`` queries (or answers nothing) as usual
        parts.append((call, slots, compiled))
        databases.add(compiled.queryset.db)
    if len(databases) != 1:
        return {}  # nothing to send, or not all to one database
    label = " + ".join(call.prepared.label for call, _, _ in parts)
    combined = _combined([compiled for _, _, compiled in parts], label)
    if combined is None:
        return {}
    params = [p for call, slots, compiled in parts for p in call.prepared._params(compiled, slots)]
    connection = connections[databases.pop()]

    def send() -> list:
        # Plain SQL (not prepared) takes the parameters twice: the first branch, then each
        # part's own.
        sql, arguments = _server_side(connection, combined, label, params) or (
            combined.sql,
            params * 2,
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, arguments)
            return cursor.fetchall()

    try:
        rows = _checked_by_use(connection, send)
    except DatabaseError:
        if connection.in_atomic_block:
            raise  # the transaction is spoilt: as any failed query, to its caller
        # Sent together, the queries failed: each ``run`` then sends its own (and fails,
        # if it must, as it would have alone). Logged: it should not happen.
        _LOG.warning("queries sent together failed: %s", label, exc_info=True)
        return {}
    fetched = {}
    start = 1
    for number, (call, slots, compiled) in enumerate(parts):
        end = start + compiled.compiler.col_count
        own = [row[start:end] for row in rows if row[0] == number]
        key = (call.prepared, call.variant, tuple(slots.items()))
        fetched[key] = _results(compiled, connection, rows=own)
        start = end
    return fetched
