# assetmap service image: the officer map, API and reports on the bundled synthetic sample.
FROM python:3.11-slim-bookworm

# Pango and a font for PDF reports (WeasyPrint).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY assetmap ./assetmap
COPY layers ./layers
COPY web ./web
COPY data ./data
COPY docs ./docs
RUN pip install --no-cache-dir -e .

EXPOSE 8000
USER nobody
CMD ["assetmap", "serve", "--host", "0.0.0.0", "--port", "8000"]
