"""Benchmark of the balance API against a floor.

    python -m bench.balances --scale N [--seconds 15] [--clients 8] [--rounds 3]

Builds (once per scale) a data set N times the 2011 program in its own PostgreSQL
database — 125 agreements of 56 contractors, about 2,000 cases' worth of ledger entries
per 1× — serves the portal with gunicorn on 127.0.0.1, and drives
``/api/v1/balances/?page_size=500`` and ``/api/v1/agreements/{id}/balance/`` with
concurrent keep-alive clients for a fixed time. It does the same against the floor (one
hand-written SQL aggregate in a bare view, ``bench/floor.py``) and prints JSON:
requests/s, p50 and p95 latency, queries per request, and the ratio to the floor.

Each endpoint is measured as of 2011-12-31 and current (no ``as_of``), portal and floor,
and as a polling client holding the ETag (``If-None-Match`` → 304; its ratio is to the
floor's dated figure, which is what the client would otherwise ask). The variants run in
alternating rounds, so a shared machine's load falls on each alike.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.common import create_database

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://icp:icp@127.0.0.1:5432/icp_bench")

# 1× = the 2011 program (domain.md §1).
AGREEMENTS_PER_SCALE = 125
CONTRACTORS_PER_SCALE = 56
CASES_PER_SCALE = 2000


def _database_url(scale: int) -> str:
    parts = urlsplit(BASE_URL)
    return urlunsplit(parts._replace(path=f"{parts.path}_{scale}x"))


def _environment(scale: int) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": _database_url(scale),
        "SECRET_KEY": "benchmark-only-secret-key-not-for-production-0123456789abcdef",
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "ERROR",
    }


def _create_database(scale: int) -> None:
    create_database(_database_url(scale))


def _setup_django(scale: int) -> None:
    os.environ.update(_environment(scale))
    import django

    django.setup()


def build(scale: int) -> dict:
    """Create the data set once; a rerun at the same scale reuses it."""
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", verbosity=0)
    from agreements.models import Agreement, CreditEntry, Procurement
    from organizations.choices import OFFICE_GROUP, OrganizationKind
    from organizations.models import Organization, User
    from organizations.services import api_token_issue, office_group_sync

    n_agreements = AGREEMENTS_PER_SCALE * scale
    if Agreement.objects.count() != n_agreements:
        if Agreement.objects.exists():
            raise SystemExit(f"{_database_url(scale)} holds another data set; drop it first.")
        rng = random.Random(2011)
        started = time.monotonic()
        with transaction.atomic():
            office_group_sync()
            user, _ = User.objects.get_or_create(username="bench-office")
            user.groups.add(office_group_sync())
            agencies = Organization.objects.bulk_create(
                Organization(
                    kind=OrganizationKind.PROCURING_AGENCY,
                    name_zh=f"採購單位{i}",
                    name_en=f"Agency {i}",
                    country="TW",
                )
                for i in range(10 * scale)
            )
            contractors = Organization.objects.bulk_create(
                Organization(
                    kind=OrganizationKind.FOREIGN_CONTRACTOR,
                    name_zh=f"國外承商{i}",
                    name_en=f"Contractor {i}",
                    country="US",
                )
                for i in range(CONTRACTORS_PER_SCALE * scale)
            )
            procurements = Procurement.objects.bulk_create(
                Procurement(
                    agency=rng.choice(agencies),
                    title_zh=f"購案{i}",
                    title_en=f"P{i}",
                    contract_value=Decimal("1000000000.00"),
                    contract_currency="USD",
                    contract_signed_on=date(2000, 1, 1) + timedelta(days=i % 4000),
                )
                for i in range(n_agreements)
            )
            agreements = Agreement.objects.bulk_create(
                Agreement(
                    number=f"B-{i:06d}",
                    procurement=procurement,
                    contractor=contractors[i % len(contractors)],
                    currency="TWD_PTS" if i % 7 == 0 else "USD_PTS",
                    obligation=Decimal(rng.randrange(20, 2000) * 1000000),
                    signed_on=procurement.contract_signed_on + timedelta(days=60),
                    execution_ends_on=date(2030, 1, 1),
                    briefing_due_on=procurement.contract_signed_on + timedelta(days=150),
                )
                for i, procurement in enumerate(procurements)
            )
            entries = []

            def entry(agreement, kind, amount, on, use=""):
                entries.append(
                    CreditEntry(
                        agreement=agreement,
                        kind=kind,
                        applies_to=kind,
                        amount=amount,
                        currency=agreement.currency,
                        use=use,
                        effective_on=on,
                        created_by=user,
                    )
                )

            for agreement in agreements:
                entry(agreement, "obligation", agreement.obligation, agreement.signed_on)
            uses = ["direct_defence", "indirect_defence", "industry"]
            for _ in range(CASES_PER_SCALE * scale):
                agreement = rng.choice(agreements)
                amount = (agreement.obligation / 40).quantize(Decimal("0.01"))
                on = agreement.signed_on + timedelta(days=rng.randrange(30, 3000))
                use = rng.choice(uses)
                entry(agreement, "reserve", amount, on, use)
                if rng.random() < 0.6:
                    later = on + timedelta(days=rng.randrange(90, 900))
                    entry(agreement, "release", amount, later, use)
                    entry(agreement, "actual", amount, later, use)
            CreditEntry.objects.bulk_create(entries, batch_size=5000)
        with __import__("django.db").db.connection.cursor() as cursor:
            # Posting the whole ledger in one transaction rewrote each maintained row once
            # per batch and left the table 15 times its size (nothing could be pruned
            # before the commit); a live database's autovacuum keeps it compact.
            cursor.execute("VACUUM (FULL, ANALYZE) agreements_agreementbalance")
            cursor.execute("ANALYZE")
        build_seconds = round(time.monotonic() - started, 1)
    else:
        build_seconds = 0.0
    user = User.objects.get(username="bench-office")
    assert user.groups.filter(name=OFFICE_GROUP).exists()
    _token, key = api_token_issue(user=user, actor=user, name="bench", read_only=True, days=1)
    return {
        "agreements": Agreement.objects.count(),
        "contractors": Organization.objects.filter(
            kind=OrganizationKind.FOREIGN_CONTRACTOR
        ).count(),
        "ledger_entries": CreditEntry.objects.count(),
        "build_seconds": build_seconds,
        "token": key,
        "agreement_ids": list(Agreement.objects.values_list("id", flat=True)),
    }


def queries_per_request(paths: dict[str, str], token: str) -> dict[str, int]:
    """Count the SQL queries of one request to each path, in-process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    counts = {}
    for name, path in paths.items():
        for _ in range(2):  # warm caches; the token's scope learned, its statement prepared
            client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        counts[name] = len(captured.captured_queries)
    return counts


