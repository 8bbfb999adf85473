"""The production stack files: compose has every service with a health check; the image
installs the fonts and libraries PDFs need. (No Docker engine here: checked by parsing.)"""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_has_web_worker_beat_postgres_redis_each_with_a_health_check():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"web", "worker", "beat", "postgres", "redis"}
    for name, service in services.items():
        assert service["healthcheck"]["test"], name
    assert "gunicorn" in services["web"]["command"]
    assert services["worker"]["command"].startswith("celery -A icp_portal worker")
    assert services["beat"]["command"].startswith("celery -A icp_portal beat")
    assert {"pgdata", "media"} <= set(compose["volumes"])
    assert "media:/var/lib/icp/media" in services["web"]["volumes"]


def test_dockerfile_installs_cjk_fonts_pango_and_harfbuzz_subset():
    dockerfile = (ROOT / "Dockerfile").read_text()
    for package in [
        "fonts-noto-cjk",
        "libpango-1.0-0",
        "libpangoft2-1.0-0",
        "libharfbuzz-subset0",
        "gettext",
    ]:
        assert package in dockerfile
    assert "requirements.lock" in dockerfile and "compilemessages" in dockerfile
    assert "USER icp" in dockerfile


def test_healthz_answers_without_signing_in(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
