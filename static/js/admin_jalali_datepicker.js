// django-jalali's admin date picker on every `.vjDateField` (issue 15 point 8). The package's own
// admin/main.js writes and reads 1404-08-30; staff type, and the admin shows, 1404/08/30 (the
// form field reads both). Otherwise the same: Jalali months, month and year menus, inline rows
// added later included.
$(function () {
  function activateDatepicker() {
    $(".vjDateField").each(function () {
      if ((this.id || "").includes("__prefix__") || $(this).hasClass("hasDatepicker")) {
        return;
      }
      $(this).datepicker({
        dateFormat: "yy/mm/dd",
        changeMonth: true,
        changeYear: true,
        showOn: "both",
        buttonImageOnly: true,
        isRTL: false,
        buttonText: "یک تاریخ انتخاب کنید",
      });
    });
  }

  if (!$.datepicker) {
    $ = django.jQuery;
  }
  activateDatepicker();
  $(document).on("formset:added", activateDatepicker);
});
