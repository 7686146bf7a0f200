from django.apps import apps
from django.contrib.staticfiles.finders import AppDirectoriesFinder


class AppDirectoriesFinderWithoutViewflow(AppDirectoriesFinder):
    """Static files of every app except viewflow's.

    We do not use viewflow's Material frontend, and its CSS names font files it does not ship,
    which makes the production (manifest) storage refuse to collect.
    """

    def __init__(self, app_names=None, *args, **kwargs):
        app_names = [
            config.name
            for config in apps.get_app_configs()
            if not config.name.startswith("viewflow")
        ]
        super().__init__(app_names, *args, **kwargs)
