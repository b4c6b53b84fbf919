# Production image: gunicorn for the web, the same image for the Celery worker
# and beat (see docker-compose.yml).
FROM python:3.11-slim

# The settings find templates/, static/ and locale/ next to the packages
# (BASE_DIR), so the code runs from /app (PYTHONPATH) rather than from the copy
# that `pip install .` puts in site-packages.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media

WORKDIR /app

# Dependencies in their own layer, read from pyproject.toml: a code change does
# not reinstall scikit-learn and pandas.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/dependencias.txt \
 && pip install -r /tmp/dependencias.txt \
 && rm /tmp/dependencias.txt

COPY . .
RUN pip install --no-deps . \
 && rm -rf build ./*.egg-info

# collectstatic needs the production settings (DEBUG=false: hashed, compressed
# files for whitenoise), which refuse to load without a SECRET_KEY. This value
# exists only inside this RUN step; it is not in the image's environment, and
# the running containers must receive their own SECRET_KEY.
RUN DEBUG=false \
    SECRET_KEY=solo-para-collectstatic-al-construir-la-imagen-no-es-un-secreto \
    ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput

# Non-root user. The code stays owned by root (read-only for the app); only the
# media folder, mounted as a volume, is writable.
RUN groupadd --system --gid 10001 alerta \
 && useradd --system --uid 10001 --gid alerta --create-home --shell /usr/sbin/nologin alerta \
 && mkdir -p /app/media \
 && chown alerta:alerta /app/media \
 && chmod 0755 /app/docker/entrypoint.sh

USER alerta

EXPOSE 8000

ENTRYPOINT ["/app/docker/entrypoint.sh"]
# Its settings (port, timeout, access log, workers from WEB_CONCURRENCY) are in
# docker/gunicorn.conf.py, which bench/carga.py measures.
CMD ["gunicorn", "--config", "docker/gunicorn.conf.py", "alerta.wsgi:application"]
