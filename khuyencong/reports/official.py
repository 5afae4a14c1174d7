"""Official report files generated from live data, laid out as Vietnamese administrative documents (issuing agency
and number, national motto, place and date, title, numbered tables in triệu đồng, recipients, signature block) and
written as .xlsx, .docx and .pdf from one document model, so the three files always say the same thing:

a. the province's periodic khuyến công report to the ministry (quarter, half year, year);
b. the summary table of the projects registered for the national programme (the historical "Mẫu 2" layout);
c. a project's progress report (the "Mẫu 3b" idea: items planned and done, spending by source, advances, issues);
d. the national programme report by region (plan, executed, % of plan, outputs, change on the year before).
"""

import calendar
import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from khuyencong.collaborators import periods
from khuyencong.collaborators.selectors import approved_figures, completeness, periodic_forms
from khuyencong.core import admindoc
from khuyencong.core.exceptions import ApplicationError, ErrorCode
from khuyencong.core.formatting import format_money, format_number, format_percent, percent_of
from khuyencong.core.parsing import parse_year
from khuyencong.core.scoping import user_scope
from khuyencong.geography.models import AdminUnit, Region
from khuyencong.geography.selectors import region_provinces
from khuyencong.plans.selectors import Query, plan_breakdown, plan_vs_actual
from khuyencong.policy.models import ActivityContent, Indicator
from khuyencong.policy.selectors import content_sort_key
from khuyencong.projects.choices import Status
from khuyencong.projects.selectors import budget_totals, project_get, project_statistics

PERIODS = {
    "q1": ("quý I", 1, 3),
    "q2": ("quý II", 4, 6),
    "q3": ("quý III", 7, 9),
    "q4": ("quý IV", 10, 12),
    "h1": ("6 tháng đầu năm", 1, 6),
    "h2": ("6 tháng cuối năm", 7, 12),
    "year": ("năm", 1, 12),
}
Progress = Callable[[int, int], None]


def million(amount_vnd: int | None) -> str:
    """An amount in triệu đồng as the tables show it, with the decimals it needs (to the thousand đồng at most) and
    Vietnamese marks: 481.407.000.000 đ → "481.407", 1.250.000 đ → "1,25", 1.234.567 đ → "1,235", 0 → "0"."""
    if amount_vnd is None:
        return ""
    text = format_money(amount_vnd, "trieu", 3, with_unit=False)
    return text.rstrip("0").rstrip(",") if "," in text else text


@dataclass
class Table:
    number: int
    title: str
    headers: list[str]
    rows: list[list[str]]
    unit: str = "Đơn vị tính: triệu đồng"
    #: Columns aligned right (numbers).
    numeric_from: int = 1


@dataclass
class OfficialDocument:
    agency_parent: str
    agency: str
    number_line: str
    place_date: str
    title: str
    subtitle: str
    blocks: list[Any] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signer_title: str = "GIÁM ĐỐC"
    file_stem: str = "bao-cao"

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


def _place_date(place: str) -> str:
    today = timezone.localdate()
    return f"{place}, ngày {today.day:02d} tháng {today.month:02d} năm {today.year}"


def _no_progress(done: int, total: int) -> None:
    return None


def _check_province(user: Any, province_id: Any) -> AdminUnit | None:
    if province_id in (None, ""):
        if not user_scope(user).is_country:
            raise ApplicationError(ErrorCode.INVALID, _("Choose the province."), field="province")
        return None
    province = AdminUnit.objects.filter(pk=province_id, level="province", valid_to__isnull=True).first()
    if province is None or not (user_scope(user).is_country or province.pk in user_scope(user).province_ids):
        raise ApplicationError(ErrorCode.OUT_OF_SCOPE, _("Not found, or outside your area."), field="province")
    return province


def period_dates(year: int, period: str) -> tuple[datetime.date, datetime.date, str]:
    if period not in PERIODS:
        raise ApplicationError(ErrorCode.INVALID, _("Choose the period of the report."), field="period")
    label, first, last = PERIODS[period]
    end = datetime.date(year, last, calendar.monthrange(year, last)[1])
    return datetime.date(year, first, 1), end, f"{label} năm {year}" if period != "year" else f"năm {year}"


# ---- a. the province's periodic report -------------------------------------------------------------------------------


