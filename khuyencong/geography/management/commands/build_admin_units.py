"""Build the committed administrative-unit fixture from the `vietnam-provinces` package.

Run with the `data` dependency group (`uv run --group data manage.py build_admin_units`). The package is never
imported at run time: the app loads the fixture this command writes (khuyencong/geography/data/admin_units.json.gz).
"""

import gzip
import json
from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from khuyencong.geography import reference
from khuyencong.geography.loader import FIXTURE_PATH
from khuyencong.geography.names import unit_names

OLD_END = "2025-06-30"
NEW_START = "2025-07-01"

_TYPE_MAP = {
    ("province", "tỉnh"): "tinh",
    ("province", "thành phố trung ương"): "tp_tw",
    ("district", "huyện"): "huyen",
    ("district", "quận"): "quan",
    ("district", "thị xã"): "thi_xa",
    ("district", "thành phố"): "tp_thuoc_tinh",
    ("commune", "xã"): "xa",
    ("commune", "phường"): "phuong",
    ("commune", "thị trấn"): "thi_tran",
    ("commune", "đặc khu"): "dac_khu",
}
_WIDTH = {"province": 2, "district": 3, "commune": 5}


def short_name(full_name: str) -> str:
    return unit_names(full_name)[1]


def code_of(level: str, value: Any) -> str:
    number = value.value if hasattr(value, "value") else value
    return str(int(number)).zfill(_WIDTH[level])


class Command(BaseCommand):
    help = "Build the administrative-unit fixture from the vietnam-provinces package (data dependency group)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output", default=str(FIXTURE_PATH))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            import vietnam_provinces
            from vietnam_provinces import Province, Ward
            from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW as WARD_OLD_TO_NEW
            from vietnam_provinces.legacy import District as LegacyDistrict
            from vietnam_provinces.legacy import Province as LegacyProvince
            from vietnam_provinces.legacy import Ward as LegacyWard
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise CommandError("Install the data group first: uv sync --group data") from exc

        units: list[list[Any]] = []

        def add(era: str, level: str, code: str, division_type: str, full_name: str, parent: str | None) -> str:
            key = f"{era}:{level}:{code}"
            unit_type = _TYPE_MAP[(level, str(division_type))]
            valid_from, valid_to = (None, OLD_END) if era == "old" else (NEW_START, None)
            full_name, name = unit_names(full_name)
            units.append([key, unit_type, full_name, name, parent, valid_from, valid_to])
            return key

        for p in LegacyProvince.iter_all():
            add("old", "province", code_of("province", p.code), p.division_type, p.name, None)
        district_province: dict[str, str] = {}
        for d in LegacyDistrict.iter_all():
            pcode = code_of("province", d.province_code)
            dcode = code_of("district", d.code)
            district_province[dcode] = pcode
            add("old", "district", dcode, d.division_type, d.name, f"old:province:{pcode}")
        legacy_wards = {}
        for w in LegacyWard.iter_all():
            dcode = code_of("district", w.district_code)
            wcode = code_of("commune", w.code)
            legacy_wards[wcode] = dcode
            add("old", "commune", wcode, w.division_type, w.name, f"old:district:{dcode}")
        for province in Province.iter_all():
            add("new", "province", code_of("province", province.code), province.division_type, province.name, None)
        new_ward_province: dict[str, str] = {}
        for ward in Ward.iter_all():
            pcode = code_of("province", ward.province_code)
            wcode = code_of("commune", ward.code)
            new_ward_province[wcode] = pcode
            add("new", "commune", wcode, ward.division_type, ward.name, f"new:province:{pcode}")

        # Commune succession: the package's conversion table; the first listed new commune is the primary one.
        successions: list[list[Any]] = []
        province_votes: dict[str, Counter[str]] = {}
        for old_code, entry in sorted(WARD_OLD_TO_NEW.items()):
            wcode = code_of("commune", old_code)
            if wcode not in legacy_wards:
                continue  # codes retired before the package's legacy list; no unit to link
            seen: list[str] = []
            for ref in entry.new_wards:
                ncode = code_of("commune", ref.code)
                if ncode in new_ward_province and ncode not in seen:
                    seen.append(ncode)
            for index, ncode in enumerate(seen):
                successions.append([f"old:commune:{wcode}", f"new:commune:{ncode}", index == 0, "commune"])
            old_province = district_province[legacy_wards[wcode]]
            for ncode in seen[:1]:
                province_votes.setdefault(old_province, Counter())[new_ward_province[ncode]] += 1

        # Province succession: every old province goes to the one new province that took most of its communes.
        for old_pcode, votes in sorted(province_votes.items()):
            new_pcode = votes.most_common(1)[0][0]
            successions.append([f"old:province:{old_pcode}", f"new:province:{new_pcode}", True, "province"])

        regions = []
        memberships = []
        for kind, region_list, old_map, old_basis, new_map, new_basis in [
            (
                "socio_economic",
                reference.SOCIO_ECONOMIC_REGIONS,
                reference.SOCIO_ECONOMIC_OLD,
                reference.SOCIO_ECONOMIC_OLD_BASIS,
                reference.SOCIO_ECONOMIC_NEW,
                reference.SOCIO_ECONOMIC_NEW_BASIS,
            ),
            (
                "khuyen_cong",
                reference.KHUYEN_CONG_REGIONS,
                reference.KHUYEN_CONG_OLD,
                reference.KHUYEN_CONG_OLD_BASIS,
                reference.KHUYEN_CONG_NEW,
                reference.KHUYEN_CONG_NEW_BASIS,
            ),
        ]:
            for order, (code, name) in enumerate(region_list, start=1):
                regions.append([code, kind, name, order])
                for pcode in old_map[code]:
                    memberships.append([code, f"old:province:{pcode}", None, OLD_END, old_basis, kind == "khuyen_cong"])
                for pcode in new_map[code]:
                    memberships.append([code, f"new:province:{pcode}", NEW_START, None, new_basis, True])

        type_periods = [[f"{era}:province:{code}", *rest] for (era, code, *rest) in reference.TYPE_PERIODS]
        data = {
            "meta": {
                "source": f"vietnam-provinces {vietnam_provinces.__version__}",
                "data_version": vietnam_provinces.__data_version__,
                "licence": "GPL-3.0-or-later",
                "province_succession_basis": reference.PROVINCE_SUCCESSION_BASIS,
                "commune_succession_basis": reference.COMMUNE_SUCCESSION_BASIS,
                "effective_on": NEW_START,
            },
            "units": units,
            "successions": successions,
            "type_periods": type_periods,
            "regions": regions,
            "memberships": memberships,
        }
        self._check(data)
        output = Path(options["output"])
        output.parent.mkdir(parents=True, exist_ok=True)
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False).encode()
        with output.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
            gz.write(payload)
        counts = Counter(key.split(":")[0] + ":" + key.split(":")[1] for key, *_ in units)
        self.stdout.write(f"{output}: {dict(counts)}, {len(successions)} successions, {len(memberships)} memberships")

    def _check(self, data: dict) -> None:
        counts = Counter(":".join(row[0].split(":")[:2]) for row in data["units"])
        expected = {"new:province": 34, "new:commune": 3321, "old:province": 63}
        for key, value in expected.items():
            if counts[key] != value:
                raise CommandError(f"{key}: {counts[key]} units, expected {value}")
