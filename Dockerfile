# The platform's one image: web (gunicorn, the default command), worker and beat (celery) and the
# one-shot migrate service all run it (docker-compose.yml). Build: docker compose build.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

# No system packages: everything the lock needs ships as wheels (psycopg2-binary included), and the
# compiled translations (locale/*.mo) are committed.
RUN groupadd --system --gid 1000 django \
    && useradd --system --uid 1000 --gid django --home-dir /app --shell /usr/sbin/nologin django

WORKDIR /app

# Dependencies first: this layer is rebuilt only when the lock changes.
COPY requirements/lock.txt requirements/lock.txt
RUN pip install --requirement requirements/lock.txt

COPY --chown=django:django . .
RUN mkdir -p /app/media /app/private_media /app/staticfiles \
    && chown django:django /app/media /app/private_media /app/staticfiles

USER django

# Static files are baked into the image (whitenoise serves them); the settings need their required
# variables to import, so placeholders stand in here: none of them is used at run time.
RUN DJANGO_SECRET_KEY=collectstatic-only-not-a-secret \
    FIELD_ENCRYPTION_KEYS=Y29sbGVjdHN0YXRpYy1vbmx5LW5vdC1hLXNlY3JldCE= \
    FIELD_HASH_KEY=collectstatic-only-not-a-secret-0123456789 \
    DJANGO_ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/collectstatic.sqlite3 \
    REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput --verbosity 0

EXPOSE 8000

# Workers: WEB_CONCURRENCY (gunicorn reads it; about 2 × cores + 1). X-Forwarded-* headers are trusted
# from FORWARDED_ALLOW_IPS: the proxy in front (nginx), reachable only on the compose network.
ENV WEB_CONCURRENCY=3 \
    FORWARDED_ALLOW_IPS=*
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--timeout", "60", \
     "--access-logfile", "-", "--error-logfile", "-", "--control-socket", "/tmp/gunicorn.ctl"]
