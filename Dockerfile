# ICP Portal production image: gunicorn (web), Celery worker and beat share it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=icp_portal.settings

# gettext: compiled catalogues; Pango + HarfBuzz subset + Noto CJK: WeasyPrint PDFs in Chinese.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock .
RUN pip install -r requirements.lock

COPY . .
RUN python manage.py compilemessages -v0 --ignore=.venv \
    && python manage.py collectstatic --noinput -v0 \
    && useradd --system --uid 10001 --home /app icp \
    && mkdir -p /var/lib/icp/media /var/lib/icp/beat \
    && chown -R icp /var/lib/icp

ENV MEDIA_ROOT=/var/lib/icp/media
USER icp
EXPOSE 8000
CMD ["gunicorn", "icp_portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
