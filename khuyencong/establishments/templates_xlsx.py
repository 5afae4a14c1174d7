"""The import template: the columns with drop-down lists, and a sheet explaining each column in Vietnamese."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from khuyencong.geography.models import AdminUnit

from .choices import LegalForm
from .imports import COLUMNS


def import_template_workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Cơ sở"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header + (" *" if column.required else ""))
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[cell.column_letter].width = max(14, min(40, len(column.header) + 6))
    sheet.freeze_panes = "A2"

    lists = workbook.create_sheet("Danh mục")
    forms = [str(label) for _value, label in LegalForm.choices]
    provinces = list(
        AdminUnit.objects.filter(level="province", valid_to__isnull=True)
        .order_by("name_folded")
        .values_list("full_name", flat=True)
    )
    statuses = ["Đang hoạt động", "Tạm ngừng hoạt động", "Đã ngừng hoạt động"]
    for row, value in enumerate(forms, start=1):
        lists.cell(row=row, column=1, value=value)
    for row, value in enumerate(provinces, start=1):
        lists.cell(row=row, column=2, value=value)
    for row, value in enumerate(statuses, start=1):
        lists.cell(row=row, column=3, value=value)
    lists.sheet_state = "hidden"

    def validation(key: str, formula: str) -> None:
        position = next(i for i, c in enumerate(COLUMNS, start=1) if c.key == key)
        letter = sheet.cell(row=1, column=position).column_letter
        rule = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True)
        rule.error = "Chọn một giá trị trong danh sách."
        rule.errorTitle = "Giá trị không hợp lệ"
        sheet.add_data_validation(rule)
        rule.add(f"{letter}2:{letter}200001")

    validation("legal_form", f"'Danh mục'!$A$1:$A${len(forms)}")
    validation("province_name", f"'Danh mục'!$B$1:$B${len(provinces)}")
    validation("status", f"'Danh mục'!$C$1:$C${len(statuses)}")
    validation("owner_gender", '"Nam,Nữ"')

    guide = workbook.create_sheet("Hướng dẫn")
    guide.append(["Cột", "Bắt buộc", "Cách ghi"])
    for cell in guide[1]:
        cell.font, cell.fill = bold, fill
    for column in COLUMNS:
        guide.append([column.header, "Có" if column.required else "", column.help])
    guide.append([])
    guide.append(["Lưu ý", "", "Số viết kiểu Việt Nam (1.920; 1,5) hoặc số của Excel đều được; ngày ghi dd/mm/yyyy."])
    guide.append(["", "", "Mỗi dòng một cơ sở; dòng trống được bỏ qua. Tối đa 200.000 dòng, 25 MB mỗi tệp."])
    guide.append(["", "", "Trước khi lưu, hệ thống kiểm tra thử và báo lỗi từng dòng, từng cột."])
    guide.column_dimensions["A"].width = 30
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 100
    for row in guide.iter_rows(min_row=2):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
