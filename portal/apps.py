from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The top layer: what needs every app at once (issue 15 point 6).

    The reference data loader, the demo data and `run_scheduled_jobs` for `make run`, and the
    wiring that lets pages and the admin of lower apps show what apps above them hold (see
    `portal.wiring`). Nothing imports portal; it may import every app.
    """

    name = "portal"

    def ready(self):
        from portal import wiring

        wiring.install()
