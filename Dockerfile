# syntax=docker/dockerfile:1
# Bimeh Mall: one image for web (gunicorn), worker and beat (see docker-compose.yml).

# --- 1. front-end assets: npm ci, then copy them into static/vendor/ (no CDN) ---------
# The full bookworm image carries python3, which scripts/vendor_assets.py needs.
FROM node:20-bookworm AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY scripts/vendor_assets.py scripts/vendor_assets.py
RUN python3 scripts/vendor_assets.py && python3 scripts/vendor_assets.py --check

# --- 2. the application ------------------------------------------------------------------
FROM python:3.11-slim-bookworm AS app

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=bimemall.settings.production \
    VAR_DIR=/app/var \
    PORT=8000

RUN groupadd --system --gid 10001 bimemall \
 && useradd --system --uid 10001 --gid bimemall --home-dir /app --no-create-home --shell /usr/sbin/nologin bimemall

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .
COPY --from=assets /src/static/vendor/ ./static/vendor/

# Hashed, compressed static files (whitenoise). Build-time values only: the settings
# refuse to load without them when DEBUG is false; none of them reaches the runtime.
RUN SECRET_KEY=build-only-collectstatic-not-a-secret-0123456789abcdef \
    ALLOWED_HOSTS=localhost \
    SMS_BACKEND=console \
    DEBUG=false \
    python manage.py collectstatic --noinput \
 && mkdir -p /app/var/private \
 && chown -R bimemall:bimemall /app/var

USER bimemall
EXPOSE 8000

# Shell form so that $PORT is read at start; exec keeps gunicorn as PID 1 for signals.
# Workers, threads and timeout: gunicorn.conf.py (WEB_CONCURRENCY, GUNICORN_THREADS, GUNICORN_TIMEOUT).
CMD exec gunicorn bimemall.wsgi -b 0.0.0.0:${PORT} --access-logfile -
