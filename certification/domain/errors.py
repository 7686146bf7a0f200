from django.utils.translation import gettext as _


class DomainError(Exception):
    """A rule of the scheme was broken. The message is shown to the user as it is."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class FileProblems(DomainError):
    """An imported file is refused; `problems` names each wrong row. The message shows the first
    `max_reported` (a file wrong throughout would list thousands: the first tell what is wrong)."""

    max_reported = 30

    def __init__(self, problems: list[str]):
        shown = problems[: self.max_reported]
        if len(problems) > self.max_reported:
            more = len(problems) - self.max_reported
            shown.append(_("… and %(count)d more problems.") % {"count": more})
        super().__init__("\n".join(shown))
        self.problems = problems