def periodic_report(
    *, user: Any, province_id: Any, year: int, period: str, progress: Progress = _no_progress
) -> OfficialDocument:
    """Funds by source and fund, projects by stage, outputs: the Sở's report to the ministry for a period."""
    with translation.override("vi"):
        province = _check_province(user, province_id)
        _start, end, label = period_dates(year, period)
        as_of = min(end, timezone.localdate())
        provinces = frozenset({province.pk}) if province else None
        progress(0, 4)
        money = {
            fund: plan_vs_actual(user=user, query=Query(as_of=as_of, year_from=year, year_to=year, fund=fund or None,
                                                        provinces=provinces))
            for fund in ("kcqg", "kcdp", "")
        }  # fmt: skip
        progress(1, 4)

        def row(label: str, attr: str) -> list[str]:
            return [label, *(million(getattr(money[f].figures, attr)) for f in ("kcqg", "kcdp", ""))]

        funds = Table(
            1,
            "Kinh phí khuyến công và vốn huy động",
            ["Chỉ tiêu", "KCQG", "KCĐP", "Tổng cộng"],
            [
                row("Kế hoạch", "planned_vnd"),
                row("Đã giao cho đề án", "assigned_vnd"),
                row("Đã giải ngân (tạm ứng, thanh toán)", "disbursed_vnd"),
                row("Đã quyết toán", "settled_vnd"),
                row("Vốn đối ứng cam kết", "counterpart_committed_vnd"),
                row("Vốn đối ứng đã quyết toán", "counterpart_settled_vnd"),
                [
                    "Tỷ lệ giải ngân so với kế hoạch (%)",
                    *(format_percent(money[f].progress_pct, 2).replace(" %", "") for f in ("kcqg", "kcdp", "")),
                ],
                [
                    "Vốn đối ứng trên 1 đồng kinh phí khuyến công",
                    *(money[f].display()["leverage"] for f in ("kcqg", "kcdp", "")),
                ],
            ],  # fmt: skip
        )
        stats = {
            fund: project_statistics(
                user=user, year_from=year, year_to=year, fund=fund or None, provinces=provinces, as_of=as_of
            )
            for fund in ("kcqg", "kcdp", "")
        }
        progress(2, 4)
        statuses = [
            [str(label), *(format_number(stats[f]["by_status"].get(value, 0)) for f in ("kcqg", "kcdp", ""))]
            for value, label in Status.choices
            if stats[""]["by_status"].get(value)
        ]
        projects = Table(
            2,
            "Đề án theo giai đoạn thực hiện",
            ["Giai đoạn", "KCQG", "KCĐP", "Tổng cộng"],
            statuses or [["Không có đề án", "0", "0", "0"]],
            unit="Đơn vị tính: đề án",
        )
        results, by_content = output_tables(stats[""], start_number=3)
        collaborators = _collaborator_table(user, provinces, _start, end)
        progress(3, 4)
        place = province.name if province else "Hà Nội"
        scope = province.full_name if province else "toàn quốc"
        document = OfficialDocument(
            agency_parent=f"UBND {province.full_name.upper()}" if province else "BỘ CÔNG THƯƠNG",
            agency="SỞ CÔNG THƯƠNG" if province else "CỤC ĐỔI MỚI SÁNG TẠO, CHUYỂN ĐỔI XANH VÀ KHUYẾN CÔNG",
            number_line="Số:        /BC-SCT" if province else "Số:        /BC-CĐMST",
            place_date=_place_date(place),
            title="BÁO CÁO",
            subtitle=f"Tình hình thực hiện công tác khuyến công {label} – {scope}",
            blocks=[
                "I. KINH PHÍ KHUYẾN CÔNG",
                f"Số liệu tính đến ngày {as_of:%d/%m/%Y}, kế hoạch năm {year}.",
                funds,
                "II. TÌNH HÌNH THỰC HIỆN ĐỀ ÁN",
                projects,
                "III. KẾT QUẢ ĐẠT ĐƯỢC",
                results,
                by_content,
                "IV. TÌNH HÌNH CƠ SỞ CÔNG NGHIỆP NÔNG THÔN (THEO BÁO CÁO CỦA CỘNG TÁC VIÊN ĐÃ PHÊ DUYỆT)",
                collaborators,
                "V. KHÓ KHĂN, VƯỚNG MẮC VÀ KIẾN NGHỊ",
                "(Đơn vị bổ sung trước khi ký ban hành.)",
            ],
            recipients=["Bộ Công Thương (Cục ĐMST, CĐX và KC)", "UBND tỉnh (để báo cáo)", "Lưu: VT, KC."]
            if province
            else ["Lãnh đạo Bộ (để báo cáo)", "Lưu: VT."],
            signer_title="GIÁM ĐỐC" if province else "CỤC TRƯỞNG",
            file_stem=f"bao-cao-khuyen-cong-{period}-{year}" + (f"-{province.code}" if province else ""),
        )
        progress(4, 4)
        return document


