"""gunicorn settings for production, read from the environment like crm/settings.py.

    gunicorn -c crm/gunicorn.conf.py crm.wsgi

Environment (all optional):
- GUNICORN_BIND: address to listen on, default 127.0.0.1:8000 (the reverse proxy's upstream).
- GUNICORN_WORKERS: worker processes, default 2 × CPU cores + 1.
- GUNICORN_THREADS: threads per worker, default 1 (sync workers); above 1, gthread workers.
- GUNICORN_TIMEOUT: seconds before a silent worker is killed and replaced, default 30.
- GUNICORN_MAX_REQUESTS: requests before a worker is recycled (bounds slow leaks), default
  1000, with a random jitter of up to 10% so that workers do not restart together.
- GUNICORN_ACCESS_LOG: "-" for stdout, a path, or empty for none (the proxy logs requests).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Request line and header limits (gunicorn's defaults, stated): bodies are limited by Django.
limit_request_line = 8190
limit_request_fields = 100
# Behind the reverse proxy on the same host: trust its X-Forwarded-* headers from loopback only.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
