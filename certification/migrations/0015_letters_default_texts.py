"""Decision letters: one letter per decision and language, and the default texts.

The texts are the administrator's part of each letter (the opening, in formal style); the PDF
adds the fixed parts around them: letterhead, addressee, the decision, the reasons, the table of
products and services, the instruction on reconsideration and the signature. Administrators
edit them in the admin afterwards; placeholders in braces are filled in when a letter is made.
"""

from django.db import migrations, models

GREETING_PL = "Szanowni Państwo,\n\n"
GREETING_EN = "Dear Sir or Madam,\n\n"

# (kind, final, language): (subject, body)
TEXTS = {
    # --- formal rejection ---
    ("formal_rejection", False, "pl"): (
        "Odrzucenie wniosku nr {application_number} z przyczyn formalnych",
        GREETING_PL
        + "uprzejmie informujemy, że wniosek nr {application_number} o przyznanie prawa do "
        "używania znaku „Zakup Prospołeczny” (wnioskodawca: {organization}) został w wyniku "
        "oceny formalnej przeprowadzonej w dniu {decision_date} r. odrzucony i nie zostanie "
        "przekazany do oceny Kapituły.\n\n"
        "Przyczyny odrzucenia wniosku oraz pouczenie o możliwości złożenia wniosku o ponowne "
        "rozpatrzenie sprawy przedstawiamy poniżej.",
    ),
    ("formal_rejection", False, "en"): (
        "Application {application_number} rejected on formal grounds",
        GREETING_EN
        + "We regret to inform you that application {application_number} for the right to use "
        "the “Zakup Prospołeczny” mark, submitted by {organization}, was rejected in the formal "
        "review carried out on {decision_date} and will not be passed to the jury.\n\n"
        "The reasons for the rejection and how to request reconsideration are set out below.",
    ),
    ("formal_rejection", True, "pl"): (
        "Rozstrzygnięcie wniosku o ponowne rozpatrzenie sprawy – wniosek nr {application_number}",
        GREETING_PL
        + "uprzejmie informujemy, że po rozpatrzeniu wniosku o ponowne rozpatrzenie sprawy "
        "rozstrzygnięcie o odrzuceniu wniosku nr {application_number} z przyczyn formalnych "
        "zostało w dniu {decision_date} r. utrzymane w mocy.\n\n"
        "Uzasadnienie przedstawiamy poniżej. Rozstrzygnięcie jest ostateczne. Po usunięciu "
        "przyczyn odrzucenia mogą Państwo złożyć nowy wniosek.",
    ),
    ("formal_rejection", True, "en"): (
        "Decision on the request for reconsideration – application {application_number}",
        GREETING_EN
        + "Having considered your request for reconsideration, we inform you that the formal "
        "rejection of application {application_number} was upheld on {decision_date}.\n\n"
        "The reasons are set out below. This decision is final. Once the reasons for the "
        "rejection no longer apply, you may submit a new application.",
    ),
    # --- refusal ---
    ("refusal", False, "pl"): (
        "Uchwała Kapituły w sprawie wniosku nr {application_number} – nieprzyznanie certyfikatu",
        GREETING_PL
        + "uprzejmie informujemy, że Kapituła znaku „Zakup Prospołeczny”, po rozpatrzeniu "
        "wniosku nr {application_number} (wnioskodawca: {organization}) uchwałą nr "
        "{resolution_number} z dnia {decision_date} r. postanowiła nie przyznać prawa do używania "
        "znaku.\n\n"
        "Uzasadnienie rozstrzygnięcia oraz pouczenie o możliwości złożenia wniosku o ponowne "
        "rozpatrzenie sprawy przedstawiamy poniżej.",
    ),
    ("refusal", False, "en"): (
        "Jury resolution on application {application_number} – mark not granted",
        GREETING_EN
        + "We regret to inform you that the jury (Kapituła) of the “Zakup Prospołeczny” mark, "
        "having considered application {application_number} submitted by {organization}, "
        "decided by resolution No. {resolution_number} of {decision_date} not to grant the "
        "right to use the mark.\n\n"
        "The reasons for the decision and how to request reconsideration are set out below.",
    ),
    ("refusal", True, "pl"): (
        "Rozstrzygnięcie Kapituły po ponownym rozpatrzeniu wniosku nr {application_number}",
        GREETING_PL
        + "uprzejmie informujemy, że Kapituła znaku „Zakup Prospołeczny”, po ponownym "
        "rozpatrzeniu sprawy, uchwałą nr {resolution_number} z dnia {decision_date} r. "
        "postanowiła nie przyznać prawa do używania znaku na podstawie wniosku nr "
        "{application_number}.\n\n"
        "Uzasadnienie przedstawiamy poniżej. Rozstrzygnięcie jest ostateczne. W przyszłości "
        "mogą Państwo złożyć nowy wniosek.",
    ),
    ("refusal", True, "en"): (
        "Jury decision after reconsideration of application {application_number}",
        GREETING_EN
        + "We inform you that the jury (Kapituła) of the “Zakup Prospołeczny” mark, having "
        "considered the matter again, decided by resolution No. {resolution_number} of "
        "{decision_date} not to grant the right to use the mark on application "
        "{application_number}.\n\n"
        "The reasons are set out below. This decision is final. You may submit a new "
        "application in the future.",
    ),
    # --- partial grant ---
    ("partial_grant", False, "pl"): (
        "Uchwała Kapituły w sprawie wniosku nr {application_number} – przyznanie certyfikatu "
        "dla części produktów i usług",
        GREETING_PL
        + "uprzejmie informujemy, że Kapituła znaku „Zakup Prospołeczny”, po rozpatrzeniu "
        "wniosku nr {application_number} (wnioskodawca: {organization}) uchwałą nr "
        "{resolution_number} z dnia {decision_date} r. przyznała prawo do używania znaku dla "
        "części zgłoszonych produktów i usług.\n\n"
        "Rozstrzygnięcie dotyczące poszczególnych produktów i usług wraz z uzasadnieniem "
        "przedstawiamy poniżej. Certyfikat obejmujący przyznane pozycje zostanie wydany "
        "odrębnie. W zakresie pozycji, dla których znaku nie przyznano, mogą Państwo złożyć "
        "wniosek o ponowne rozpatrzenie sprawy na zasadach opisanych w pouczeniu.",
    ),
    ("partial_grant", False, "en"): (
        "Jury resolution on application {application_number} – mark granted for some products "
        "and services",
        GREETING_EN
        + "We inform you that the jury (Kapituła) of the “Zakup Prospołeczny” mark, having "
        "considered application {application_number} submitted by {organization}, granted by "
        "resolution No. {resolution_number} of {decision_date} the right to use the mark for "
        "some of the products and services applied for.\n\n"
        "The decision on each product and service and its reasons are set out below. The "
        "certificate for the items granted will be issued separately. For the items not "
        "granted, you may request reconsideration as the instruction below explains.",
    ),
    ("partial_grant", True, "pl"): (
        "Rozstrzygnięcie Kapituły po ponownym rozpatrzeniu wniosku nr {application_number}",
        GREETING_PL
        + "uprzejmie informujemy, że Kapituła znaku „Zakup Prospołeczny”, po ponownym "
        "rozpatrzeniu sprawy, uchwałą nr {resolution_number} z dnia {decision_date} r. przyznała "
        "prawo do używania znaku dla części produktów i usług zgłoszonych we wniosku nr "
        "{application_number}.\n\n"
        "Rozstrzygnięcie dotyczące poszczególnych pozycji wraz z uzasadnieniem przedstawiamy "
        "poniżej. Rozstrzygnięcie jest ostateczne.",
    ),
    ("partial_grant", True, "en"): (
        "Jury decision after reconsideration of application {application_number}",
        GREETING_EN
        + "We inform you that the jury (Kapituła) of the “Zakup Prospołeczny” mark, having "
        "considered the matter again, granted by resolution No. {resolution_number} of "
        "{decision_date} the right to use the mark for some of the products and services named "
        "in application {application_number}.\n\n"
        "The decision on each item and its reasons are set out below. This decision is final.",
    ),
    # --- grant ---
    ("grant", False, "pl"): (
        "Uchwała Kapituły w sprawie wniosku nr {application_number} – przyznanie certyfikatu",
        GREETING_PL
        + "z przyjemnością informujemy, że Kapituła znaku „Zakup Prospołeczny”, po rozpatrzeniu "
        "wniosku nr {application_number} (wnioskodawca: {organization}) uchwałą nr "
        "{resolution_number} z dnia {decision_date} r. przyznała prawo do używania znaku dla "
        "wszystkich zgłoszonych produktów i usług.\n\n"
        "Certyfikat, ważny przez rok od dnia wydania, zostanie wydany odrębnie i opublikowany "
        "w publicznym rejestrze. Serdecznie gratulujemy.",
    ),
    ("grant", False, "en"): (
        "Jury resolution on application {application_number} – mark granted",
        GREETING_EN
        + "We are pleased to inform you that the jury (Kapituła) of the “Zakup Prospołeczny” "
        "mark, having considered application {application_number} submitted by "
        "{organization}, granted by resolution No. {resolution_number} of {decision_date} the "
        "right to use the mark for all the products and services applied for.\n\n"
        "The certificate, valid for one year from its issue, will be issued separately and "
        "published in the public registry. Congratulations.",
    ),
    ("grant", True, "pl"): (
        "Rozstrzygnięcie Kapituły po ponownym rozpatrzeniu wniosku nr {application_number}",
        GREETING_PL
        + "z przyjemnością informujemy, że Kapituła znaku „Zakup Prospołeczny”, po ponownym "
        "rozpatrzeniu sprawy, uchwałą nr {resolution_number} z dnia {decision_date} r. przyznała "
        "prawo do używania znaku dla wszystkich produktów i usług zgłoszonych we wniosku nr "
        "{application_number}.\n\n"
        "Certyfikat, ważny przez rok od dnia wydania, zostanie wydany odrębnie i opublikowany "
        "w publicznym rejestrze. Rozstrzygnięcie jest ostateczne.",
    ),
    ("grant", True, "en"): (
        "Jury decision after reconsideration of application {application_number}",
        GREETING_EN
        + "We are pleased to inform you that the jury (Kapituła) of the “Zakup Prospołeczny” "
        "mark, having considered the matter again, granted by resolution No. "
        "{resolution_number} of {decision_date} the right to use the mark for all the products "
        "and services named in application {application_number}.\n\n"
        "The certificate, valid for one year from its issue, will be issued separately and "
        "published in the public registry. This decision is final.",
    ),
}