def output_tables(stats: dict[str, Any], *, start_number: int) -> tuple[Table, Table]:
    """The results by indicator (each with its unit; every indicator with a value in the scope) and by content (the
    projects' main content, each content's indicators under it); "Chưa có số liệu" when there is none."""
    indicators = {i.code: i for i in Indicator.objects.order_by("sort_order", "code")}
    outputs = stats["outputs"]
    rows = [
        [indicator.name, indicator.get_unit_display(), format_number(outputs[code][0]), format_number(outputs[code][1])]
        for code, indicator in indicators.items()
        if code in outputs and any(outputs[code])
    ]
    rows.append(
        ["Cơ sở công nghiệp nông thôn được hỗ trợ", "cơ sở", "", format_number(stats["establishments_supported"])]
    )
    headers = ["Chỉ tiêu", "Đơn vị tính", "Kế hoạch", "Thực hiện"]
    results = Table(start_number, "Kết quả thực hiện theo chỉ tiêu", headers, rows,
                    unit="Số thực hiện là số đã đạt, đã nghiệm thu đến ngày báo cáo")  # fmt: skip
    names = dict(ActivityContent.objects.order_by("code", "valid_from").values_list("code", "name"))
    by_content: dict[str, list[list[str]]] = {}
    for (code, indicator_code), (planned, achieved) in stats["outputs_by_content"].items():
        if (planned or achieved) and indicator_code in indicators:
            indicator = indicators[indicator_code]
            by_content.setdefault(code, []).append(
                [f"  {indicator.name}", indicator.get_unit_display(), format_number(planned), format_number(achieved)]
            )
    content_rows: list[list[str]] = []
    for code in sorted(by_content, key=lambda c: content_sort_key(c) if c else [(2, 0, "")]):
        content_rows.append([f"{code}. {names.get(code, '')}" if code else "Đề án chưa có nội dung", "", "", ""])
        order = {c: n for n, c in enumerate(indicators)}
        content_rows += sorted(by_content[code], key=lambda r: order.get(r[0], 0))
    contents = Table(start_number + 1, "Kết quả thực hiện theo nội dung khuyến công",
                     ["Nội dung, chỉ tiêu", "Đơn vị tính", "Kế hoạch", "Thực hiện"],
                     content_rows or [["Chưa có số liệu", "", "", ""]],
                     unit="Mỗi đề án tính theo nội dung chính (nội dung đầu tiên theo mã)")  # fmt: skip
    return results, contents


def _collaborator_table(user: Any, provinces: frozenset[int] | None, start: datetime.date, end: datetime.date) -> Table:
    """Table 4: what the collaborators' approved quarterly reports say for the period: stocks (establishments,
    workers) from the last quarter of the period, flows (opened, closed, support needs, proposals) over it."""
    form = periodic_forms().filter(code="ctv-quy").first()
    rows: list[list[str]] = []
    if form is not None:
        last_quarter = periods.period_start(form.period_type, end)
        stock = approved_figures(user=user, form=form, first=last_quarter, last=last_quarter, province_ids=provinces)
        flow = approved_figures(user=user, form=form, first=start, last=end, province_ids=provinces)
        board = completeness(
            user=user, form=form, first=start, last=end, province_id=next(iter(provinces)) if provinces else None
        )
        s, f = stock["sums"], flow["sums"]
        rows = [
            ["Báo cáo quý đã phê duyệt / phải nộp", f"{format_number(board.total.approved)} / "
             f"{format_number(board.total.expected)}"],
            ["Cơ sở CNNT đang hoạt động (cuối kỳ)", format_number(s.get("establishments_total", 0))],
            ["Cơ sở mới thành lập trong kỳ", format_number(f.get("establishments_opened", 0))],
            ["Cơ sở ngừng hoạt động trong kỳ", format_number(f.get("establishments_closed", 0))],
            ["Lao động tại các cơ sở (cuối kỳ)", format_number(s.get("workers", 0))],
            ["Trong đó: lao động nữ", format_number(s.get("female_workers", 0))],
            ["Nhu cầu hỗ trợ: kinh phí dự kiến (triệu đồng)", million(f.get("support_needs.estimated_cost_vnd", 0))],
            ["Đề án đề xuất: kinh phí dự kiến (triệu đồng)", million(f.get("proposed_projects.estimated_cost_vnd", 0))],
        ]  # fmt: skip
    return Table(5, "Cơ sở công nghiệp nông thôn và nhu cầu hỗ trợ", ["Chỉ tiêu", "Số liệu"], rows,
                 unit="Đơn vị tính: theo chỉ tiêu")  # fmt: skip


