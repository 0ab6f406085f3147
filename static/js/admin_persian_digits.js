// The admin's JavaScript writes counts through interpolate() ("۳ از ۱۲ انتخاب شده‌اند" when a
// row is ticked): give its results Persian digits, like the server-rendered text around them
// (core/admin_digits.py). Deferred, so Django's jsi18n catalogue has defined interpolate().
(function () {
  var persian = "۰۱۲۳۴۵۶۷۸۹";
  function toPersian(text) {
    return String(text).replace(/[0-9]/g, function (digit) { return persian[digit]; });
  }
  if (typeof window.interpolate !== "function" || window.interpolate.persianDigits) return;
  var original = window.interpolate;
  window.interpolate = function (fmt, obj, named) {
    return toPersian(original(fmt, obj, named));
  };
  window.interpolate.persianDigits = true;
  if (window.django) window.django.interpolate = window.interpolate;
})();