def seed(apps, schema_editor):
    LetterTemplate = apps.get_model("certification", "LetterTemplate")
    for (kind, final, language), (subject, body) in TEXTS.items():
        # An administrator's own text (added before this ran) is kept.
        LetterTemplate.objects.get_or_create(
            kind=kind,
            final=final,
            language=language,
            defaults={"subject": subject, "body": body},
        )


def unseed(apps, schema_editor):
    LetterTemplate = apps.get_model("certification", "LetterTemplate")
    for (kind, final, language), (subject, body) in TEXTS.items():
        LetterTemplate.objects.filter(
            kind=kind, final=final, language=language, subject=subject, body=body
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("certification", "0014_sessions_agenda_sent")]

    operations = [
        migrations.AddConstraint(
            model_name="decisionletter",
            constraint=models.UniqueConstraint(
                condition=models.Q(("resolution__isnull", False)),
                fields=("resolution", "language"),
                name="one_letter_per_resolution_and_language",
            ),
        ),
        migrations.AddConstraint(
            model_name="decisionletter",
            constraint=models.UniqueConstraint(
                condition=models.Q(("review__isnull", False)),
                fields=("review", "final", "language"),
                name="one_letter_per_review_and_language",
            ),
        ),
        migrations.RunPython(seed, unseed),
    ]