# ---- b. summary table of projects registered for the national programme (Mẫu 2) --------------------------------------

REGISTERED_STATES = (
    Status.REGISTERED,
    Status.MINISTRY_APPRAISAL,
    Status.IN_PLAN,
    Status.ASSIGNED,
    Status.CONTRACTED,
    Status.IN_PROGRESS,
    Status.ADJUSTMENT_PENDING,
    Status.SUSPENDED,
    Status.ACCEPTED,
    Status.SETTLED,
    Status.EVALUATED,
)


def registered_summary(
    *, user: Any, province_id: Any, year: int, progress: Progress = _no_progress
) -> OfficialDocument:
    """The projects of a plan year registered with the ministry, one row each: name, implementing unit, location,
    beneficiaries, duration, funds by source (khuyến công, counterpart, other) and the base appraisal."""
    from khuyencong.projects.selectors import project_queryset

    with translation.override("vi"):
        province = _check_province(user, province_id)
        projects = (
            project_queryset(user=user)
            .filter(fund="kcqg", plan_year=year, status__in=REGISTERED_STATES)
            .select_related("province", "commune", "implementing_org")
            .prefetch_related("budget_lines", "beneficiaries__establishment", "transitions__decision")
            .order_by("code")
        )
        if province:
            projects = projects.filter(province=province)
        rows = []
        items = list(projects)
        totals = [0, 0, 0]
        for n, project in enumerate(items, start=1):
            sums = budget_totals(list(project.budget_lines.all())).planned
            amounts = [sums.get("khuyen_cong", 0), sums.get("counterpart", 0), sums.get("other", 0)]
            totals = [a + b for a, b in zip(totals, amounts, strict=True)]
            appraisal = next(
                (t.decision for t in project.transitions.all() if t.name == "pass_appraisal" and t.decision), None
            )
            rows.append(
                [
                    str(n),
                    project.name,
                    project.implementing_org.name,
                    ", ".join(
                        x
                        for x in (project.commune.full_name if project.commune else "", project.province.full_name)
                        if x
                    ),
                    "; ".join(b.establishment.name for b in project.beneficiaries.all()) or "—",
                    project.years_label,
                    *(million(a) for a in amounts),
                    million(sum(amounts)),
                    f"{appraisal.number} ({appraisal.signed_on:%d/%m/%Y})" if appraisal else "—",
                ]
            )
            progress(n, len(items))
        rows.append(["", "Tổng cộng", "", "", "", "", *(million(t) for t in totals), million(sum(totals)), ""])
        scope = province.full_name if province else "toàn quốc"
        table = Table(
            1,
            f"Tổng hợp đề án khuyến công quốc gia đăng ký năm {year}",
            ["TT", "Tên đề án", "Đơn vị thực hiện", "Địa điểm", "Đơn vị thụ hưởng", "Thời gian", "Kinh phí KCQG",
             "Vốn đối ứng", "Nguồn khác", "Tổng kinh phí", "Thẩm định cơ sở"],
            rows,
            numeric_from=6,
        )  # fmt: skip
        return OfficialDocument(
            agency_parent=f"UBND {province.full_name.upper()}" if province else "BỘ CÔNG THƯƠNG",
            agency="SỞ CÔNG THƯƠNG" if province else "CỤC ĐỔI MỚI SÁNG TẠO, CHUYỂN ĐỔI XANH VÀ KHUYẾN CÔNG",
            number_line="Biểu mẫu 2",
            place_date=_place_date(province.name if province else "Hà Nội"),
            title="BIỂU TỔNG HỢP",
            subtitle=f"Đề án khuyến công quốc gia đăng ký thực hiện năm {year} – {scope}",
            blocks=[table],
            recipients=["Cục ĐMST, CĐX và KC", "Lưu: VT."],
            file_stem=f"bieu-tong-hop-de-an-{year}" + (f"-{province.code}" if province else ""),
        )


