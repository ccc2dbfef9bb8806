"""Several web nodes share their rate-limit counters: with ``REDIS_URL`` set, as the README's
deployment sets it on every node, the limiter keeps its counts in that Redis, not in each process.
(``python -m bench --only nodes`` shows it across two gunicorn instances.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PRODUCTION_APP = """
from marketplace import create_app
from marketplace.extensions import limiter
app = create_app()
with app.app_context():
    print(type(limiter.storage).__name__, app.config["RATELIMIT_STORAGE_URI"])
"""


def test_with_redis_url_set_the_login_limits_count_in_that_redis():
    env = {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": "not-a-secret",
        "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/unused",
        "REDIS_URL": "redis://127.0.0.1:6379/11",
    }
    env.pop("RATELIMIT_STORAGE_URI", None)
    done = subprocess.run(
        [sys.executable, "-c", PRODUCTION_APP],
        env=env,
        cwd=Path(__file__).parent.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split() == ["RedisStorage", "redis://127.0.0.1:6379/11"]
