"""Web stage: create_app(data_dir) wires the catalog, the searcher and the views together."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, g

from index.engine import EngineSettings, open_engine
from index.related.table import Related
from index.search.searcher import Searcher
from ingest.catalog.database import Catalog, open_catalog
from ingest.catalog.datadir import DataDir
from ingest.catalog.filestore import FileStore
from web.pageimage import PageImages

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def create_app(data_dir: str | Path, test_config: dict | None = None,
               engine: EngineSettings | None = None, catalog_url: str | None = None) -> Flask:
    """The app over one data directory; `engine` chooses the search backend (default Whoosh),
    `catalog_url` a PostgreSQL catalog (default the directory's SQLite file)."""
    data = DataDir.existing(data_dir, catalog_url)
    app = Flask(__name__)
    app.config.update(DATA=data, JSON_SORT_KEYS=False)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # flask.json.provider.DefaultJSONProvider
    app.json.sort_keys = False  # type: ignore[attr-defined]
    if test_config:
        app.config.update(test_config)
    # The archive's related words when learned (python -m index.related --data DIR), else none.
    app.extensions["diariet.searcher"] = Searcher(open_engine(data.index_path, engine or EngineSettings()),
                                                  Related.of(data.root))
    app.extensions["diariet.files"] = FileStore(data.files_path)
    app.extensions["diariet.page_images"] = PageImages(data.page_images_path)

    @app.teardown_appcontext
    def close_catalog(exc):
        catalog = g.pop("catalog", None)
        if catalog is not None:
            catalog.close()

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    from web import cors, errors, facets, hardening, openapi
    from web.pages import archive, decisions, exports, feeds, viewer, watches

    hardening.register(app)
    app.jinja_env.globals["query_link"] = hardening.link
    app.jinja_env.filters["thousands"] = facets.thousands

    app.register_blueprint(archive.bp)
    app.register_blueprint(decisions.bp)
    app.register_blueprint(exports.bp)
    app.register_blueprint(openapi.bp)
    app.register_blueprint(watches.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(viewer.bp)
    errors.register(app)
    cors.register(app, app.config.get("CORS_ORIGIN"))
    return app


def catalog() -> Catalog:
    """The request's read-only catalog connection."""
    from flask import current_app

    if "catalog" not in g:
        g.catalog = open_catalog(current_app.config["DATA"].catalog, readonly=True)
    return g.catalog


def searcher() -> Searcher:
    from flask import current_app

    return current_app.extensions["diariet.searcher"]


def files() -> FileStore:
    from flask import current_app

    return current_app.extensions["diariet.files"]
