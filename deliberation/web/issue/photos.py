"""议题详情, 照片: staff add 现场 (before) and 整改后 (after) photos, see the residents' photos
(secretary and recorder only), mark one public for the board and documents, or delete one. The
panel is built only while open (its thumbnails cost nothing otherwise); services decide who may
do what, the page only offers what will succeed."""
from __future__ import annotations

import streamlit as st

from ...model.roles import Action
from ...services.permissions import may
from ...services.photos import (MAX_STAFF_UPLOAD, attach_photos, photo_bytes, photos_of_issue, remove_photo,
                                set_photo_public)
from ..common.context import attempt
from ..common.flash import flash
from ..common.ui import lazy_expander

_COLUMNS = 3
_FILE_TYPES = ["jpg", "jpeg", "png", "webp", "heic", "heif"]   # the bytes decide; this helps the picker


def photos_panel(ctx, issue: dict) -> None:
    ok, photos = attempt(ctx.lang, photos_of_issue, ctx.db, ctx.actor, issue["id"])
    if not ok:
        return
    t, compound_id = ctx.t, issue["compound_id"]
    # A fixed label: a label that changed with the count would close the panel after each upload.
    box = lazy_expander(t("issue.photos"), f"issue_photos_open_{issue['id']}",
                        icon=":material/photo_library:")
    if box is None:
        return
    with box:
        st.caption(t("issue.photos.hint"))
        if photos:
            st.caption(t("issue.photos.count", n=len(photos)))
        else:
            st.info(t("issue.photos.none"))
        publish = may(ctx.actor, Action.PUBLISH, compound_id)
        remove = may(ctx.actor, Action.EDIT_ISSUE, compound_id)
        for start in range(0, len(photos), _COLUMNS):
            for column, photo in zip(st.columns(_COLUMNS), photos[start:start + _COLUMNS]):
                with column:
                    _photo_card(ctx, issue["id"], photo, publish=publish, remove=remove)
        if may(ctx.actor, Action.RAISE_ISSUE, compound_id):
            _upload_form(ctx, issue["id"], publish=publish)


def _photo_card(ctx, issue_id: int, photo: dict, *, publish: bool, remove: bool) -> None:
    t, key = ctx.t, photo["id"]
    caption = t(f"issue.photos.kind.{photo['kind']}") + " · " + \
        t("issue.photos.public" if photo["public"] else "issue.photos.private")
    ok, thumb = attempt(ctx.lang, photo_bytes, ctx.db, ctx.actor, key, thumb=True)
    if ok:
        st.image(thumb, caption=caption, width="stretch")
    if publish:
        shown = st.toggle(t("issue.photos.toggle"), value=bool(photo["public"]), key=f"photo_public_{key}")
        if shown != bool(photo["public"]):
            ok, _ = attempt(ctx.lang, set_photo_public, ctx.db, ctx.actor, key, shown)
            st.session_state.pop(f"photo_public_{key}", None)     # the stored value decides the next run
            if ok:
                _done(t("issue.photos.made_public" if shown else "issue.photos.made_private"))
    if remove:
        with st.popover(t("issue.photos.remove"), icon=":material/delete:"):
            st.caption(t("issue.photos.remove_hint"))
            if st.button(t("issue.photos.remove_confirm"), key=f"photo_remove_{key}", type="primary"):
                ok, _ = attempt(ctx.lang, remove_photo, ctx.db, ctx.actor, key)
                if ok:
                    _done(t("issue.photos.removed"))


def _upload_form(ctx, issue_id: int, *, publish: bool) -> None:
    t = ctx.t
    round_key = f"issue_photo_round_{issue_id}"          # a new uploader (empty) after each success
    n = st.session_state.get(round_key, 0)
    with st.form(f"issue_photo_form_{issue_id}_{n}", border=True):
        st.markdown(f"**{t('issue.photos.add')}**")
        kind = st.radio(t("issue.photos.kind"), ["issue", "result"], horizontal=True,
                        format_func=lambda k: t(f"issue.photos.kind.{k}"), key=f"issue_photo_kind_{issue_id}")
        files = st.file_uploader(t("issue.photos.files", n=MAX_STAFF_UPLOAD), type=_FILE_TYPES,
                                 accept_multiple_files=True, key=f"issue_photo_files_{issue_id}_{n}")
        public = st.checkbox(t("issue.photos.public_now"), key=f"issue_photo_public_{issue_id}") if publish \
            else False
        if st.form_submit_button(t("issue.photos.upload"), icon=":material/upload:"):
            data = [f.getvalue() for f in files or []]
            ok, ids = attempt(ctx.lang, attach_photos, ctx.db, ctx.actor, issue_id, data, kind=kind, public=public)
            if ok:
                st.session_state[round_key] = n + 1
                _done(t("issue.photos.uploaded", n=len(ids)))


def _done(message: str) -> None:
    flash("issue", message)
    st.rerun()
