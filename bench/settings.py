"""Settings of the benchmark server: the product's own, plus the baseline view's URL.

Everything else comes from the environment exactly as in production (bench/run.py sets
DJANGO_ENV=production, a throwaway secret and signing key, DATABASE_URL, API_RATE_LIMIT=off,
PUBLIC_RATE_LIMIT=off).
Used only by the benchmark; the product's URLs are untouched.
"""

from config.settings import *  # noqa: F403
from config.settings import DATABASES

ROOT_URLCONF = "bench.urls"

# Persistent connections, as a production server runs: a new PostgreSQL connection per
# request would cost more than the lookups being measured.
DATABASES["default"]["CONN_MAX_AGE"] = 600
