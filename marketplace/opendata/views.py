"""The open-data pages (开放数据): the index with the bulk download, the field page, the schema, and
one document per published project. Everything here is public; nothing needs an account."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, render_template

from .. import storage
from ..projects.queries import paginate_rows
from . import bulk, fields, queries
from .document import document_of, ocid

bp = Blueprint("opendata", __name__, url_prefix="/open-data")

JSON_TYPE = "application/json; charset=utf-8"


def _json(value) -> Response:
    return Response(json.dumps(value, ensure_ascii=False, indent=1), mimetype=JSON_TYPE)


@bp.get("")
def index():
    page = paginate_rows(queries.listed(), per_page=queries.PER_PAGE)
    return render_template("opendata/index.html", page=page, built=bulk.last_build(), ocid=ocid)


@bp.get("/fields")
def field_page():
    return render_template("opendata/fields.html", rows=fields.rows())


@bp.get("/schema.json")
def schema():
    return _json(fields.schema())


@bp.get("/projects/<int:project_id>.json")
def document(project_id: int):
    found = document_of(project_id)
    if found is None:
        abort(404)
    return _json(found)


@bp.get("/download")
def download():
    if bulk.last_build() is None:
        abort(404)
    return storage.send(
        bulk.ZIP_KEY,
        name="揭榜开放数据.zip",
        fallback="jiebang-open-data.zip",
        mimetype="application/zip",
        private=False,
    )
