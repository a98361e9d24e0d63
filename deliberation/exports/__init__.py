"""Pure exporters: view-models (views.py) in, document bytes out.

No database, no Streamlit: the services fill the view-models and decide what a
reader may see; these modules only lay the content out as DOCX, PDF, XLSX,
Markdown or iCalendar. PDFs embed their fonts (fonts.py): the filed papers the serif face,
the others the fonts bundled in data/fonts.
"""

from .calendar import schedule_ics
from .cells import safe_cell
from .minutes import minutes_docx, minutes_markdown, minutes_pdf
from .notice import notice_docx, notice_pdf
from .report import report_docx, report_xlsx
from .views import (ActionLine, AgendaLine, AttendanceLine, MinutesView, NoticeItem,
                    NoticeView, PhotoThumb, ReportView, ScheduleView)

__all__ = [
    "ActionLine", "AgendaLine", "AttendanceLine", "MinutesView", "NoticeItem", "NoticeView",
    "PhotoThumb", "ReportView", "ScheduleView", "minutes_docx", "minutes_markdown", "minutes_pdf",
    "notice_docx", "notice_pdf", "report_docx", "report_xlsx", "safe_cell", "schedule_ics",
]
