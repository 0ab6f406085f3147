"""Reference data present in every database: insurers, lines of insurance, provinces.

Codes are the stable public identifiers of API.md; names are what users read.
`sync_reference_data` is idempotent and runs from a data migration.
"""

INSURERS = [
    ("iran", "بیمه ایران"),
    ("asia", "بیمه آسیا"),
    ("dana", "بیمه دانا"),
    ("alborz", "بیمه البرز"),
    ("parsian", "بیمه پارسیان"),
    ("saman", "بیمه سامان"),
    ("pasargad", "بیمه پاسارگاد"),
    ("dey", "بیمه دی"),
    ("mellat", "بیمه ملت"),
    ("karafarin", "بیمه کارآفرین"),
    ("razi", "بیمه رازی"),
    ("sina", "بیمه سینا"),
    ("kowsar", "بیمه کوثر"),
    ("moallem", "بیمه معلم"),
    ("novin", "بیمه نوین"),
    ("hafez", "بیمه حافظ"),
    ("taavon", "بیمه تعاون"),
    ("sarmad", "بیمه سرمد"),
    ("arman", "بیمه آرمان"),
    ("ma", "بیمه ما"),
    ("hekmat", "بیمه حکمت صبا"),
    ("tejarat_no", "بیمه تجارت نو"),
    ("atiyeh_sazan_hafez", "بیمه آتیه‌سازان حافظ"),
]

LINES = [
    ("third_party", "بیمه شخص ثالث", "خسارت جانی و مالی که خودروی شما به دیگران می‌زند."),
    ("body", "بیمه بدنه خودرو", "خسارت به خود خودرو: تصادف، آتش‌سوزی، سرقت و پوشش‌های اضافی."),
    ("fire", "بیمه آتش‌سوزی", "ساختمان و اثاث منزل، مغازه یا کارگاه در برابر آتش، زلزله، سیل و ..."),
    ("travel", "بیمه مسافرتی", "هزینه‌های درمان و حوادث در سفر خارج از کشور."),
    ("electronics", "بیمه تجهیزات الکترونیک", "گوشی، لپ‌تاپ، تبلت و دیگر وسایل الکترونیکی."),
    ("other", "سایر بیمه‌ها", "هر بیمه‌ای که در فهرست نیست؛ نیاز خود را بنویسید."),
]

PROVINCES = [
    ("tehran", "تهران"),
    ("alborz", "البرز"),
    ("isfahan", "اصفهان"),
    ("fars", "فارس"),
    ("khorasan_razavi", "خراسان رضوی"),
    ("east_azerbaijan", "آذربایجان شرقی"),
    ("west_azerbaijan", "آذربایجان غربی"),
    ("ardabil", "اردبیل"),
    ("bushehr", "بوشهر"),
    ("chaharmahal_bakhtiari", "چهارمحال و بختیاری"),
    ("south_khorasan", "خراسان جنوبی"),
    ("north_khorasan", "خراسان شمالی"),
    ("khuzestan", "خوزستان"),
    ("zanjan", "زنجان"),
    ("semnan", "سمنان"),
    ("sistan_baluchestan", "سیستان و بلوچستان"),
    ("qazvin", "قزوین"),
    ("qom", "قم"),
    ("kurdistan", "کردستان"),
    ("kerman", "کرمان"),
    ("kermanshah", "کرمانشاه"),
    ("kohgiluyeh_boyer_ahmad", "کهگیلویه و بویراحمد"),
    ("golestan", "گلستان"),
    ("gilan", "گیلان"),
    ("lorestan", "لرستان"),
    ("mazandaran", "مازندران"),
    ("markazi", "مرکزی"),
    ("hormozgan", "هرمزگان"),
    ("hamadan", "همدان"),
    ("yazd", "یزد"),
    ("ilam", "ایلام"),
]


def sync_reference_data(Insurer, InsuranceLine, Province):
    for order, (code, name) in enumerate(INSURERS):
        Insurer.objects.update_or_create(code=code, defaults={"name": name, "order": order})
    for order, (code, name, description) in enumerate(LINES):
        InsuranceLine.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "order": order}
        )
    for order, (code, name) in enumerate(PROVINCES):
        Province.objects.update_or_create(code=code, defaults={"name": name, "order": order})
