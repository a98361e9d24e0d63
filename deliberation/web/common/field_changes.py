"""One line per changed field, "标题:「旧」→「新」", shared by the audit page and the issue
timeline. Values are user text: callers render the line as text (a dataframe cell, st.text) or
through plain(); nothing here is Markdown."""
from __future__ import annotations

from deliberation.services.audit import FieldChange

from .issue_links import label

FIELDS = ("title", "description", "category_id", "building", "location", "priority", "internal_note",
          "public_summary", "agenda_order")


def field_name(ctx, field: str) -> str:
    return ctx.t(f"audit.field.{field}") if field in FIELDS else field


def _value(ctx, field: str, value) -> str:
    if value is None or value == "":
        return ctx.t("audit.value.empty")
    if field == "priority":
        return label(ctx.lang, "priority", value)
    if field == "agenda_order":
        return ("、" if ctx.lang == "zh" else ", ").join(f"#{n}" for n in value)
    return str(value)


def change_line(ctx, change: FieldChange) -> str:
    name = field_name(ctx, change.field)
    if change.redacted:
        return ctx.t("audit.change.redacted", field=name)
    if not change.has_values:
        return ctx.t("audit.change.personal", field=name)
    return ctx.t("audit.change.values", field=name, old=_value(ctx, change.field, change.old),
                 new=_value(ctx, change.field, change.new))


def changes_text(ctx, changes: list[FieldChange], *, sep: str = "\n") -> str:
    """All of an event's changes, one per line (or joined by `sep`)."""
    return sep.join(change_line(ctx, c) for c in changes)