def conditional_queries(path: str, token: str) -> int:
    """The SQL queries of a conditional request whose ETag still holds (304), in-process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    tag = client.get(path)["ETag"]
    for _ in range(2):  # the 304's statement with the token's, prepared
        client.get(path, HTTP_IF_NONE_MATCH=tag)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, HTTP_IF_NONE_MATCH=tag)
    assert response.status_code == 304, (path, response.status_code)
    return len(captured.captured_queries)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(scale: int, workers: int) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "bench.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--keep-alive",
            "30",
        ],
        cwd=ROOT,
        env=_environment(scale),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server, port
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def drive(port: int, make_request, token: str | None, seconds: float, clients: int) -> dict:
    """Concurrent keep-alive clients send ``make_request()`` (a path, or a path and extra
    headers) for ``seconds``; 200 and 304 count as answers, anything else as an error."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    auth = {"Authorization": f"Token {token}"} if token else {}

    def client():
        nonlocal errors
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine, failed = [], 0
        while time.monotonic() < stop:
            request = make_request()
            path, extra = request if isinstance(request, tuple) else (request, {})
            started = time.perf_counter()
            connection.request("GET", path, headers=auth | extra)
            response = connection.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            if response.status in (200, 304):
                mine.append(elapsed)
            else:
                failed += 1
        connection.close()
        with lock:
            latencies.extend(mine)
            errors += failed

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - began
    return {"latencies": latencies, "errors": errors, "wall": wall}


