"""The residents' light pages: server-rendered HTML beside the Streamlit app (app.py mounts
`routes()` through st.App). Mobile first, no JavaScript, no outside asset; they call
@public_read services only, plus the residents' own use cases (report, track, rate)."""
from __future__ import annotations

from starlette.routing import Route


def routes() -> list[Route]:
    """Every resident route; the catch-all 404 under /board/ comes last."""
    from . import actions, household, photos, report, track
    from .board import board_page
    from .issue import issue_page
    from .render import not_found

    own = [Route("/board/{compound_id}", board_page, methods=["GET", "HEAD"]),
           Route("/board/{compound_id}/issues/{number}", issue_page, methods=["GET", "HEAD"])]
    return [*own, *report.routes, *track.routes, *actions.routes, *photos.routes, *household.routes,
            Route("/board/{rest:path}", not_found, methods=["GET", "HEAD", "POST"]),
            Route("/board", not_found, methods=["GET", "HEAD", "POST"])]
