# modelgraph service image. Build: docker build -t modelgraph:local .
# docker-compose.yml builds and runs it with Neo4j, OPA and MinIO.

# Stage 1: build the package and every dependency as wheels, so the runtime stage installs
# offline and carries no source tree or build tools.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY app ./app
RUN pip wheel --wheel-dir /wheels .

# Stage 2: runtime.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MODELGRAPH_HOST=0.0.0.0 \
    MODELGRAPH_PORT=8000

RUN groupadd --system --gid 10001 modelgraph \
    && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/modelgraph \
        --shell /usr/sbin/nologin modelgraph
COPY --from=build /wheels /wheels
# The wheels were resolved once in the build stage; this installs exactly those.
# hadolint ignore=DL3013
RUN pip install --no-index --find-links /wheels modelgraph && rm -rf /wheels

# `modelgraph migrate` reads graph_schema/ from the working directory. Owned by root, so
# the service can read the migrations but not change them. Policies are not baked in:
# OPA loads them from its own mount.
WORKDIR /srv/modelgraph
COPY graph_schema ./graph_schema

# Numeric, so runtimes can verify it is not root (e.g. Kubernetes runAsNonRoot).
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=6 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/readyz' % os.environ.get('MODELGRAPH_PORT', '8000'), timeout=4)"]
CMD ["modelgraph", "serve", "--host", "0.0.0.0"]
