"""Flask extensions, created unbound and attached in :func:`marketplace.create_app`."""

from flask import request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.pagination import SelectPagination
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Every constraint gets a predictable name, so Alembic (and SQLite's batch mode) can alter it later.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# A page number typed into a URL (?page=99999999999999999999) is read as far as this: beyond, the
# OFFSET would outgrow a BIGINT and the database refuse the query — a 500 instead of an empty page.
MAX_PAGE = 1_000_000


class BoundedPagination(SelectPagination):
    """A page of a SELECT whose number stays within what the database's OFFSET holds: a page past the
    end is empty (or 404 with ``error_out``), however large the number typed."""

    @staticmethod
    def _prepare_page_args(**kwargs) -> tuple[int, int]:
        page, per_page = SelectPagination._prepare_page_args(**kwargs)
        return min(page, MAX_PAGE), per_page


class Database(SQLAlchemy):
    def paginate(self, select, *, page=None, per_page=None, max_per_page=None, error_out=True, count=True):
        return BoundedPagination(
            select=select,
            session=self.session(),
            page=page,
            per_page=per_page,
            max_per_page=max_per_page,
            error_out=error_out,
            count=count,
        )


db = Database(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
mail = Mail()
babel = Babel()


def _client_address() -> str:
    # Behind the reverse proxy ProxyFix has already put the client's address in remote_addr.
    return get_remote_address() or request.remote_addr or "unknown"


limiter = Limiter(key_func=_client_address, default_limits=[])
