"""The applicant's documents page as the tests drive it: one upload, and the refusal shown."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certification.models import DocumentType


def upload_page(client, application, content: bytes, name: str = "statut.pdf", code="statute"):
    doc_type = DocumentType.objects.get(code=code)
    slot = f"t{doc_type.pk}"
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client.post(
        reverse("application_documents", args=[application.pk]),
        {"slot": slot, f"{slot}-file": upload},
        follow=True,
    )
    return response, slot


def assert_refused_beside_field(response, slot, message):
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page  # the error summary
    assert f'<a href="#id_{slot}-file">' in page
    assert f'<p class="error-message" id="id_{slot}-file_error">{message}' in page
