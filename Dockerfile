# syntax=docker/dockerfile:1
# The product image. One image serves every product service of docker-compose.yml:
#   minerals db upgrade            (one-shot migration)
#   minerals worker ...            (workflow and email workers)
#   minerals console --host 0.0.0.0 --port 8000   (default command)
ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm
FROM ${PYTHON_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH \
    MINERALS_DATA_DIR=/var/lib/minerals

# A fixed, unprivileged uid: the shared file volume keeps the same owner across rebuilds.
RUN groupadd --system --gid 10001 minerals \
    && useradd --system --uid 10001 --gid minerals --home-dir /var/lib/minerals \
        --no-create-home --shell /usr/sbin/nologin minerals \
    && mkdir -p /var/lib/minerals/files \
    && chown -R minerals:minerals /var/lib/minerals \
    && python -m venv /opt/venv

WORKDIR /app

# Dependencies in their own layer, rebuilt only when pyproject.toml changes: with no package folder
# copied yet, installing the project installs its dependencies alone.
COPY pyproject.toml ./
RUN pip install . \
    && pip uninstall --yes responsible-minerals-workflows \
    && rm -rf build ./*.egg-info

# The project itself: templates, migrations and static files are package data, so nothing runs from /app.
# No test or dev extras.
COPY . .
RUN pip install --no-deps . && rm -rf build ./*.egg-info

USER minerals
EXPOSE 8000 9464

# The console answers /login without a session; compose gives the workers their own probe (metrics).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "/app/deploy/healthcheck.py", "http://127.0.0.1:8000/login"]

CMD ["minerals", "console", "--host", "0.0.0.0", "--port", "8000"]
