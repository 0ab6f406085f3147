"""Issue 13 point 2: the detector of contact details in free text (core.contact_details), pure."""

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.contact_details import find_contact_details, masked, normalise

PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def kinds(text, **kwargs):
    return {finding.kind for finding in find_contact_details(text, **kwargs)}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("با من تماس بگیرید ۰۹۱۲ ۳۴۵ ۶۷ ۸۹", "phone"),
        ("شماره: 0912-345-6789", "phone"),
        ("+98 912 345 6789", "phone"),
        ("0098 912 345 6789", "phone"),
        ("989123456789", "phone"),
        ("0 9 1 2 3 4 5 6 7 8 9", "phone"),
        ("دفتر: ۰۲۱-۸۸۸۸۸۸۸۸", "phone"),
        ("(021) 8877-6655", "phone"),
        ("٠٩١٢٣٤٥٦٧٨٩ پاسخگو هستم", "phone"),
        ("۰۹۱۲/۳۴۵/۶۷۸۹", "phone"),
        ("0912.345.6789", "phone"),
        ("0912_345_6789", "phone"),
        ("۰۹۱۲\u200c۳۴۵\u200c۶۷۸۹", "phone"),
        ("0912\u200b345\u200d6789", "phone"),
        ("9123456789", "phone"),
        ("تلفن دفتر: ۸۸۷۷۶۶۵۵", "phone"),
        ("موبایل ۳۴۵۶۷۸۹۰", "phone"),
        ("0912345678912500000 ریال", "phone"),
        ("صفر نه یک دو سه چهار پنج شش هفت هشت نه", "phone"),
        ("zero nine one two 345 6789", "phone"),
        ("صفر نه ۱۲ ۳۴۵ ۶۷ ۸۹", "phone"),
        ("ali.agent@gmail.com", "email"),
        ("ایمیل: ali (at) gmail [dot] com", "email"),
        ("ali at gmail dot com", "email"),
        ("ali[at]yahoo", "email"),
        ("ali @ chmail . ir", "email"),
        ("@bimeh_ali", "handle"),
        ("آیدی تلگرام ما: bimeh_ali", "handle"),
        ("ایدی bimehali", "handle"),
        ("واتساپ: bimeh.ali", "handle"),
        ("پیج اینستاگرام bimeh_iran_ali", "handle"),
        ("در ایتا به نام bimehali پیام دهید", "handle"),
        ("t.me/bimehali", "link"),
        ("wa.me/989123456789", "link"),
        ("instagram.com/bimeh", "link"),
        ("eitaa.com/bimeh", "link"),
        ("www.bimeh-ali.ir", "link"),
        ("https://bimeh.example", "link"),
        ("سایت ما example.ir است", "link"),
        ("example [dot] com", "link"),
        ("bimehali dot ir", "link"),
        ("کد نمایندگی ۱۲۳۴۵", "code"),
        ("کد نمایندگی من: 7788", "code"),
    ],
)
def test_contact_details_are_found(text, kind):
    """issue 13 point 2: every written form of a phone, e-mail, link, handle or agency code is found."""
    assert kind in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "قیمت ۱۲,۵۰۰,۰۰۰ ریال",
        "12500000",
        "حق بیمه 12500000 ریال",
        "۱۵٪ تخفیف گروهی",
        "۲۰ درصد تخفیف عدم خسارت",
        "شروع از تاریخ ۱۴۰۵/۰۹/۱۱",
        "۱۴۰۵/۰۹/۱۱ ساعت 10:30",
        "مدت ۱۲ ماه، قابل تمدید",
        "پلاک ۱۲ ب ۳۴۵ ایران ۶۷ با حق بیمه ۳٬۲۰۰٬۰۰۰ تومان",
        "پوشش دیه ۱,۶۰۰,۰۰۰,۰۰۰ ریال در ماه‌های عادی",
        "۹۵۰۰۰۰۰۰۰۰ ریال",
        "۹٬۵۰۰٬۰۰۰٬۰۰۰",
        "اقساط ۶ ماهه، پیش‌پرداخت ۳۰ درصد، مانده در ۵ قسط",
        "بله، آماده‌ام. BMW شما را هم پوشش می‌دهیم",
        "installments plan with 4 payments",
        "پژو ۲۰۶ مدل ۱۳۹۸",
        "سلام، ما نمایندگی رسمی بیمه ایران هستیم و ۱۰ سال سابقه داریم.",
        "حق بیمه سالانه ۹٬۸۰۰٬۰۰۰ تومان و تا ۱۲ قسط",
        "پاسخگویی از ساعت ۹ تا ۱۷",
        "تخفیف ۷۰ درصد عدم خسارت؛ سقف مالی ۲۰۰ میلیون تومان",
        "فرانشیز ۱۰٪ و ۲,۰۰۰,۰۰۰ ریال برای هر خسارت",
        "کد ملی و کارت ماشین را پس از پذیرش بفرستید",
        "بیمه‌نامه‌ی شخص‌ثالث با پوشش‌های اضافی",
        "شش ماهه یا یک ساله، در یک یا دو قسط",
        "نه یک، نه دو: سه قسط",
        "خودروی ۴ سیلندر، ۳ سال عدم خسارت، پوشش مازاد ۱۲ برابر",
        "",
    ],
)
def test_ordinary_offer_text_passes(text):
    """issue 13 point 2: amounts, percents, dates, durations, plates and policy terms are not contact details."""
    assert find_contact_details(text) == []


