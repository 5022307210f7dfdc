# Rammeaftale-overblik: the Streamlit app, one replica per container (deploy/compose.yaml runs two behind nginx).
# Build: make image. Configuration comes from the environment and a secrets.toml mounted at run time
# (docs/deploy.md); nothing secret is baked into the image (.dockerignore keeps it out).
FROM python:3.11-slim-bookworm

# Debian's chromium: the meeting pack (overblik/meetingpack.py) draws its charts through kaleido, which drives
# Chromium; fonts-liberation: the PDF's and the charts' font (Liberation Sans) for kaleido and Typst alike.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-liberation curl \
 && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    BROWSER_PATH=/usr/bin/chromium \
    OVERBLIK_CACHE_DIR=/var/cache/overblik \
    HOME=/tmp \
    STREAMLIT_SERVER_PORT=8501 \
    STREAMLIT_SERVER_ADDRESS=0.0.0.0 \
    STREAMLIT_SERVER_HEADLESS=true \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt

# The app's own files only (see .dockerignore): package, pages, queries, assets, config, the demo snapshot.
COPY dashboard.py ./
COPY overblik ./overblik
COPY pages ./pages
COPY queries ./queries
COPY assets ./assets
COPY .streamlit/config.toml ./.streamlit/config.toml
COPY data ./data

# A user without a login shell or home of its own that owns only what the app writes: the local data folder
# (single-container use) and the snapshot cache of the S3 store.
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin overblik \
 && mkdir -p /var/cache/overblik \
 && chown -R overblik:overblik /app/data /var/cache/overblik
USER 10001

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8501/_stcore/health || exit 1

# overblik.serve = `streamlit run` with TCP_NODELAY on the server's connections (see overblik/serve.py)
CMD ["python", "-m", "overblik.serve", "run", "dashboard.py"]
