from django.db import models

from .certificate import Certificate


class VerificationAnswer(models.Model):
    """Today's public answer to "is this number valid?", ready to send: one indexed read.

    Kept in the same transaction as every change to what verification says (the certificate,
    its history, versions and items, its organisation), by certification.api.answer_rows.
    `body` holds the answer's JSON per language; it holds for the days from `holds_from` to
    `holds_until`, so a certificate expiring by date needs no write: past the last day the
    answer is computed afresh. A missing row only means the slower way.
    """

    number = models.CharField(max_length=20, primary_key=True)
    certificate = models.OneToOneField(
        Certificate, on_delete=models.CASCADE, related_name="verification_answer"
    )
    holds_from = models.DateField()
    holds_until = models.DateField()
    body = models.JSONField(default=dict)

    def __str__(self) -> str:
        return self.number