def test_the_agents_own_codes_are_found_however_written():
    """issue 13 point 2: the agency code and office phone given as extra codes are refused."""
    assert kinds("با کد ۷ ۷ ۸ ۸ ما را بیابید", extra_codes=["7788"]) == {"code"}
    assert kinds("Agency A-77 here", extra_codes=["a-77"]) == {"code"}
    assert kinds("دفتر ۸۸۷۷-۶۶۵۵", extra_codes=["88776655"]) == {"code"}
    assert kinds("تخفیف ۷۷۸۸۰ ریال", extra_codes=["7788"]) == set()
    assert kinds("قیمت ۷٬۷۸۸ تومان", extra_codes=["7788"]) == set()
    assert kinds("در ۱۲ قسط", extra_codes=["12"]) == set()  # too short to tell from a count


def test_a_zero_width_non_joiner_stays_inside_persian_words():
    """issue 13 point 2: ZWNJ is part of Persian spelling; it is removed only beside digits."""
    assert normalise("می\u200cخواهم ۰۹۱۲\u200c۳") == "می\u200cخواهم 09123"


def test_a_masked_excerpt_does_not_give_the_detail_away():
    assert masked("09123456789") == "09•••••••89"
    assert "gmail" not in masked("ali.agent@gmail.com")


def test_long_adversarial_texts_are_read_quickly():
    """issue 13 point 2: the detector runs on every answer; 2,000 hostile characters stay fast."""
    texts = ["1 " * 1000, "a." * 1000, "a@" * 1000, "ali at " * 285, "تلگرام " * 285, "0-" * 1000, "یک " * 660]
    started = time.perf_counter()
    for text in texts:
        find_contact_details(text)
    assert time.perf_counter() - started < 2


# --- properties ------------------------------------------------------------

DIGIT_SETS = st.sampled_from([str.maketrans("", ""), PERSIAN, ARABIC_INDIC])
SEPARATOR = st.sampled_from(["", " ", "-", ".", "/", "_", "  ", " - ", "\u200c", "\u200b", "(", ")", ","])
PERSIAN_WORDS = st.lists(
    st.sampled_from(["سلام", "بیمه", "شخص\u200cثالث", "حق", "قسط", "پوشش", "ما", "با", "برای", "ماهه", "نمایندگی"]),
    max_size=6,
).map(" ".join)


@st.composite
def mobiles(draw):
    """An Iranian mobile with a prefix that marks it (0, +98, 0098), digits split anywhere."""
    subscriber = "9" + draw(st.text("0123456789", min_size=9, max_size=9))
    prefix = draw(st.sampled_from(["0", "+98", "0098", "+98 ", "0098-"]))
    digits = prefix + subscriber
    written = ""
    for index, char in enumerate(digits):
        written += char
        if index < len(digits) - 1 and char != "+":
            written += draw(SEPARATOR) if draw(st.booleans()) else ""
    return written.translate(draw(DIGIT_SETS))


@settings(max_examples=300, deadline=None)
@given(before=PERSIAN_WORDS, mobile=mobiles(), after=PERSIAN_WORDS)
def test_any_mobile_in_any_digits_and_separators_inside_persian_text_is_found(before, mobile, after):
    """issue 13 point 2 (property): any Iranian mobile, any digit set, any separators, in Persian text."""
    assert "phone" in kinds(f"{before} {mobile} {after}")


@settings(max_examples=300, deadline=None)
@given(
    before=PERSIAN_WORDS,
    amount=st.integers(min_value=1, max_value=10**15),
    grouped=st.booleans(),
    unit=st.sampled_from(["ریال", "تومان", " ریال", " تومان", "هزار تومان", " میلیون ریال"]),
    digits=DIGIT_SETS,
    after=PERSIAN_WORDS,
)
def test_any_amount_with_rial_or_toman_passes(before, amount, grouped, unit, digits, after):
    """issue 13 point 2 (property): an amount followed by ریال/تومان is never a contact detail."""
    written = (f"{amount:,}".replace(",", "٬") if grouped else str(amount)).translate(digits)
    assert kinds(f"{before} {written} {unit} {after}") == set()


@settings(max_examples=200, deadline=None)
@given(
    year=st.integers(min_value=1300, max_value=1500),
    month=st.integers(min_value=1, max_value=12),
    day=st.integers(min_value=1, max_value=31),
    percent=st.integers(min_value=0, max_value=100),
    months=st.integers(min_value=1, max_value=36),
    digits=DIGIT_SETS,
)
def test_any_date_percent_and_duration_passes(year, month, day, percent, months, digits):
    """issue 13 point 2 (property): dates, percents and durations in an offer are not contact details."""
    text = f"شروع {year}/{month:02d}/{day:02d}، تخفیف {percent}٪ و {months} ماه اقساط".translate(digits)
    assert kinds(text) == set()
