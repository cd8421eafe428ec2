"""The Starlette application: the routes, the guard in front of them."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from evidence_kit.web import views
from evidence_kit.web.security import GuardMiddleware
from evidence_kit.web.state import HERE, WebState

__all__ = ["WebState", "create_app"]


def create_app(state: WebState) -> Starlette:
    routes = [
        Route("/", views.home),
        Route("/case", views.save_case, methods=["POST"]),
        Route("/drop", views.drop, methods=["GET"]),
        Route("/drop", views.upload, methods=["POST"]),
        Route("/drop/events/{job}", views.drop_events),
        Route("/timeline", views.timeline),
        Route("/entry/{entry_id}", views.entry, methods=["GET"]),
        Route("/entry/{entry_id}", views.annotate, methods=["POST"]),
        Route("/object/{entry_id}", views.original),
        Route("/crop/{entry_id}/{what}/{index:int}.png", views.crop),
        Route("/review", views.review, methods=["GET"]),
        Route("/review/{entry_id}", views.review_answer, methods=["POST"]),
        Route("/search", views.search),
        Route("/analysis", views.analysis),
        Route("/package", views.package, methods=["GET"]),
        Route("/package", views.build_package, methods=["POST"]),
        Route("/package/file/{name}", views.package_file),
        Route("/package/preview/{name}/{n:int}.png", views.package_preview),
        Route("/integrity", views.integrity),
        Route("/note", views.note, methods=["GET"]),
        Route("/note", views.save_note, methods=["POST"]),
        Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers=views.EXCEPTION_HANDLERS)
    app.state.web = state
    app.add_middleware(GuardMiddleware, guard=state.guard)
    return app
