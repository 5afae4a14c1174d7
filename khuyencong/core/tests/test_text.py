import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from khuyencong.core.text import fold, fold_words

VIETNAMESE = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ "
vietnamese_text = st.text(alphabet=VIETNAMESE + VIETNAMESE.upper(), max_size=40)


def test_golden_table():
    assert fold("Đắk Lắk") == "dak lak"
    assert fold("ĐẮK LẮK") == "dak lak"
    assert fold("  Hà   Nội ") == "ha noi"
    assert fold("Thành phố Hồ Chí Minh") == "thanh pho ho chi minh"
    assert fold("Phường Phú Thuỷ") == fold("Phường Phú Thủy") == "phuong phu thuy"
    assert fold("Hoà Bình") == fold("Hòa Bình") == "hoa binh"
    assert fold("Xã Ea H'leo") == "xa ea h'leo"
    assert fold("") == "" and fold(None) == ""
    assert fold_words("Xã  Đức Trọng") == ["xa", "duc", "trong"]


def test_nfd_input_folds_like_nfc():
    text = "Thừa Thiên Huế"
    assert fold(unicodedata.normalize("NFD", text)) == fold(text) == "thua thien hue"


def test_old_and_new_tone_placement_in_composed_text():
    # "oà" (old style, mark on the a) and "òa" (new style, mark on the o) spell the same word.
    assert fold("hoà") == fold("hòa")
    assert fold("thuỷ") == fold("thủy")
    assert fold("khoẻ") == fold("khỏe")


@given(vietnamese_text)
def test_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(vietnamese_text)
def test_normal_form_and_case_do_not_matter(text):
    folded = fold(text)
    assert fold(unicodedata.normalize("NFD", text)) == folded
    assert fold(unicodedata.normalize("NFKC", text)) == folded
    assert fold(text.upper()) == folded
    assert fold(text.lower()) == folded


@given(vietnamese_text)
def test_result_is_plain_ascii_letters(text):
    folded = fold(text)
    assert folded.isascii()
    assert folded == folded.lower()
    assert "  " not in folded and folded == folded.strip()


@given(st.text(max_size=40))
def test_fast_fold_equals_the_definition_for_any_text(text):
    from khuyencong.core.text import fold_reference

    assert fold(text) == fold_reference(text)


@given(vietnamese_text)
def test_fast_fold_equals_the_definition_for_vietnamese(text):
    from khuyencong.core.text import fold_reference

    assert fold(text) == fold(unicodedata.normalize("NFD", text)) == fold_reference(text)
