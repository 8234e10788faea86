# booking-sandbox: one process serving Korus Ticket, Pont Central and Booqable on port 8000.
# Mount your own catalogs with: -v "$PWD/my-fixtures:/fixtures:ro" -e SANDBOX_FIXTURES=/fixtures
# Needs BuildKit (RUN --mount). Another base, e.g. one built locally where the registry is out
# of reach: --build-arg BASE_IMAGE=local/python:3.11-bookworm (a Debian-like image whose
# python3 is CPython 3.11, with the venv module: requirements.lock is resolved for 3.11).
# scripts/docker_smoke.py builds, runs and checks it.

# python:3.11-slim, pinned: the multi-platform index digest, so every architecture is pinned.
ARG BASE_IMAGE=python:3.11-slim@sha256:90744cff8f32887f075c47d747a173ff333e9e98801667af93c357fa9f5e28ff

# pip for the two stages below. The image mounts it rather than keeping one (25 MB of pip and
# setuptools that the server never runs).
FROM ${BASE_IMAGE} AS installer
RUN python3 -m venv /opt/installer

FROM installer AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY booking_sandbox ./booking_sandbox
COPY fixtures ./fixtures
COPY schemas ./schemas
# Only the project's own wheel: its dependencies come from requirements.lock, by hash.
RUN /opt/installer/bin/pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM ${BASE_IMAGE}
ARG VERSION=dev
ARG REVISION=unknown
ARG CREATED=unknown
ARG SOURCE=unknown
LABEL org.opencontainers.image.title="booking-sandbox" \
      org.opencontainers.image.description="Stateful mock server for the Korus Ticket, Pont Central and Booqable booking APIs" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}"
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    SANDBOX_HOST=0.0.0.0 \
    SANDBOX_PORT=8000
# A venv: the same on the official image and on a Debian base (whose system Python is
# externally managed, PEP 668). The locked dependencies get a layer of their own, so a change
# to the code alone does not download them again.
RUN --mount=type=bind,from=installer,source=/opt/installer,target=/opt/installer \
    --mount=type=bind,source=requirements.lock,target=/tmp/requirements.lock \
    python3 -m venv --without-pip /opt/venv \
    && /opt/installer/bin/pip --python /opt/venv/bin/python install --no-cache-dir \
        --disable-pip-version-check --require-hashes --no-deps -r /tmp/requirements.lock \
    && groupadd --system --gid 10001 sandbox \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin sandbox
# The wheel is mounted from the build stage, never copied: no layer keeps it. `pip check`
# fails the build when the lock misses a dependency the wheel declares.
RUN --mount=type=bind,from=installer,source=/opt/installer,target=/opt/installer \
    --mount=type=bind,from=build,source=/wheels,target=/wheels \
    /opt/installer/bin/pip --python /opt/venv/bin/python install --no-cache-dir \
        --disable-pip-version-check --no-index --no-deps /wheels/booking_sandbox-*.whl \
    && /opt/installer/bin/pip --python /opt/venv/bin/python check --disable-pip-version-check
USER 10001:10001
EXPOSE 8000
# The image has no curl: ask the health endpoint with the Python that is already there.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('SANDBOX_PORT', '8000') + '/_sandbox/health', timeout=2)"]
ENTRYPOINT ["booking-sandbox"]
