from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Province level")
    DISTRICT = "district", _("District level")
    COMMUNE = "commune", _("Commune level")


class UnitType(models.TextChoices):
    """Types of administrative unit (Luật Tổ chức chính quyền địa phương)."""

    TINH = "tinh", pgettext_lazy("unit type", "Province")
    TP_TW = "tp_tw", pgettext_lazy("unit type", "Centrally-run city")
    QUAN = "quan", pgettext_lazy("unit type", "Urban district")
    HUYEN = "huyen", pgettext_lazy("unit type", "Rural district")
    THI_XA = "thi_xa", pgettext_lazy("unit type", "District-level town")
    TP_THUOC_TINH = "tp_thuoc_tinh", pgettext_lazy("unit type", "Provincial city")
    XA = "xa", pgettext_lazy("unit type", "Commune")
    PHUONG = "phuong", pgettext_lazy("unit type", "Ward")
    THI_TRAN = "thi_tran", pgettext_lazy("unit type", "Township")
    DAC_KHU = "dac_khu", pgettext_lazy("unit type", "Special zone")


# The Vietnamese word that starts a unit's full name ("Tỉnh Lâm Đồng", "Xã Tân Hòa").
TYPE_PREFIX = {
    UnitType.TINH: "Tỉnh",
    UnitType.TP_TW: "Thành phố",
    UnitType.QUAN: "Quận",
    UnitType.HUYEN: "Huyện",
    UnitType.THI_XA: "Thị xã",
    UnitType.TP_THUOC_TINH: "Thành phố",
    UnitType.XA: "Xã",
    UnitType.PHUONG: "Phường",
    UnitType.THI_TRAN: "Thị trấn",
    UnitType.DAC_KHU: "Đặc khu",
}

LEVEL_OF_TYPE = {
    UnitType.TINH: UnitLevel.PROVINCE,
    UnitType.TP_TW: UnitLevel.PROVINCE,
    UnitType.QUAN: UnitLevel.DISTRICT,
    UnitType.HUYEN: UnitLevel.DISTRICT,
    UnitType.THI_XA: UnitLevel.DISTRICT,
    UnitType.TP_THUOC_TINH: UnitLevel.DISTRICT,
    UnitType.XA: UnitLevel.COMMUNE,
    UnitType.PHUONG: UnitLevel.COMMUNE,
    UnitType.THI_TRAN: UnitLevel.COMMUNE,
    UnitType.DAC_KHU: UnitLevel.COMMUNE,
}


class RegionKind(models.TextChoices):
    SOCIO_ECONOMIC = "socio_economic", _("Socio-economic region")
    KHUYEN_CONG = "khuyen_cong", _("Khuyến công region")
