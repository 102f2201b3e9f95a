"""Excel templates for the quarterly returns, generated from the loaders' own schemas.

One workbook per return: an ``instructions`` sheet (what the return is, each column with its
unit and what is expected), the ``data`` sheet the loader reads (header row, number formats,
drop-down lists for closed sets), a hidden ``lists`` sheet holding the drop-down values, and
a ``last quarter`` sheet with the previous quarter's figures where they exist. Because the
template is built from the same ``Schema`` the loader validates against, the two cannot
drift apart.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pcp_lib.io.schema import Column, Schema

__all__ = ["DATA_ROWS", "NUMBER_FORMATS", "build_template"]

NUMBER_FORMATS = {
    "int": "#,##0",
    "decimal": "General",
    "money": "£#,##0.00",
    "percent": "0.0",
    "date": "yyyy-mm-dd",
    "month": "yyyy-mm",
    "datetime": "yyyy-mm-dd hh:mm:ss",
    "text": "@",
    "choice": "@",
    "bool": "@",
    "quarter": "@",
}
DATA_ROWS = 500  # rows prepared with formats and drop-downs


def _choices(col: Column) -> list[str] | None:
    if col.kind == "choice":
        return list(col.choices or ())
    if col.kind == "bool":
        return ["Y", "N"]
    return None


def build_template(schema: Schema, path: str | Path, *, title: str | None = None,
                   last_quarter: pd.DataFrame | None = None, prefill: pd.DataFrame | None = None,
                   notes: list[str] | None = None) -> Path:
    """Write the Excel template for ``schema`` to ``path`` and return the path.

    ``last_quarter``: the previous quarter's rows, shown on their own sheet for reference.
    ``prefill``: rows to put on the data sheet already (e.g. the list of metric serials).
    """
    # openpyxl (0.2 s to import) only when a template is written, not by every command
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ins = wb.active
    ins.title = "instructions"
    ins["A1"] = title or schema.title
    ins["A1"].font = Font(bold=True, size=14)
    lines = [schema.description or "",
             f"Fill in the sheet '{schema.sheet}', one row per {', '.join(schema.key) or 'record'}; keep the "
             "header row as it is; do not merge cells or add columns.",
             "Save the file as " + f"'{schema.name}.xlsx' in the quarter's folder, then run: pcp validate <file>.",
             *(notes or [])]
    row = 2
    for line in lines:
        if line:
            ins.cell(row=row, column=1, value=line)
            row += 1
    row += 1
    for c, head in enumerate(["Column", "What it is", "Unit", "Expected", "Required"], start=1):
        ins.cell(row=row, column=c, value=head).font = Font(bold=True)
    for col in schema.columns:
        row += 1
        ins.cell(row=row, column=1, value=col.name)
        ins.cell(row=row, column=2, value=col.description)
        ins.cell(row=row, column=3, value=col.unit)
        ins.cell(row=row, column=4, value=col.expectation())
        ins.cell(row=row, column=5, value="yes" if col.required else "may be blank")
    for letter, width in zip("ABCDE", (24, 60, 14, 60, 12), strict=True):
        ins.column_dimensions[letter].width = width

    ws = wb.create_sheet(schema.sheet)
    lists = wb.create_sheet("lists")
    lists.sheet_state = "hidden"
    header_fill = PatternFill("solid", fgColor="12436D")
    list_col = 0
    for i, col in enumerate(schema.columns, start=1):
        letter = get_column_letter(i)
        cell = ws.cell(row=1, column=i, value=col.name)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True)
        ws.column_dimensions[letter].width = max(12, min(40, len(col.name) + 4))
        fmt = NUMBER_FORMATS[col.kind]
        for r in range(2, DATA_ROWS + 2):
            ws.cell(row=r, column=i).number_format = fmt
        values = _choices(col)
        if values:
            list_col += 1
            lcol = get_column_letter(list_col)
            lists.cell(row=1, column=list_col, value=col.name)
            for j, v in enumerate(values, start=2):
                lists.cell(row=j, column=list_col, value=v)
            dv = DataValidation(type="list", formula1=f"=lists!${lcol}$2:${lcol}${len(values) + 1}",
                                allow_blank=not col.required, showErrorMessage=True,
                                errorTitle=f"{col.name}", error=f"Expected {col.expectation()}")
            ws.add_data_validation(dv)
            dv.add(f"{letter}2:{letter}{DATA_ROWS + 1}")
    ws.freeze_panes = "A2"
    if prefill is not None and len(prefill):
        for r, rec in enumerate(prefill[schema.column_names].to_dict("records"), start=2):
            for i, name in enumerate(schema.column_names, start=1):
                v = rec[name]
                if v is not None and not (not isinstance(v, str) and pd.isna(v)):
                    ws.cell(row=r, column=i, value=_excel_value(v))

    if last_quarter is not None and len(last_quarter):
        lq = wb.create_sheet("last quarter")
        cols = [c for c in schema.column_names if c in last_quarter.columns]
        for i, name in enumerate(cols, start=1):
            lq.cell(row=1, column=i, value=name).font = Font(bold=True)
        for r, rec in enumerate(last_quarter[cols].to_dict("records"), start=2):
            for i, name in enumerate(cols, start=1):
                v = rec[name]
                if v is not None and not (not isinstance(v, str) and pd.isna(v)):
                    lq.cell(row=r, column=i, value=_excel_value(v))
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.properties.creator = "pcp"
    wb.save(out)
    return out


def _excel_value(v: object) -> object:
    """Decimals as floats for Excel cells (Excel has no decimal type), everything else as is.
    Money read back is re-quantised to pence by the loader."""
    from decimal import Decimal

    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, bool):
        return "Y" if v else "N"
    return v
