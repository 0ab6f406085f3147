"""The admin page's digit pass (core.admin_digits), issue 14 point 9: text only, never markup."""

from core.admin_digits import persian_digits_in_html


def test_text_digits_turn_persian():
    assert persian_digits_in_html("<td>3 of 12</td>") == "<td>۳ of ۱۲</td>"


def test_attributes_and_urls_keep_latin_digits():
    html = '<a href="/admin/claims/claim/12/change/" data-n="5">خسارت #12</a>'
    assert persian_digits_in_html(html) == '<a href="/admin/claims/claim/12/change/" data-n="5">خسارت #۱۲</a>'


def test_character_references_survive():
    assert persian_digits_in_html("<p>&#x27;a&#39; 7&amp;</p>") == "<p>&#x27;a&#39; ۷&amp;</p>"


def test_scripts_styles_and_typed_text_are_left_alone():
    html = '<script>var a = {"n": 1};</script><style>p{width:10px}</style><textarea name="t">42</textarea>9'
    assert persian_digits_in_html(html) == html[:-1] + "۹"
