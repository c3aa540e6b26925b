from hypothesis import given
from hypothesis import strategies as st

from crm.text import fold, search_terms


def test_vietnamese_is_folded_to_plain_latin():
    assert fold("Đồng Tháp") == "dong thap"
    assert fold("Nguyễn Văn An") == "nguyen van an"
    assert fold("ĐẶNG THỊ ỨNG") == "dang thi ung"
    assert fold("  Prây   Veng ") == "pray veng"


def test_khmer_lao_and_thai_marks_are_kept():
    for name in ["ខេត្តព្រៃវែង", "ແຂວງຈໍາປາສັກ", "ประเทศไทย"]:
        assert fold(name) == name


def test_decomposed_input_folds_like_composed_input():
    assert fold("Nguye\u0302\u0303n") == fold("Nguyễn") == "nguyen"


def test_empty_input():
    assert fold("") == fold(None) == ""
    assert search_terms("   ") == []


def test_terms():
    assert search_terms("Đồng  THÁP") == ["dong", "thap"]


@given(st.text())
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)