# ---- c. a project's progress report (Mẫu 3b idea) -----------------------------------------------------------------


def project_progress(*, user: Any, project_id: Any, as_of: datetime.date | None = None,
                     progress: Progress = _no_progress) -> OfficialDocument:  # fmt: skip
    """Items planned and done, spending by source, advances received and the issues of the latest monthly report."""
    from khuyencong.plans.selectors import project_money_summary

    with translation.override("vi"):
        project = project_get(user=user, pk=project_id)
        as_of = as_of or timezone.localdate()
        lines = list(project.budget_lines.all())
        totals = budget_totals(lines)
        targets = list(project.targets.select_related("indicator"))
        reports = list(project.progress_reports.filter(month__lte=as_of).order_by("-month"))
        latest = reports[0] if reports else None
        spent = {
            "khuyen_cong": sum(r.spent_khuyen_cong_vnd for r in reports),
            "counterpart": sum(r.spent_counterpart_vnd for r in reports),
            "other": sum(r.spent_other_vnd for r in reports),
        }
        money = project_money_summary(project)
        progress(1, 2)
        items = Table(
            1,
            "Khối lượng thực hiện",
            ["Chỉ tiêu", "Kế hoạch", "Thực hiện", "Tỷ lệ (%)"],
            [
                [t.indicator.name, format_number(t.planned), format_number(t.achieved or 0),
                 format_percent(percent_of(t.achieved or 0, t.planned), 2).replace(" %", "")]
                for t in targets
            ] or [["—", "", "", ""]],
            unit="Đơn vị tính: theo chỉ tiêu",
        )  # fmt: skip
        spending = Table(
            2,
            "Kinh phí theo nguồn",
            ["Nguồn", "Dự toán", "Được duyệt", "Đã chi (theo báo cáo tiến độ)"],
            [
                [label, million(totals.planned[source]), million(totals.approved[source]), million(spent[source])]
                for source, label in (
                    ("khuyen_cong", "Kinh phí khuyến công"),
                    ("counterpart", "Vốn đối ứng"),
                    ("other", "Nguồn khác"),
                )
            ],
        )  # fmt: skip
        advances = Table(
            3,
            "Tạm ứng, thanh toán kinh phí khuyến công",
            ["Nội dung", "Số tiền"],
            [
                ["Đã tạm ứng", million(money["advanced_vnd"])],
                ["Đã thanh toán", million(money["paid_vnd"])],
                ["Đã nộp trả", million(money["refunded_vnd"])],
                ["Đã giải ngân", million(money["disbursed_vnd"])],
            ],
        )
        progress(2, 2)
        return OfficialDocument(
            agency_parent="",
            agency=project.implementing_org.name.upper(),
            number_line=f"Số:        /BC (đề án {project.code})",
            place_date=_place_date(project.province.name),
            title="BÁO CÁO TIẾN ĐỘ",
            subtitle=f"Thực hiện đề án {project.name} – tính đến ngày {as_of:%d/%m/%Y}",
            blocks=[
                f"Tỷ lệ khối lượng hoàn thành theo báo cáo tháng gần nhất: {latest.percent_done if latest else 0} %.",
                items,
                spending,
                advances,
                "Khó khăn, vướng mắc và kiến nghị:",
                (latest.issues if latest and latest.issues else "Không có."),
            ],
            recipients=["Sở Công Thương (để xác nhận)", "Cục ĐMST, CĐX và KC", "Lưu: VT."],
            signer_title="THỦ TRƯỞNG ĐƠN VỊ",
            file_stem=f"tien-do-{project.code}",
        )


# ---- d. national programme report by region -----------------------------------------------------------------------


