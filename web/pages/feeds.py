"""Web stage, feeds: the readable twin of every search's Atom feed (/flode): what a feed is, how to
subscribe, the entries it holds now."""
from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, render_template, request, url_for

from web import hardening
from web.app import catalog, searcher
from web.requests import search_request

bp = Blueprint("feeds", __name__)
SHOWN = 20


@bp.get("/flode")
def feed_page():
    req = search_request(request.args)  # a BadRequest answers 400 (web/errors.py)
    result = searcher().search(replace(req, sort="date", page=1, per_page=SHOWN), catalog())
    args = {k: v for k, v in request.args.items() if v and k not in ("page", "per_page", "sort")}
    hits = [h | {"url": url_for("diariet.document_page", document_id=h["id"])} for h in result.hits]
    return render_template("feed.html", query=req.q, args=args, hits=hits, total=result.total,
                           feed_url=hardening.absolute(hardening.link("diariet.search_feed", args)))
