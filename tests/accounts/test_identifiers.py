import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from accounts.validation import is_valid_national_code, normalize_mobile, normalize_national_code
from core.text import to_persian_digits

subscriber = st.from_regex(r"9[0-9]{9}", fullmatch=True)
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@given(subscriber, st.sampled_from(["0{}", "+98{}", "0098{}", "98{}", "{}", "+98 {}", "0{} "]))
def test_every_usual_form_of_a_mobile_normalises_to_09(number, form):
    assert normalize_mobile(form.format(number)) == "0" + number


@given(subscriber)
def test_persian_and_arabic_indic_digits_are_accepted_in_a_mobile(number):
    assert normalize_mobile(to_persian_digits("0" + number)) == "0" + number
    assert normalize_mobile(("+98" + number).translate(ARABIC_INDIC)) == "0" + number


@given(st.text(alphabet="0123456789+ ", max_size=16).filter(lambda s: not s.strip().lstrip("+0").startswith("9")))
def test_a_number_that_is_not_an_iranian_mobile_is_refused(text):
    with pytest.raises(ValidationError):
        normalize_mobile(text)


def _with_check_digit(body):
    remainder = sum(int(body[i]) * (10 - i) for i in range(9)) % 11
    return body + str(remainder if remainder < 2 else 11 - remainder)


@given(st.from_regex(r"[0-9]{9}", fullmatch=True).filter(lambda b: len(set(b)) > 1))
def test_national_code_with_correct_check_digit_is_valid(body):
    assert is_valid_national_code(_with_check_digit(body))


@given(st.from_regex(r"[0-9]{9}", fullmatch=True).filter(lambda b: len(set(b)) > 1), st.integers(1, 9))
def test_national_code_with_a_wrong_check_digit_is_refused(body, shift):
    code = _with_check_digit(body)
    broken = code[:9] + str((int(code[9]) + shift) % 10)
    with pytest.raises(ValidationError):
        normalize_national_code(broken)


@given(st.from_regex(r"[0-9]{9}", fullmatch=True).filter(lambda b: len(set(b)) > 1))
def test_national_code_accepts_persian_digits_and_dashes(body):
    code = _with_check_digit(body)
    typed = to_persian_digits(f"{code[:3]}-{code[3:9]}-{code[9]}")
    assert normalize_national_code(typed) == code


def test_national_code_of_one_repeated_digit_is_refused():
    with pytest.raises(ValidationError):
        normalize_national_code("1111111111")
