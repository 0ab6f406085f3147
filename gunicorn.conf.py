"""gunicorn's settings, read from the environment through Django's settings (issue 16 point 4).

gunicorn reads ./gunicorn.conf.py by itself, so every launcher started from the repository
(the Docker image, docker compose, scripts/loadtest.py) gets the same workers, threads and
timeout; a command-line flag still wins (`-w`, as the load test passes). The values are
parsed by bimemall/env.py like every other setting, so `WEB_CONCURRENCY=five` stops here.
The address (`-b`) and the access log stay on the command line of each launcher.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bimemall.settings.production")  # as bimemall/wsgi.py

from django.conf import settings  # noqa: E402

workers = settings.WEB_CONCURRENCY
threads = settings.GUNICORN_THREADS
timeout = settings.GUNICORN_TIMEOUT
