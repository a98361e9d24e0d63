"""Register files as users' spreadsheets make them, for the import tests and benchmarks/bench_import_lock.py."""
from __future__ import annotations

import io
import zipfile

from deliberation.imports.register_file import MAX_ROWS
from deliberation.services.register_import import MAX_IMPORT_HOUSEHOLDS, MAX_IMPORT_TEXT


def shared_strings_xlsx(rows: list[list[str]]) -> bytes:
    """An .xlsx as Excel writes it: every text once in xl/sharedStrings.xml, cells pointing at it."""
    texts = list(dict.fromkeys(cell for row in rows for cell in row))
    index = {text: n for n, text in enumerate(texts)}
    columns = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    sheet = "".join(f'<row r="{r}">' + "".join(f'<c r="{columns[c]}{r}" t="s"><v>{index[cell]}</v></c>'
                                               for c, cell in enumerate(row)) + "</row>"
                    for r, row in enumerate(rows, start=1))
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
        '+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
        'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships"><Relationship Id="r1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets><sheet '
        'name="议题台账" sheetId="1" r:id="r1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        f'package/2006/relationships"><Relationship Id="r1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="r2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0"?><worksheet xmlns="{main}"><sheetData>{sheet}</sheetData>'
        '</worksheet>',
        "xl/sharedStrings.xml": f'<?xml version="1.0"?><sst xmlns="{main}" count="{len(texts)}" '
        f'uniqueCount="{len(texts)}">' + "".join(f"<si><t>{t}</t></si>" for t in texts) + "</sst>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            archive.writestr(name, xml.encode("utf-8"))
    return out.getvalue()


def largest_allowed_file(households: int) -> bytes:
    """As many rows, households and characters as one import allows, each row within a compound of
    `households` households: an .xlsx with shared strings (a CSV within 5 MB carries less text)."""
    per_row = min(households, MAX_IMPORT_HOUSEHOLDS // MAX_ROWS)
    title = "议题0000"
    text = MAX_IMPORT_TEXT // MAX_ROWS - len(title)
    return shared_strings_xlsx([["标题", "类别", "阶段", "提出日期", "问题描述", "反映户数"]]
                               + [[f"议题{n:04d}", "治安", "巡访问事", "2025-10-02", "说" * text, str(per_row)]
                                  for n in range(MAX_ROWS)])
