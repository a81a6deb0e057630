"""Web stage, CORS: the JSON API readable from one configured origin's pages (CORS_ORIGIN), off by default."""
from __future__ import annotations

from flask import Flask, request

ALLOWED_METHODS = "GET, POST, DELETE, OPTIONS"
ALLOWED_HEADERS = "Content-Type"


def register(app: Flask, origin: str | None) -> None:
    """Answer cross-origin API requests from `origin` ("https://example.se", or "*" for any)."""
    if not origin:
        return
    origin = origin.rstrip("/")

    @app.after_request
    def cors_headers(response):
        if not request.path.startswith("/api/"):
            return response
        asked = request.headers.get("Origin")
        if origin == "*":
            response.headers["Access-Control-Allow-Origin"] = "*"
        elif asked == origin:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.vary.add("Origin")
        else:
            response.vary.add("Origin")
            return response
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response.headers["Access-Control-Max-Age"] = "600"
        response.headers["Access-Control-Expose-Headers"] = "Link, X-Total-Count"
        return response
