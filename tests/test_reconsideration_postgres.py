"""Two members of the applicant file their reconsideration requests at the same moment: one
request is taken, the other is told, on PostgreSQL's row locks."""

from django.core.files.storage import default_storage

from certification.choices import ApplicationStatus
from certification.domain.errors import DomainError
from certification.models import ReconsiderationAttachment, ReconsiderationRequest
from certification.storage import stored_objects

from . import factories, postgres, stages

pytestmark = postgres.MARKS


def test_two_members_filing_at_once_give_one_request():
    c = stages.cast()
    colleague = factories.applicant(c.applicant.organizations.first())
    for _round in range(3):
        application = stages.refused(c)

        outcomes = postgres.run_together(
            *(
                lambda user=user, application=application: stages.services.request_reconsideration(
                    application=application,
                    user=user,
                    reasons=f"Wniosek od {user.pk}.",
                    attachments=[factories.pdf_upload(f"plik-{user.pk}.pdf")],
                )
                for user in (c.applicant, colleague)
            )
        )

        assert postgres.unexpected(outcomes, allowed=DomainError) == []
        assert sum(o.error is None for o in outcomes) == 1
        application.refresh_from_db()
        assert application.status == ApplicationStatus.RECONSIDERATION
        assert stages.open_nodes(application) == [stages.flow.resolution]
        [request] = ReconsiderationRequest.objects.filter(application=application)
        # Only the request taken has a file: the other's was never kept.
        assert (
            ReconsiderationAttachment.objects.filter(request__application=application).count() == 1
        )
        assert request.attachments.count() == 1
        stored = [
            o.name
            for o in stored_objects(default_storage)
            if o.name.startswith(f"reconsiderations/{application.pk}/")
        ]
        assert stored == [request.attachments.get().file.name]
