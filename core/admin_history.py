"""The admin of the models whose changes are kept (core/history.py, issue 15 point 9)."""

from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    """A ModelAdmin whose "history" page lists every change with who, when and which fields went
    from what to what (templates/simple_history/). A past version is shown, never restored
    (SIMPLE_HISTORY_REVERT_DISABLED): a change goes through the change form and its checks."""

    def history_view_title(self, request, obj):
        return _("تاریخچه تغییرات: %(object)s") % {"object": obj}

    def history_form_view_title(self, request, obj):
        return _("نسخه پیشین: %(object)s") % {"object": obj}
