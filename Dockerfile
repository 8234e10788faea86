# booking-sandbox: one process serving Korus Ticket, Pont Central and Booqable on port 8000.
# Mount your own catalogs with: -v "$PWD/my-fixtures:/fixtures:ro" -e SANDBOX_FIXTURES=/fixtures

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY booking_sandbox ./booking_sandbox
COPY fixtures ./fixtures
COPY schemas ./schemas
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    SANDBOX_HOST=0.0.0.0 \
    SANDBOX_PORT=8000
COPY --from=build /wheels /wheels
# Only the wheels built above: every version is the one resolved in the build stage.
RUN pip install --no-cache-dir --no-index --find-links=/wheels /wheels/booking_sandbox-*.whl \
    && rm -rf /wheels \
    && groupadd --system --gid 10001 sandbox \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin sandbox
USER 10001:10001
EXPOSE 8000
# The image has no curl: ask the health endpoint with the Python that is already there.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('SANDBOX_PORT', '8000') + '/_sandbox/health', timeout=2)"]
ENTRYPOINT ["booking-sandbox"]