def regional_report(*, user: Any, year: int, progress: Progress = _no_progress) -> OfficialDocument:
    """For each region of the country: plan, executed, % of plan, outputs, and the change on the year before."""
    if not user_scope(user).is_country:
        raise ApplicationError(ErrorCode.PERMISSION_DENIED, _("The national report is for the ministry's officers."))
    with translation.override("vi"):
        as_of = min(datetime.date(year, 12, 31), timezone.localdate())
        # The khuyến công regions of the regional conferences (north, centre and highlands, south).
        regions = list(Region.objects.filter(kind="khuyen_cong").order_by("sort_order"))
        rows, outputs_rows = [], []
        total_regions = len(regions) + 1
        for n, region in enumerate([*regions, None], start=1):
            # figures are kept on today's provinces (docs/figures.md): a region is its provinces of today
            provinces = frozenset(region_provinces(region, timezone.localdate())) if region else None
            result = plan_vs_actual(user=user, query=Query(as_of=as_of, year_from=year, year_to=year, fund="kcqg",
                                                           provinces=provinces))  # fmt: skip
            stats = project_statistics(
                user=user, year_from=year, year_to=year, fund="kcqg", provinces=provinces, as_of=as_of
            )
            name = region.name if region else "Cả nước"
            f = result.figures
            rows.append(
                [name, million(f.planned_vnd), million(f.disbursed_vnd),
                 format_percent(result.progress_pct, 2).replace(" %", ""), million(result.previous.disbursed_vnd),
                 format_percent(result.changes.get("disbursed"), 2).replace(" %", "")]
            )  # fmt: skip
            out = stats["outputs"]
            outputs_rows.append(
                [name, *(format_number(out.get(i, (0, 0))[1]) for i in ("trainees", "models", "machines",
                                                                           "fair_booths")),
                 format_number(stats["establishments_supported"])]
            )  # fmt: skip
            progress(n, total_regions)
        # The part of the national plan allocated to no province, so that the regions add up to the country.
        breakdown = plan_breakdown(user=user, query=Query(as_of=as_of, year_from=year, year_to=year, fund="kcqg"))
        rest = next((row for row in breakdown.by_province if row.key is None), None) if breakdown else None
        if rest is not None and rest.planned_vnd:
            rows.insert(-1, ["Chưa phân bổ cho tỉnh", million(rest.planned_vnd), million(rest.disbursed_vnd),
                             "", "", ""])  # fmt: skip
        return OfficialDocument(
            agency_parent="BỘ CÔNG THƯƠNG",
            agency="CỤC ĐỔI MỚI SÁNG TẠO, CHUYỂN ĐỔI XANH VÀ KHUYẾN CÔNG",
            number_line="Số:        /BC-CĐMST",
            place_date=_place_date("Hà Nội"),
            title="BÁO CÁO",
            subtitle=f"Kết quả thực hiện Chương trình khuyến công quốc gia năm {year} theo vùng",
            blocks=[
                "I. KINH PHÍ KHUYẾN CÔNG QUỐC GIA",
                Table(
                    1,
                    "Kế hoạch và thực hiện theo vùng",
                    ["Vùng", "Kế hoạch", "Thực hiện", "Đạt (%)", "Cùng kỳ năm trước", "Tăng, giảm (%)"],
                    rows,
                ),
                "II. KẾT QUẢ",
                Table(
                    2,
                    "Kết quả theo vùng",
                    [
                        "Vùng",
                        "Học viên",
                        "Mô hình trình diễn",
                        "Máy móc, thiết bị",
                        "Gian hàng hội chợ",
                        "Cơ sở được hỗ trợ",
                    ],
                    outputs_rows,
                    unit="Đơn vị tính: theo chỉ tiêu",
                ),
            ],  # fmt: skip
            recipients=["Lãnh đạo Bộ (để báo cáo)", "Các Sở Công Thương", "Lưu: VT."],
            signer_title="CỤC TRƯỞNG",
            file_stem=f"bao-cao-vung-{year}",
        )


# ---- the three file formats ------------------------------------------------------------------------------------------


