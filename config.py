"""Configuration read from the environment.

Which class applies is chosen by ``APP_ENV`` (``development`` by default, ``production``,
``testing``). Every setting a deployment may change is an environment variable; see README.md.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_PATH = Path(os.environ.get("INSTANCE_PATH", BASE_DIR / "instance"))
SQLITE_DEFAULT = f"sqlite:///{INSTANCE_PATH / 'jiebang.sqlite3'}"


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url(default: str) -> str:
    url = os.environ.get("DATABASE_URL", default)
    # Heroku-style URLs and plain "postgresql://" both mean psycopg 3 here.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _development_secret_key() -> str:
    """A key generated once and kept in ``instance/`` so sessions survive restarts."""
    path = INSTANCE_PATH / "secret_key"
    if path.exists():
        return path.read_text().strip()
    INSTANCE_PATH.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


class Config:
    ENV_NAME = "base"

    @classmethod
    def check(cls) -> None:
        """Validate (and, in development, complete) the settings before the app starts."""

    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = _database_url(SQLITE_DEFAULT)
    # No pool_pre_ping: a connection idle for a while is pinged on checkout (marketplace/database.py).
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    INSTANCE_DIR = str(INSTANCE_PATH)
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(INSTANCE_PATH / "uploads"))
    # s3://bucket/prefix keeps every file in an S3-compatible object store instead of UPLOAD_DIR, for
    # several web nodes; boto3 reads the credentials, region and endpoint from the AWS_* variables.
    STORAGE_URL = os.environ.get("STORAGE_URL")
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 32 * 1024 * 1024))

    # The school's name as shown in the header, mail and documents.
    SCHOOL_NAME = os.environ.get("SCHOOL_NAME", "示例大学")
    # Absolute base for links in mail (the request host is unknown in a worker). Unset, it is where
    # `make run PORT=…` serves, so that mail written in development leads back to the running app.
    BASE_URL = os.environ.get("BASE_URL") or f"http://127.0.0.1:{os.environ.get('PORT', '5000')}"

    # The open-data documents' identifier prefix (ocid = prefix-project id): keep it once published, or
    # every reader's links to the old identifiers break.
    OPEN_DATA_OCID_PREFIX = os.environ.get("OPEN_DATA_OCID_PREFIX", "jiebang")

    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = {"zh_CN": "中文", "en": "English"}

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # a phone left on a form overnight must still submit

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 25))
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "揭榜 <noreply@jiebang.local>")
    # When true, mail is marked sent without talking to SMTP (development without a mail server).
    MAIL_SUPPRESS_SEND = _env_bool("MAIL_SUPPRESS_SEND")
    # Outbox: how many attempts before a message is left as failed, and the first back-off.
    OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", 8))
    OUTBOX_RETRY_SECONDS = int(os.environ.get("OUTBOX_RETRY_SECONDS", 60))

    # How many reverse proxies (nginx) stand in front of the app and set X-Forwarded-For/-Proto/-Host.
    # 0 trusts no such header: anyone could otherwise pick the address the per-IP login limit counts.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", 0))

    REDIS_URL = os.environ.get("REDIS_URL")
    # The anonymous public pages' cache (marketplace/pagecache.py): Redis, shared by every web node;
    # unset without Redis. PAGE_CACHE_SECONDS is the longest a page is kept (deadlines cut it shorter).
    PAGE_CACHE_URL = os.environ.get("PAGE_CACHE_URL") or REDIS_URL
    PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", 60))
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or REDIS_URL or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # Failed logins: strict per account, generous per address (a dormitory shares one IP).
    LOGIN_LIMIT_PER_ACCOUNT = os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per 15 minutes")
    LOGIN_LIMIT_PER_IP = os.environ.get("LOGIN_LIMIT_PER_IP", "100 per 15 minutes")
    # Failed claims (a 学号 and name the roster does not match): per 学号, and per address.
    CLAIM_LIMIT_PER_STUDENT_NO = os.environ.get("CLAIM_LIMIT_PER_STUDENT_NO", "5 per hour")
    CLAIM_LIMIT_PER_IP = os.environ.get("CLAIM_LIMIT_PER_IP", "50 per hour")
    # Suggestions (意见建议) a student may post: enough for real use, too few to flood the union's staff.
    SUGGESTION_LIMIT_PER_STUDENT = os.environ.get("SUGGESTION_LIMIT_PER_STUDENT", "5 per hour;20 per day")
    # Needs posted by one student (需求征集): enough for real needs, not for flooding the pool.
    NEED_POST_LIMIT = os.environ.get("NEED_POST_LIMIT", "5 per hour;20 per day")

    HUEY_IMMEDIATE = False
    HUEY_SQLITE_PATH = os.environ.get("HUEY_SQLITE_PATH", str(INSTANCE_PATH / "huey.sqlite3"))

    # A TrueType (.ttf/.ttc) CJK font for transcript PDFs; by default the WenQuanYi Micro Hei shipped
    # in marketplace/fonts/ (reportlab embeds TrueType only, not the OpenType Noto CJK fonts).
    PDF_FONT_PATH = os.environ.get("PDF_FONT_PATH")

    PASSWORD_RESET_MAX_AGE = 2 * 3600
    EMAIL_VERIFY_MAX_AGE = 3 * 24 * 3600


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    MAIL_SUPPRESS_SEND = _env_bool("MAIL_SUPPRESS_SEND", default=True)

    @classmethod
    def check(cls) -> None:
        if not cls.SECRET_KEY:
            cls.SECRET_KEY = _development_secret_key()


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key"
    SQLALCHEMY_DATABASE_URI = _database_url(
        os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/jiebang_test")
    )
    HUEY_IMMEDIATE = True
    RATELIMIT_STORAGE_URI = "memory://"
    PAGE_CACHE_URL = None  # the page cache's own tests turn it on
    MAIL_SUPPRESS_SEND = True
    BASE_URL = "http://localhost"


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def check(cls) -> None:
        """Refuse to start with settings that are only safe on a laptop."""
        problems = []
        if not cls.SECRET_KEY:
            problems.append("SECRET_KEY is not set (生产环境必须设置 SECRET_KEY)")
        if cls.SQLALCHEMY_DATABASE_URI.startswith("sqlite"):
            problems.append(
                "DATABASE_URL points at SQLite; production needs PostgreSQL (生产环境必须使用 PostgreSQL)"
            )
        if problems:
            raise RuntimeError("Refusing to start in production: " + "; ".join(problems))


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(name: str | None = None) -> type[Config]:
    name = name or os.environ.get("APP_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"APP_ENV={name!r} is not one of {sorted(CONFIGS)}") from None