def _summary(runs: list[dict]) -> dict:
    """The rounds of one variant together: requests/s over their time, p50 and p95."""
    latencies = sorted(x for run in runs for x in run["latencies"])
    wall = sum(run["wall"] for run in runs)
    return {
        "requests": len(latencies),
        "errors": sum(run["errors"] for run in runs),
        "requests_per_second": round(len(latencies) / wall, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1) if latencies else None,
    }


def _etags(port: int, token: str, paths: list[str]) -> dict[str, str]:
    """The ETag of each path, as a polling client keeps it."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    tags = {}
    for path in paths:
        connection.request("GET", path, headers={"Authorization": f"Token {token}"})
        response = connection.getresponse()
        response.read()
        tags[path] = response.getheader("ETag")
    connection.close()
    return tags


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1, help="N times the 2011 program")
    parser.add_argument("--seconds", type=float, default=15.0, help="per endpoint")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per variant")
    args = parser.parse_args(argv)

    _create_database(args.scale)
    _setup_django(args.scale)
    data = build(args.scale)
    token, ids = data.pop("token"), data.pop("agreement_ids")
    rng = random.Random(7)
    as_of = "2011-12-31"
    portal = {
        "balances": "/api/v1/balances/?page_size=500",
        "one": "/api/v1/agreements/{id}/balance/",
    }
    floor = {
        "balances": "/bench/floor/balances/?page_size=500",
        "one": "/bench/floor/agreements/{id}/balance/",
    }
    sep = {"balances": "&", "one": "?"}
    polled = rng.sample(ids, min(200, len(ids)))  # the agreements a 304 client polls
    results = {}
    server, port = serve(args.scale, args.workers)
    try:
        for name, key in (("balances", "balances"), ("agreement_balance", "one")):
            dated = f"{sep[key]}as_of={as_of}"
            # (variant, side, path, token, polls with If-None-Match); the floor has no ETag.
            variants = [
                ("portal", portal[key] + dated, token, False),
                ("floor", floor[key] + dated, None, False),
                ("portal_current", portal[key], token, False),
                ("floor_current", floor[key], None, False),
                ("portal_304", portal[key] + dated, token, True),
            ]
            tags = _etags(port, token, [portal[key].format(id=i) + dated for i in polled])

            def requester(path, conditional, key=key, tags=tags):
                if conditional:
                    chosen = path.format(id=rng.choice(polled))
                    return chosen, {"If-None-Match": tags[chosen]}
                return path.format(id=rng.choice(ids)) if key == "one" else path

            # Rounds alternate the variants, so a shared machine's load falls on them alike.
            runs: dict[str, list[dict]] = {variant: [] for variant, *_ in variants}
            for _variant, path, auth, conditional in variants:  # warm-up
                drive(port, lambda p=path, c=conditional: requester(p, c), auth, 1.0, args.clients)
            for _round in range(args.rounds):
                for variant, path, auth, conditional in variants:
                    runs[variant].append(
                        drive(
                            port,
                            lambda p=path, c=conditional: requester(p, c),
                            auth,
                            args.seconds / args.rounds,
                            args.clients,
                        )
                    )
            figures = {variant: _summary(done) for variant, done in runs.items()}
            sample = ids[len(ids) // 2]
            counted = queries_per_request(
                {variant: path.format(id=sample) for variant, path, _auth, _c in variants[:4]},
                token,
            )
            for variant, count in counted.items():
                figures[variant]["queries_per_request"] = count
            figures["portal_304"]["queries_per_request"] = conditional_queries(
                (portal[key] + dated).format(id=sample), token
            )

            def ratio(mine, theirs):
                return round(theirs["requests_per_second"] / mine["requests_per_second"], 2)

            figures["ratio_to_floor"] = {
                "requests_per_second": ratio(figures["portal"], figures["floor"]),
                "current": ratio(figures["portal_current"], figures["floor_current"]),
                "304": ratio(figures["portal_304"], figures["floor"]),
            }
            results[name] = figures
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    print(
        json.dumps(
            {
                "scale": args.scale,
                "data": data,
                "seconds_per_run": args.seconds,
                "clients": args.clients,
                "gunicorn_workers": args.workers,
                "results": results,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