def render_xlsx(doc: OfficialDocument) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    from khuyencong.core.xlsx import append_row

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Bao cao"
    thin = Side(style="thin")
    width = max([len(t.headers) for t in doc.tables()] + [4])
    bold = Font(name="Times New Roman", bold=True)

    def line(text: str, *, font: Font | None = None, center: bool = False) -> None:
        append_row(sheet, [text])
        cell = sheet.cell(row=sheet.max_row, column=1)
        cell.font = font or Font(name="Times New Roman")
        if center:
            sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width)
            cell.alignment = Alignment(horizontal="center")

    append_row(sheet, [doc.agency_parent, "", "", admindoc.MOTTO_1])
    append_row(sheet, [doc.agency, "", "", admindoc.MOTTO_2])
    append_row(sheet, [doc.number_line, "", "", doc.place_date])
    for row in (1, 2):
        sheet.cell(row=row, column=4).font = bold
    sheet.cell(row=2, column=1).font = bold
    line("")
    line(doc.title, font=Font(name="Times New Roman", bold=True, size=14), center=True)
    line(doc.subtitle, font=bold, center=True)
    for block in doc.blocks:
        if isinstance(block, Table):
            line(f"Bảng {block.number}. {block.title}", font=bold)
            line(block.unit, font=Font(name="Times New Roman", italic=True))
            append_row(sheet, block.headers)
            for cell in sheet[sheet.max_row]:
                cell.font, cell.border = bold, Border(thin, thin, thin, thin)
                cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
            for values in block.rows:
                append_row(sheet, values)
                for index, cell in enumerate(sheet[sheet.max_row]):
                    cell.border = Border(thin, thin, thin, thin)
                    if index >= block.numeric_from:
                        cell.alignment = Alignment(horizontal="right")
        else:
            line(str(block), font=bold if str(block)[:3].rstrip(".").isupper() and "." in str(block)[:5] else None)
    line("")
    line("Nơi nhận:", font=Font(name="Times New Roman", bold=True, italic=True))
    for recipient in doc.recipients:
        line(f"- {recipient}")
    sheet.cell(row=sheet.max_row - len(doc.recipients), column=4, value=doc.signer_title).font = bold
    sheet.column_dimensions["A"].width = 42
    for letter in "BCDEFGHIJK":
        sheet.column_dimensions[letter].width = 18
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def render_docx(doc: OfficialDocument) -> bytes:
    document = admindoc.new_document(landscape=max([len(t.headers) for t in doc.tables()] + [0]) > 6)
    admindoc.header(
        document, agency_parent=doc.agency_parent, agency=doc.agency, number_line=doc.number_line,
        place_date=doc.place_date, title=doc.title, subtitle=doc.subtitle,
    )  # fmt: skip
    for block in doc.blocks:
        if isinstance(block, Table):
            admindoc.table(
                document, f"Bảng {block.number}. {block.title}", block.unit, block.headers, block.rows,
                numeric_from=block.numeric_from,
            )  # fmt: skip
        else:
            text = str(block)
            admindoc.paragraph(document, text, bold=text[:4].split(".")[0].isupper() and "." in text[:5])
    admindoc.signature(document, recipients=doc.recipients, signer_title=doc.signer_title)
    return admindoc.to_bytes(document)


def render_pdf(doc: OfficialDocument) -> bytes:
    from weasyprint import HTML

    wide = max([len(t.headers) for t in doc.tables()] + [0]) > 6
    blocks = [("table", b) if isinstance(b, Table) else ("text", str(b)) for b in doc.blocks]
    html = render_to_string(
        "reports/official_print.html",
        {"doc": doc, "blocks": blocks, "wide": wide, "motto_1": admindoc.MOTTO_1, "motto_2": admindoc.MOTTO_2},
    )
    return HTML(string=html).write_pdf()


RENDERERS: dict[str, tuple[Callable[[OfficialDocument], bytes], str]] = {
    "xlsx": (render_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "docx": (render_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pdf": (render_pdf, "application/pdf"),
}
KINDS = {
    "periodic": "Báo cáo định kỳ của tỉnh về khuyến công",
    "registered": "Biểu tổng hợp đề án KCQG đăng ký (Mẫu 2)",
    "project": "Báo cáo tiến độ đề án (Mẫu 3b)",
    "regional": "Báo cáo Chương trình KCQG theo vùng",
}


def build(kind: str, *, user: Any, params: dict[str, Any], progress: Progress = _no_progress) -> OfficialDocument:
    """The document of a report kind from its parameters (the form's or the API's)."""
    year = parse_year(params.get("year"), field="year") or timezone.localdate().year
    if kind == "periodic":
        return periodic_report(user=user, province_id=params.get("province"), year=year,
                               period=params.get("period") or "year", progress=progress)  # fmt: skip
    if kind == "registered":
        return registered_summary(user=user, province_id=params.get("province"), year=year, progress=progress)
    if kind == "project":
        return project_progress(user=user, project_id=params.get("project"), progress=progress)
    if kind == "regional":
        return regional_report(user=user, year=year, progress=progress)
    raise ApplicationError(ErrorCode.INVALID, _("Choose the kind of report."), field="kind")
